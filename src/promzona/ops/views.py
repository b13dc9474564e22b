"""``/metrics`` for Prometheus, answered only to ``PROMZONA_METRICS_ALLOW``; the page of a
report being built on the worker and its download."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from promzona.accounts.throttle import address_in, client_ip
from promzona.core.errors import NotFound

from . import reports


@require_GET
def metrics(request):
    """Request counts and latencies, database and cache figures (django-prometheus); every
    app-server process's when ``PROMETHEUS_MULTIPROC_DIR`` is set (as under gunicorn)."""
    address = client_ip(request)
    if address is None or not address_in(address, settings.PROMZONA_METRICS_ALLOW):
        raise Http404
    return ExportToDjangoView(request)


@login_required
@require_GET
def report(request, pk: int):
    """A report the user asked for: waiting or being prepared (the page reloads itself), then
    its download link, or why it failed."""
    job = reports.report_of(request.user, pk)
    spec = reports.kind_of(job.kind)
    return render(request, "ops/report.html", {
        "job": job, "title": spec.title(job.params), "back": reverse(spec.back)})


@login_required
@require_GET
def report_file(request, pk: int):
    job = reports.report_of(request.user, pk)
    path = reports.reports_dir() / job.file
    if job.status != job.Status.DONE or not job.file or not path.is_file():
        raise NotFound(_("The report is not ready."))
    name = reports.kind_of(job.kind).filename(job.params)
    return FileResponse(path.open("rb"), as_attachment=True,
                        filename=f"{name}-{job.language}.{job.fmt}",
                        content_type=reports.CONTENT_TYPES[job.fmt])
