"""What an instruction may be linked to. Works and investor projects are listed already: their
links become possible as soon as their apps are installed (no change here)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from promzona.core.errors import InputError

#: link type (as the API and forms name it) -> model label
LINKABLE = {
    "zone": "zones.Zone",
    "plot": "zones.Plot",
    "line": "zones.UtilityLine",
    "source": "zones.UtilitySource",
    "upgrade": "zones.InfrastructureProject",
    "work": "works.Work",
    "project": "projects.Project",
}
MAX_LINKS = 50


def link_model(kind: str) -> type[models.Model] | None:
    """The model behind a link type, or ``None`` when the type is unknown or its app absent."""
    label = LINKABLE.get(kind)
    if label is None:
        return None
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def available_types() -> list[str]:
    return [kind for kind in LINKABLE if link_model(kind) is not None]


def resolve(items: Any) -> list[models.Model]:
    """``[{"type": "plot", "id": 3}, …]`` (or ``(type, id)`` pairs) as objects; InputError for
    an unknown type, a missing object, a repeat or too many."""
    if not isinstance(items, (list, tuple)) or len(items) > MAX_LINKS:
        raise InputError(_("Give at most %(n)s links.") % {"n": MAX_LINKS}, field="links")
    out: list[models.Model] = []
    seen = set()
    for item in items:
        kind, pk = (item.get("type"), item.get("id")) if isinstance(item, dict) else item
        model = link_model(kind) if isinstance(kind, str) else None
        if model is None:
            raise InputError(_("Unknown link type %(type)s; use one of: %(types)s.") % {
                "type": str(kind)[:40], "types": ", ".join(available_types())}, field="links")
        if isinstance(pk, bool) or not isinstance(pk, int) or not (0 < pk < 2**63):
            raise InputError(_("A link's id is a positive whole number."), field="links")
        if (kind, pk) in seen:
            raise InputError(_("A link is listed twice."), field="links")
        seen.add((kind, pk))
        obj = model.objects.filter(pk=pk).first()
        if obj is None:
            raise InputError(_("No %(type)s with id %(id)s.") % {"type": kind, "id": pk},
                             field="links")
        out.append(obj)
    return out


def type_of(content_type: ContentType) -> str:
    label = f"{content_type.app_label}.{content_type.model}"
    return next((k for k, v in LINKABLE.items() if v.lower() == label), content_type.model)


def label_of(obj: models.Model | None) -> str:
    """A short human label: a code where the object has one, else its name."""
    if obj is None:
        return "—"
    return str(getattr(obj, "code", "") or getattr(obj, "name", "") or obj)
