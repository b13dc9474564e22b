"""A model's own checks (``full_clean``) as a service refusal: Django's errors become one
:class:`~promzona.core.errors.InputError` naming the field by its label, in every app."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

from promzona.core.errors import InputError


def field_errors(exc: ValidationError, model: type[models.Model]) -> list[str]:
    """Django's errors as sentences, each led by its field's label (never a field name or
    ``__all__``): "Status: …", "The plot lies outside its zone's boundary."."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    out = []
    for field, messages in exc.message_dict.items():
        try:
            label = str(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:
            label = ""
        out += [f"{label[:1].upper()}{label[1:]}: {m}" if label else m for m in messages]
    return out


def validated(obj: models.Model, *, exclude: list[str] | None = None) -> None:
    """``full_clean`` with Django's errors turned into :class:`InputError` naming the field by
    its label."""
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as exc:
        details = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        field = next(iter(details))
        raise InputError(field_errors(exc, type(obj))[0], field=field, details=details) from exc
