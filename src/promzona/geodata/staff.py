"""Staff pages: upload with a dry-run preview then confirm; export downloads; public download of
published plots. Thin: parse the form, call the service, render."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from promzona.accounts.decorators import role_required
from promzona.accounts.models import Role
from promzona.core.errors import PromzonaError
from promzona.core.geodata.files import FORMATS, MAX_FILE_BYTES
from promzona.core.geodata.layers import LAYERS, OLD_NAMES, layer_name
from promzona.core.geodata.mapping import is_field_mapping
from promzona.web.feedback import message_of
from promzona.zones.forms import ZoneChoiceField
from promzona.zones.models import Plot, Zone

from .export import EXPORT_FORMATS, layer_export
from .features import LAYERS as COLLECTIONS
from .jobs import import_job_start
from .models import ImportJob
from .preview import preview_map
from .selectors import layer_objects
from .services import MODELS, layer_import
from .uploads import UPLOADS, imports_clean, progress_read, upload_store

CONTENT_TYPES = {
    "gpkg": "application/geopackage+sqlite3", "geojson": "application/geo+json",
    "shp": "application/zip", "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv; charset=utf-8",
}


LAYER_LABELS = {name: COLLECTIONS[name].title for name in LAYERS}
ACTION_LABELS = {"create": gettext_lazy("to create"), "update": gettext_lazy("to update"),
                 "refuse": gettext_lazy("refused")}
LAYER_MODELS = {"plots": Plot, **MODELS}


def _report_shown(report) -> dict:
    """The import report (or a job's stored copy of it) in the page's language: actions and
    our fields by their labels."""
    data = report if isinstance(report, dict) else report.as_dict()
    layer = layer_name(data["layer"])  # a job stored before the layers' names were one set
    model = LAYER_MODELS[layer]

    def label(name: str) -> str:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            return name

    return {"rows": [(r, ACTION_LABELS[r["action"]]) for r in data["rows"]],
            "fields": [(theirs, label(ours)) for ours, theirs in data["mapping"].items()],
            "layer": LAYER_LABELS[layer]}


#: Imports change the inventory: zone office staff only. Exports also serve managers' reports.
importers_only = role_required(Role.STAFF)
exporters_only = role_required(Role.STAFF, Role.MANAGER)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    layer = forms.ChoiceField(label=gettext_lazy("Layer"), choices=list(LAYER_LABELS.items()))
    zone = ZoneChoiceField(label=gettext_lazy("Zone"), queryset=Zone.objects.all(),
                           to_field_name="slug", required=False)
    source_layer = forms.CharField(label=gettext_lazy("Layer in the file (when it has several)"),
                                   required=False, max_length=200)
    crs = forms.CharField(label=gettext_lazy("CRS when the file has none"), required=False,
                          max_length=100)
    repair = forms.BooleanField(label=gettext_lazy("Repair invalid polygons"), required=False)
    mapping = forms.CharField(
        label=gettext_lazy("Field mapping (JSON)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy('Optional: <code>{"our_field": "file column"}</code>, e.g. '
                               '<code>{"code": "PLOT_NO"}</code>.'),
    )

    def clean_mapping(self):
        text = self.cleaned_data["mapping"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise forms.ValidationError(_("The mapping is not valid JSON.")) from exc
        if not is_field_mapping(value):
            raise forms.ValidationError(_('The mapping must be {"our_field": "file column"}.'))
        return value

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than %(mb)s MiB.")
                                        % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
        if Path(f.name).suffix.lower() not in FORMATS:
            raise forms.ValidationError(_("Unsupported file type."))
        return f


@importers_only
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Step 1: upload and see the dry run. Step 2: confirm (the same file, all or nothing)."""
    ctx: dict = {}
    status = 200
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.pop("geodata_import", None)
        token = request.POST.get("confirm")
        if (not pending or pending["token"] != token or not token.isalnum()
                or not (UPLOADS / token).is_file()):
            ctx["error"] = _("This preview has expired; upload the file again.")
            status = 400
        else:  # the worker imports it; its page shows the progress and then the report
            job = import_job_start(actor=request.user, token=token, preview=pending)
            return redirect("geodata:import-job", pk=job.pk)
        form = ImportForm()
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            imports_clean()  # previews never confirmed
            token = upload_store(d["file"])
            ctx["zone"] = d["zone"]
            try:
                report = layer_import(
                    actor=request.user, path=UPLOADS / token, name=d["file"].name,
                    layer=d["layer"], zone=d["zone"], dry_run=True, crs=d["crs"] or None,
                    repair=d["repair"], mapping=d["mapping"],
                    source_layer=d["source_layer"] or None, now=timezone.now())
            except PromzonaError as exc:
                ctx["error"], status = message_of(exc), 400
            else:
                ctx["report"] = report
                if report.counts["refuse"] == 0:
                    request.session["geodata_import"] = {
                        "token": token, "name": d["file"].name, "layer": d["layer"],
                        "zone": d["zone"].slug if d["zone"] else None, "crs": d["crs"],
                        "repair": d["repair"], "mapping": d["mapping"],
                        "source_layer": d["source_layer"] or None}
                    ctx["confirm"] = token
            finally:  # kept only for a preview that can be confirmed
                if ctx.get("confirm") != token:
                    (UPLOADS / token).unlink(missing_ok=True)
        else:
            status = 400
    else:
        form = ImportForm()
    if ctx.get("report") is not None:
        ctx["shown"] = _report_shown(ctx["report"])
    if ctx.get("report") is not None:
        ctx["preview"] = preview_map(ctx["report"], zone=ctx.get("zone"))
    ctx.update(form=form, export_formats=list(EXPORT_FORMATS),
               formats=format_html_join(", ", "<code>{}</code>", ((f,) for f in sorted(FORMATS))),
               layers=list(LAYER_LABELS.items()),
               jobs=ImportJob.objects.select_related("user")[:10])
    return render(request, "geodata/import.html", ctx, status=status)


@importers_only
@require_GET
def import_job(request, pk: int):
    """A confirmed import: waiting or running (the page reloads itself), then its report."""
    job = get_object_or_404(ImportJob, pk=pk)
    done, total = progress_read(job.options["token"]) if not job.finished else (0, None)
    return render(request, "geodata/import_job.html", {
        "job": job, "report": job.report, "done": done, "total": total,
        "shown": _report_shown(job.report) if job.report else None,
        "percent": 100 * done // total if total else None})


def _download(objs, layer: str, fmt: str) -> HttpResponse:
    suffix = "zip" if fmt == "shp" else fmt
    with tempfile.TemporaryDirectory() as tmp:
        path = layer_export(objects=objs, layer=layer, fmt=fmt, path=Path(tmp) / f"x.{suffix}")
        data = path.read_bytes()
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{layer}.{suffix}"'
    return response


@exporters_only
@require_GET
def export_download(request, layer: str, fmt: str):
    """Staff: a whole layer, drafts included (under an earlier name, a redirect)."""
    if layer in OLD_NAMES:
        return redirect("geodata:export", OLD_NAMES[layer], fmt, permanent=True)
    if layer not in LAYERS or fmt not in EXPORT_FORMATS:
        raise Http404
    return _download(layer_objects(layer, user=request.user, staff=True), layer, fmt)


@require_GET
def public_plots(request, fmt: str):
    """Everybody: the plots the caller may see (published ones for the public)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    return _download(layer_objects("plots", user=request.user), "plots", fmt)
