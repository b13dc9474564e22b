"""The demo zone's named contacts: ILLUSTRATIVE people (invented names, example addresses)."""

from __future__ import annotations

import datetime as dt
from typing import Any

#: (position, names ru/kk/en, roles ru/kk/en, email, phone)
CONTACTS: list[dict[str, Any]] = [
    {"position": 1, "name_ru": "Айгерим Сапарова (демо)", "name_kk": "Әйгерім Сапарова (демо)",
     "name_en": "Aigerim Saparova (demo)",
     "role_ru": "Главный специалист по работе с инвесторами",
     "role_kk": "Инвесторлармен жұмыс жөніндегі бас маман",
     "role_en": "Chief specialist for investors",
     "email": "investor@balkhash.example", "phone": "+7 000 000 00 01"},
    {"position": 2, "name_ru": "Ержан Токтаров (демо)", "name_kk": "Ержан Тоқтаров (демо)",
     "name_en": "Yerzhan Toktarov (demo)",
     "role_ru": "Инженер по техническим условиям на подключение",
     "role_kk": "Қосылуға арналған техникалық шарттар жөніндегі инженер",
     "role_en": "Engineer for connection conditions",
     "email": "tu@balkhash.example", "phone": "+7 000 000 00 02"},
]


def load(*, zone: Any, now: dt.datetime) -> None:
    """Add the demo's contacts to ``zone`` (through the audited save, recorded at ``now``)."""
    from promzona.enquiries.models import Contact
    from promzona.zones.services import feature_save

    for data in CONTACTS:
        feature_save(actor=None, obj=Contact(zone=zone, **data), now=now)
