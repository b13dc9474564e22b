"""ILLUSTRATIVE applications competing for the Balkhash demo's free power (substation PS-2).

Six invented projects, submitted over three weeks, all wanting PS-2's 3,200 kW: the
allocation page shows how first come, first served and a greedy by value leave value on the
table. Loaded by ``promzona demo`` with a fresh demo; the projects, companies' plans and
figures are not real.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from promzona.accounts.models import User
from promzona.applications import services
from promzona.applications.models import Application
from promzona.zones.models import Plot

NOTE = "Иллюстративная заявка демо-версии, не реальный проект."

# (user, project, sector, investment KZT, jobs, needs, preferred plots, days before today
#  submitted, under review)
APPLICATIONS = [
    ("demo-investor2", "Логистический склад (демо)", "H52", 600_000_000, 25,
     {"power_kw": 400, "water_m3_day": 20}, ["BLK-13", "BLK-15"], 20, False),
    ("demo-investor", "Ремонтный цех (демо)", "C33", 300_000_000, 15,
     {"power_kw": 300, "water_m3_day": 10}, ["BLK-23", "BLK-25"], 18, False),
    ("demo-investor", "Завод горно-шахтного оборудования (демо)", "C28", 4_000_000_000, 120,
     {"power_kw": 2600, "water_m3_day": 60}, ["BLK-01", "BLK-02"], 15, True),
    ("demo-investor", "Цех металлоконструкций (демо)", "C25", 2_200_000_000, 80,
     {"power_kw": 1400, "water_m3_day": 30}, ["BLK-04", "BLK-08"], 12, True),
    ("demo-investor2", "Газовая котельная (демо)", "D35", 1_000_000_000, 30,
     {"power_kw": 200, "gas_m3_h": 30}, ["BLK-25", "BLK-23"], 10, False),
    ("demo-investor2", "Завод стройматериалов (демо)", "C23", 2_000_000_000, 70,
     {"power_kw": 1400, "water_m3_day": 40}, ["BLK-06", "BLK-11"], 7, True),
]


@transaction.atomic
def load(*, today: dt.date) -> bool:
    """Create the competing applications through the services; False when they exist."""
    names = [a[1] for a in APPLICATIONS]
    if Application.objects.filter(project_name__in=names).exists():
        return False
    staff = User.objects.get(username="demo-staff")
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
    ids = dict(Plot.objects.filter(zone__slug="balkhash").values_list("code", "pk"))
    for user, name, sector, investment, jobs, needs, plots, days, review in APPLICATIONS:
        actor = User.objects.get(username=user)
        when = noon - dt.timedelta(days=days)
        app = services.application_create(
            actor=actor, project_name=name, sector=sector, investment_kzt=investment,
            jobs_planned=jobs, needs=needs, description=NOTE, now=when,
            preferred_plots=[ids[code] for code in plots],
        )
        services.application_submit(actor=actor, application=app, now=when)
        if review:
            services.application_start_review(actor=staff, application=app,
                                              now=when + dt.timedelta(days=1))
    return True
