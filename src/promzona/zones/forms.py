"""Form fields choosing zones, sectors and other named objects, labelled in the page's language
(their ``__str__`` is the Russian name, which the audit log keeps); an option written in
another language than the page's is marked with it (``lang``), as the ``as_written`` filter
marks text."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language

from promzona.core.language import written_in


class WrittenOptions:
    """Options that are names as written: each marked with its language where that is not the
    page's."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        lang = written_in(str(label))
        if lang and lang != (get_language() or "ru")[:2]:
            option["attrs"] = {**option["attrs"], "lang": lang}
        return option


class WrittenSelect(WrittenOptions, forms.Select):
    pass


class WrittenSelectMultiple(WrittenOptions, forms.SelectMultiple):
    pass


class NamedChoiceField(forms.ModelChoiceField):
    """Objects labelled by their ``__str__`` (a code and a name as typed)."""

    widget = WrittenSelect


class TranslatedChoiceField(NamedChoiceField):
    """Objects with a name in each language (``Translated``), labelled in the page's."""

    def label_from_instance(self, obj) -> str:
        return obj.name


ZoneChoiceField = TranslatedChoiceField


class SectorChoiceField(NamedChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.name}"
