"""The investor's request and the adjustable assumptions of the cost model: one strict model.

:class:`MatchRequest` is the JSON body of docs/matching.md. It is the parser of
``POST /api/match``, of ``promzona match`` and of the match form, and the schema the API
documents. It is strict: unknown fields are refused, not dropped, and no value is coerced
(``"yes"`` is not true, ``"5"`` is not a number). :meth:`MatchRequest.parse` turns a refusal into
an :class:`~promzona.core.errors.InputError` naming the field, its message an English template
the edge translates.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    model_validator,
)
from pydantic.fields import FieldInfo

from promzona.core.errors import InputError, gettext_noop
from promzona.core.strict import IsoDate
from promzona.core.utilities import NEED_KEYS, UTILITY_KINDS

KINDS: tuple[str, ...] = tuple(UTILITY_KINDS)  # power, water, sewage, heat, gas
SECTOR_RE = re.compile(r"^[A-Z](\d{2}(\.\d{1,2}(\.\d)?)?)?$")
MAX_NEED = 1e9
MAX_HORIZON = 50

STRICT = ConfigDict(extra="forbid", strict=True, frozen=True)


def _amount(upper: float, default: float | None = None, description: str = "") -> Any:
    return Field(default, ge=0, le=upper, allow_inf_nan=False, description=description or None)


def _sector(value: str) -> str:
    code = value.strip().upper()
    if not SECTOR_RE.match(code):
        raise ValueError("not an OKED code")
    return code


class AreaRange(BaseModel):
    model_config = STRICT
    min: float | None = _amount(1e6, description="Smallest plot area, ha.")
    max: float | None = _amount(1e6, description="Largest plot area, ha.")


Needs = create_model(
    "Needs", __config__=STRICT, __doc__="Per utility, the need in its unit (0: none).",
    **{key: (float, _amount(MAX_NEED, 0.0, UTILITY_KINDS[kind].unit))
       for key, kind in NEED_KEYS.items()})


class MaxDistance(BaseModel):
    model_config = STRICT
    rail: float | None = _amount(1e9, description="Rail at most this far, m.")
    road: float | None = _amount(1e9, description="A road at most this far, m.")
    airport: float | None = _amount(1e9, description="The airport at most this far, m.")


class Weights(BaseModel):
    """The score's weights (at least one positive)."""

    model_config = STRICT
    cost: float = _amount(1000, 0.35)
    time: float = _amount(1000, 0.25)
    logistics: float = _amount(1000, 0.15)
    sector: float = _amount(1000, 0.10)
    anchor: float = _amount(1000, 0.05)
    area: float = _amount(1000, 0.10)

    @model_validator(mode="after")
    def _some_positive(self) -> Weights:
        if sum(self.model_dump().values()) <= 0:
            raise ValueError("all weights zero")
        return self


CRITERIA: tuple[str, ...] = tuple(Weights.model_fields)
DEFAULT_WEIGHTS: dict[str, float] = Weights().model_dump()


class Assumptions(BaseModel):
    """How needs become an annual bill: power and gas are billed per operating hour, heat per
    heating hour, water and sewage per working day. ``free_use_years``: for a plot offered for
    temporary free use, a project of a zone's priority sector pays no lease for this many years
    (the incentive subtracted from the cost)."""

    model_config = STRICT
    operating_hours_per_year: float = _amount(8760, 4000.0)
    heating_hours_per_year: float = _amount(8760, 4800.0)
    working_days_per_year: float = _amount(366, 250.0)
    free_use_years: float = _amount(50, 5.0)

    def annual_units(self, kind: str) -> float:
        """Consumption units per year for one unit of need (kW → kWh, m³/day → m³, ...)."""
        return {
            "power": self.operating_hours_per_year,
            "gas": self.operating_hours_per_year,
            "heat": self.heating_hours_per_year,
            "water": self.working_days_per_year,
            "sewage": self.working_days_per_year,
        }[kind]


class MatchRequest(BaseModel):
    """An investor's request (docs/matching.md#the-request); only ``sector`` is required."""

    model_config = STRICT
    sector: Annotated[str, Field(max_length=20, description="OKED code, e.g. C25 or C25.11."),
                      AfterValidator(_sector)]
    area_ha: AreaRange = AreaRange()
    needs: Needs = Needs()  # type: ignore[valid-type]
    rail_spur: bool = False
    hazard_class: int = Field(5, ge=1, le=5, description="1 is the most hazardous.")
    max_distance_m: MaxDistance = MaxDistance()
    budget_kzt: float | None = _amount(1e16, description="Cost of location at most, KZT.")
    horizon_years: int = Field(10, ge=1, le=MAX_HORIZON)
    start_by: IsoDate | None = Field(None, description="Desired start, YYYY-MM-DD.")
    weights: Weights = Weights()
    assumptions: Assumptions = Assumptions()

    @model_validator(mode="after")
    def _area_order(self) -> MatchRequest:
        a = self.area_ha
        if a.min is not None and a.max is not None and a.min > a.max:
            raise ValueError("area_order")
        return self

    def need(self, kind: str) -> float:
        return getattr(self.needs, UTILITY_KINDS[kind].need_key)

    def to_json(self) -> dict[str, Any]:
        """The request as JSON (``parse`` reads it back to an equal request)."""
        return self.model_dump(mode="json", exclude_defaults=True)

    @classmethod
    def parse_json(cls, raw: bytes | str) -> MatchRequest:
        """The request written as JSON text (a body, a file)."""
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise InputError(MESSAGES["json"]) from None
        except RecursionError:
            raise InputError(MESSAGES["nested"]) from None
        return cls.parse(data)

    @classmethod
    def parse(cls, data: Any) -> MatchRequest:
        """The request in ``data`` (JSON values); :class:`InputError` naming the first field
        refused."""
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise refusal(exc.errors(include_url=False, include_input=False)) from None


# --- a refusal in words ---------------------------------------------------------------------

MESSAGES = {
    "json": gettext_noop("The request is not valid JSON."),
    "nested": gettext_noop("The request is nested too deeply."),
    "request": gettext_noop("The request must be a JSON object."),
    "unknown": gettext_noop("Unknown field(s): %(fields)s."),
    "object": gettext_noop("'%(field)s' must be an object with any of: %(keys)s."),
    "number": gettext_noop("'%(field)s' must be a number from %(low)s to %(high)s."),
    "integer": gettext_noop("'%(field)s' must be an integer from %(low)s to %(high)s."),
    "sector": gettext_noop("'sector' must be an OKED code such as C25 or C25.11."),
    "rail_spur": gettext_noop("'rail_spur' must be true or false."),
    "hazard_class": gettext_noop("'hazard_class' must be an integer from 1 (most hazardous) "
                                 "to 5."),
    "start_by": gettext_noop("'start_by' must be a date YYYY-MM-DD."),
    "area_order": gettext_noop("'%(field)s' is larger than '%(other)s'."),
    "weights": gettext_noop("At least one weight must be positive."),
}


def field_info(path: tuple[str, ...]) -> tuple[type[BaseModel], FieldInfo | None]:
    """The model holding the field at ``path`` (names from :class:`MatchRequest` down) and the
    field (None for the model itself)."""
    model: type[BaseModel] = MatchRequest
    info = None
    for name in path:
        if info is not None:
            model = info.annotation  # type: ignore[assignment]
        info = model.model_fields.get(name)
        if info is None:
            break
    return model, info


def bounds(path: tuple[str, ...]) -> tuple[float | None, float | None]:
    """The smallest and largest value the number at ``path`` may take."""
    low = high = None
    for m in field_info(path)[1].metadata:
        low = getattr(m, "ge", low)
        high = getattr(m, "le", high)
    return low, high


def refusal(errors: list[dict[str, Any]]) -> InputError:
    """The first of pydantic's ``errors`` as an :class:`InputError` in our words."""
    e = errors[0]
    path = tuple(str(p) for p in e["loc"])
    name = ".".join(path)
    if not path:
        if e["type"] == "value_error":  # the request's own check: the area's order
            return InputError(MESSAGES["area_order"], field="area_ha",
                              params={"field": "area_ha.min", "other": "area_ha.max"})
        return InputError(MESSAGES["request"])
    if path[0] in ("sector", "rail_spur", "hazard_class", "start_by"):
        return InputError(MESSAGES[path[0]], field=path[0])
    if e["type"] == "extra_forbidden" and len(path) == 1:
        unknown = sorted({str(x["loc"][0])[:100] for x in errors if x["type"] == "extra_forbidden"
                          and len(x["loc"]) == 1})[:20]
        return InputError(MESSAGES["unknown"], params={"fields": ", ".join(unknown)[:200]},
                          details={"unknown": unknown})
    if path == ("weights",) and e["type"] == "value_error":
        return InputError(MESSAGES["weights"], field="weights")
    model, info = field_info(path)
    if info is None or isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
        field = name if info is not None else ".".join(path[:-1])
        keys = (info.annotation if info is not None else model).model_fields
        return InputError(MESSAGES["object"], field=field,
                          params={"field": field, "keys": ", ".join(keys)})
    low, high = bounds(path)
    kind = "integer" if info.annotation is int else "number"
    return InputError(MESSAGES[kind], field=name,
                      params={"field": name, "low": low, "high": high})
