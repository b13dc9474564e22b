"""The five kinds of engineering utility, their units and the keys used in requests.

Units are English source strings, marked for translation (``gettext_noop``) and translated at
the edge (:func:`promzona.l10n.unit`): "kW" reads «кВт» on a Russian page.

>>> UTILITY_KINDS["power"].need_key
'power_kw'
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def gettext_noop(s: str) -> str:
    return s


@dataclass(frozen=True)
class UtilityKind:
    code: str
    unit: str  # capacity unit, as shown to people
    need_key: str  # key in a request's ``needs``
    consumption_unit: str  # what a tariff is priced per


UTILITY_KINDS: dict[str, UtilityKind] = {
    k.code: k
    for k in (
        UtilityKind("power", gettext_noop("kW"), "power_kw", gettext_noop("kWh")),
        UtilityKind("water", gettext_noop("m³/day"), "water_m3_day", gettext_noop("m³")),
        UtilityKind("sewage", gettext_noop("m³/day"), "sewage_m3_day", gettext_noop("m³")),
        UtilityKind("heat", gettext_noop("Gcal/h"), "heat_gcal_h", gettext_noop("Gcal")),
        UtilityKind("gas", gettext_noop("m³/h"), "gas_m3_h", gettext_noop("m³")),
    )
}
NEED_KEYS: dict[str, str] = {k.need_key: k.code for k in UTILITY_KINDS.values()}

#: Decimals the capacity ledger keeps, exactly (whole thousandths).
LEDGER_DECIMALS = 3


def ledger_sum(*amounts: float) -> float:
    """The sum of capacity amounts (each one the ledger keeps, as a float; subtract with a
    negative) as the ledger's exact decimals give it: binary floating point does not (2.3 − 1.3
    is 0.9999999999999998, and 0.1 + 0.2 is 0.30000000000000004), so the sum is rounded back to
    the ledger's thousandths, which any float error below half a thousandth leaves exact.

    >>> 2.3 - 1.3, ledger_sum(2.3, -1.3), ledger_sum(0.1, 0.2), ledger_sum(1.3, -1.3)
    (0.9999999999999998, 1.0, 0.3, 0.0)
    """
    return round(math.fsum(amounts), LEDGER_DECIMALS) + 0.0  # + 0.0: never −0.0
