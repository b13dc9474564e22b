"""Form fields choosing zones and sectors, labelled in the page's language (their ``__str__``
is the Russian name, which the audit log keeps)."""

from __future__ import annotations

from django import forms


class ZoneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class SectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}"
