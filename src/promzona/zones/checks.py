"""System check: rows saved before codes were validated that cannot appear in URLs.

Runs with the database (``promzona check --database default``, and ``migrate``). Pages still show
such rows, without a link; the admin asks for a valid code when one of them is edited.
"""

from __future__ import annotations

from django.core import checks
from django.db import DatabaseError

from promzona.core.codes import is_code

SHOWN = 10


def _invalid(model, field: str, valid) -> list[str]:
    return [v for v in model.objects.values_list(field, flat=True).iterator() if not valid(v)]


@checks.register(checks.Tags.database)
def codes_fit_in_urls(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    if not databases or "default" not in databases:
        return []
    from django.core.validators import slug_re

    from .models import Plot, UtilityLine, UtilitySource, Zone

    found = []
    try:
        for model, field, valid in (
            (Zone, "slug", lambda v: bool(slug_re.match(v))),
            (Plot, "code", is_code), (UtilitySource, "code", is_code),
            (UtilityLine, "code", is_code),
        ):
            bad = _invalid(model, field, valid)
            if bad:
                found.append(checks.Warning(
                    f"{len(bad)} {model._meta.verbose_name_plural} have a {field} outside the "
                    f"allowed characters: {', '.join(map(repr, bad[:SHOWN]))}"
                    f"{' …' if len(bad) > SHOWN else ''}",
                    hint="Rename them in the admin; until then their pages cannot be linked.",
                    obj=model, id="zones.W001",
                ))
    except DatabaseError:  # not migrated yet: nothing stored to check
        return []
    return found
