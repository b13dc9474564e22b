"""Mapping a file's fields to ours: automatic guesses for common Russian and English names,
overridden by a saved mapping ``{"our_field": "file_field"}``; value coercion per field type."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import InputError, gettext_noop

#: our field -> (type, synonyms). Synonyms are compared after :func:`normalise`.
PLOT_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": ("str", ("code", "plotcode", "plot", "plotid", "kod", "код", "кодучастка", "номер",
                     "номеручастка", "№", "no", "number")),
    "cadastral_number": ("str", ("cadastralnumber", "cadastral", "cadnum", "kadnomer", "kn",
                                 "кадастровыйномер", "кадастр", "кадномер", "кн")),
    "name_ru": ("str", ("nameru", "name", "название", "наименование", "имя")),
    "name_kk": ("str", ("namekk", "namekz", "атауы", "атау")),
    "name_en": ("str", ("nameen", "englishname")),
    "description_ru": ("str", ("descriptionru", "description", "описание", "примечание")),
    "status": ("str", ("status", "статус", "состояние")),
    "declared_area_ha": ("decimal", ("declaredareaha", "areaha", "area", "площадь",
                                     "площадьга", "плга", "plga", "га", "ha",
                                     "declha")),
    "land_category": ("str", ("landcategory", "landcat", "category", "категория",
                              "категорияземель")),
    "hazard_class_max": ("int", ("hazardclassmax", "hazardclass", "hazard", "классопасности",
                                 "класс")),
    "ownership": ("str", ("ownership", "owner", "собственность", "формасобственности")),
    "deal_lease": ("bool", ("deallease", "lease", "аренда")),
    "lease_price_kzt_ha_year": ("decimal", ("leasepricekzthayear", "leaseprice", "leasekzt",
                                            "ставкааренды", "арендаплата")),
    "deal_sale": ("bool", ("dealsale", "sale", "продажа")),
    "sale_price_kzt": ("decimal", ("salepricekzt", "saleprice", "salekzt", "ценапродажи", "цена")),
    "deal_free_use": ("bool", ("dealfreeuse", "freeuse", "безвозмездноепользование")),
    "existing_buildings": ("str", ("existingbuildings", "buildings", "строения", "здания")),
    "rail_spur": ("bool", ("railspur", "rail", "ждтупик", "тупик")),
    "available_from": ("date", ("availablefrom", "availfrom", "доступенс")),
    "source_document": ("str", ("sourcedocument", "sourcedoc", "document", "источник", "документ")),
    "verified_by": ("str", ("verifiedby", "verifby", "проверил", "кемпроверено")),
    "verified_at": ("date", ("verifiedat", "verifat", "verifiedon", "датапроверки")),
    "permitted_sectors": ("list", ("permittedsectors", "sectors", "oked", "окэд", "отрасли")),
}

SOURCE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": PLOT_FIELDS["code"],
    "name_ru": PLOT_FIELDS["name_ru"],
    "name_kk": PLOT_FIELDS["name_kk"],
    "name_en": PLOT_FIELDS["name_en"],
    "kind": ("str", ("kind", "type", "вид", "тип")),
    "capacity": ("decimal", ("capacity", "мощность")),
    "tariff_kzt": ("decimal", ("tariffkzt", "tariff", "тариф")),
    "operator": ("str", ("operator", "оператор")),
}

LINE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "code": PLOT_FIELDS["code"],
    "name": ("str", ("name", "название", "наименование")),
    "kind": SOURCE_FIELDS["kind"],
    "status": PLOT_FIELDS["status"],
    "planned_completion": ("date", ("plannedcompletion", "completion", "срокввода")),
    "source": ("str", ("source", "sourcecode", "источник")),
    "connection_fixed_cost_kzt": ("decimal", ("connectionfixedcostkzt", "fixedcost", "fixedkzt")),
    "connection_cost_per_km_kzt": ("decimal", ("connectioncostperkmkzt", "costperkm", "kmkzt")),
    "connection_lead_days": ("int", ("connectionleaddays", "leaddays")),
}

ZONE_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "slug": ("str", ("slug", "code", "код")),
    "name_ru": PLOT_FIELDS["name_ru"],
    "name_kk": PLOT_FIELDS["name_kk"],
    "name_en": PLOT_FIELDS["name_en"],
    "kind": SOURCE_FIELDS["kind"],
    "status": PLOT_FIELDS["status"],
    "municipality": ("str", ("municipality", "municipal", "акимат", "район", "город")),
}

LAYER_FIELDS = {
    "plots": PLOT_FIELDS,
    "utility-sources": SOURCE_FIELDS,
    "utility-lines": LINE_FIELDS,
    "zones": ZONE_FIELDS,
}


def is_field_mapping(value: Any) -> bool:
    """Whether ``value`` has the shape of a saved mapping: ``{"our_field": "file column"}``."""
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def normalise(name: str) -> str:
    """Lower case, letters and digits only (``Кадастровый_номер`` -> ``кадастровыйномер``)."""
    return re.sub(r"[\W_]+", "", str(name).lower())


def guess_mapping(
    fields: list[str], layer: str, saved: dict[str, str] | None = None,
    filled: list[str] | None = None,
) -> dict[str, str]:
    """our_field -> file_field: the saved mapping first, then the first synonym found among
    the ``filled`` fields (default: all)."""
    spec = LAYER_FIELDS[layer]
    saved = dict(saved or {})
    unknown = [k for k in saved if k not in spec]
    if unknown:
        raise InputError(gettext_noop("The mapping names unknown fields: %(fields)s."),
                         field="mapping", params={"fields": ", ".join(unknown)[:200]})
    missing = [v for v in saved.values() if v not in fields]
    if missing:
        raise InputError(gettext_noop("The mapping names columns not in the file: %(fields)s."),
                         field="mapping", params={"fields": ", ".join(missing)[:200]})
    by_norm: dict[str, str] = {}
    for f in fields if filled is None else filled:
        by_norm.setdefault(normalise(f), f)
    taken = set(saved.values())
    result = dict(saved)
    for ours, (_kind, synonyms) in spec.items():
        if ours in result:
            continue
        for syn in (normalise(ours), *synonyms):
            f = by_norm.get(syn)
            if f is not None and f not in taken:
                result[ours] = f
                taken.add(f)
                break
    return result


TRUE = {"1", "true", "yes", "y", "да", "иә", "t", "+"}
FALSE = {"0", "false", "no", "n", "нет", "жоқ", "f", "-", ""}


def _decimal(value: Any) -> Decimal:
    try:
        d = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!s:.30}") from exc
    if not d.is_finite():
        raise ValueError(f"not a number: {value!s:.30}")
    return d


def _int(value: Any) -> int:
    d = _decimal(value)
    if d != d.to_integral_value():
        raise ValueError(f"not a whole number: {value!s:.30}")
    return int(d)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"not yes/no: {value!s:.30}")


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()[:10]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!s:.30}")


_COERCE = {
    "str": lambda value: str(value).strip(),
    "decimal": _decimal,
    "int": _int,
    "bool": _bool,
    "date": _date,
    "list": lambda value: [p.strip() for p in re.split(r"[;,]", str(value)) if p.strip()],
}


def coerce(value: Any, kind: str) -> Any:
    """Turn a file value into our type; raise :class:`ValueError` with a short reason."""
    if kind not in _COERCE:
        raise ValueError(f"unknown kind {kind}")
    if value is None or (isinstance(value, str) and not value.strip() and kind != "str"):
        return None
    return _COERCE[kind](value)
