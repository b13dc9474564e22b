"""``/metrics`` for Prometheus, answered only to ``PROMZONA_METRICS_ALLOW``."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_GET
from django_prometheus.exports import ExportToDjangoView

from promzona.accounts.throttle import address_in, client_ip


@require_GET
def metrics(request):
    """Request counts and latencies, database and cache figures (django-prometheus); every
    app-server process's when ``PROMETHEUS_MULTIPROC_DIR`` is set (as under gunicorn)."""
    address = client_ip(request)
    if address is None or not address_in(address, settings.PROMZONA_METRICS_ALLOW):
        raise Http404
    return ExportToDjangoView(request)
