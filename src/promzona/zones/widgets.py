"""A GeoJSON text area with a small Leaflet preview (django-leaflet's static files, no CDN)."""

import json

from django import forms


class GeoJSONPreviewWidget(forms.Textarea):
    template_name = "zones/widgets/geojson_preview.html"

    class Media:
        css = {"all": ("leaflet/leaflet.css", "zones/geojson_preview.css")}
        js = ("leaflet/leaflet.js", "zones/geojson_preview.js")

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 6, "cols": 80, "class": "geojson-input", **(attrs or {})})

    def get_context(self, name, value, attrs):
        from promzona.zones.selectors import zones_extent

        context = super().get_context(name, value, attrs)
        context["widget"]["extent"] = json.dumps(zones_extent())
        return context

    def format_value(self, value):
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value
        return json.dumps(value, ensure_ascii=False)
