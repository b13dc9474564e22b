"""Staff pages: upload with a dry-run preview then confirm; export downloads; public download of
published plots. Thin: parse the form, call the service, render."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from promzona.accounts.decorators import role_required
from promzona.accounts.models import Role
from promzona.core.errors import PromzonaError
from promzona.core.geodata.files import FORMATS, MAX_FILE_BYTES
from promzona.core.geodata.mapping import is_field_mapping
from promzona.web.feedback import message_of
from promzona.zones.models import Zone

from .export import EXPORT_FORMATS, layer_export
from .rows import LAYERS, ImportRefused
from .selectors import layer_objects
from .services import layer_import
from .uploads import UPLOADS, imports_clean, upload_store

CONTENT_TYPES = {
    "gpkg": "application/geopackage+sqlite3", "geojson": "application/geo+json",
    "shp": "application/zip", "kml": "application/vnd.google-earth.kml+xml",
    "csv": "text/csv; charset=utf-8",
}


#: Imports change the inventory: zone office staff only. Exports also serve managers' reports.
importers_only = role_required(Role.STAFF)
exporters_only = role_required(Role.STAFF, Role.MANAGER)


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    layer = forms.ChoiceField(label=gettext_lazy("Layer"), choices=[(x, x) for x in LAYERS])
    zone = forms.ModelChoiceField(label=gettext_lazy("Zone"), queryset=Zone.objects.all(),
                                  to_field_name="slug", required=False)
    source_layer = forms.CharField(label=gettext_lazy("Layer in the file (when it has several)"),
                                   required=False, max_length=200)
    crs = forms.CharField(label=gettext_lazy("CRS when the file has none"), required=False,
                          max_length=100)
    repair = forms.BooleanField(label=gettext_lazy("Repair invalid polygons"), required=False)
    mapping = forms.CharField(
        label=gettext_lazy("Field mapping (JSON)"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy('Optional: {"our_field": "file column"}, e.g. {"code": "PLOT_NO"}.'),
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
        else:
            path = UPLOADS / token
            try:
                zone = Zone.objects.filter(slug=pending["zone"]).first()
                ctx["report"] = layer_import(
                    actor=request.user, path=path, name=pending["name"], layer=pending["layer"],
                    zone=zone, crs=pending["crs"] or None, repair=pending["repair"],
                    mapping=pending["mapping"], source_layer=pending.get("source_layer"))
            except ImportRefused as exc:
                ctx["report"], status = exc.report, 400
            except PromzonaError as exc:
                ctx["error"], status = message_of(exc), 400
            finally:
                path.unlink(missing_ok=True)
        form = ImportForm()
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            d = form.cleaned_data
            imports_clean()  # previews never confirmed
            token = upload_store(d["file"])
            try:
                report = layer_import(
                    actor=request.user, path=UPLOADS / token, name=d["file"].name,
                    layer=d["layer"], zone=d["zone"], dry_run=True, crs=d["crs"] or None,
                    repair=d["repair"], mapping=d["mapping"],
                    source_layer=d["source_layer"] or None)
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
    ctx.update(form=form, formats=sorted(FORMATS), export_formats=list(EXPORT_FORMATS),
               layers=LAYERS)
    return render(request, "geodata/import.html", ctx, status=status)


def _download(objs, layer: str, fmt: str) -> HttpResponse:
    suffix = "zip" if fmt == "shp" else fmt
    with tempfile.TemporaryDirectory() as tmp:
        path = layer_export(objects=objs, layer=layer, fmt=fmt, path=Path(tmp) / f"x.{suffix}")
        data = path.read_bytes()
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{layer}.{suffix}"'
    return response


@exporters_only
def export_download(request, layer: str, fmt: str):
    """Staff: a whole layer, drafts included."""
    if layer not in LAYERS or fmt not in EXPORT_FORMATS:
        return HttpResponse(status=404)
    return _download(layer_objects(layer, user=request.user, staff=True), layer, fmt)


def public_plots(request, fmt: str):
    """Everybody: the plots the caller may see (published ones for the public)."""
    if fmt not in EXPORT_FORMATS:
        return HttpResponse(status=404)
    return _download(layer_objects("plots", user=request.user), "plots", fmt)
