"""Execution control in the Balkhash demo: ILLUSTRATIVE works and investor projects.

The contractors, contracts, money, dates and progress are invented to show how promzona tracks
the build-out; nothing here is an official figure. Everything goes through the services (with
past ``now=`` dates, so the history reads as it would have been recorded), and :func:`load`
only adds what is missing: running it again changes nothing.

* Works for the demo's lines under construction and planned upgrades, one of them late against
  its baseline, and the airport reconstruction with its contractor deadline at the end of the
  year and a quality inspection with findings to fix.
* The zone's obligations: design within 6 months of the agreement, construction start within
  12, commissioning within 36.
* Projects: the occupied plots get the approved application and allocation behind them and a
  project in operation; plot BLK-19 an allocation whose construction start is overdue; every
  other approved application holding a plot (however it came) gets a project too.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from promzona.accounts.models import User
from promzona.applications import services as applications
from promzona.applications.models import Application, Reservation
from promzona.core.deadlines import add_months
from promzona.projects import services as projects
from promzona.projects.models import ObligationRule, Project
from promzona.projects.selectors import default_plan
from promzona.works import services as works
from promzona.works.models import Work
from promzona.zones.models import InfrastructureProject, Plot, UtilityLine, Zone
from promzona.zones.services import feature_save

from .accounts import DEMO_ZONE_SLUG
from .balkhash import recorded_at

NOTE = " (демо)"
RULES = {"design": 6, "construction_start": 12, "commissioning": 36}

# line code, name, contractor, contract value, funding, days since the start, percent done by
# report (monthly, the last one a week ago), share of the value spent, baseline finish moved by
LINE_WORKS = [
    ("PO-3", "ЛЭП 10 кВ ПО-3 к среднему ряду участков", "ТОО «ЭнергоМонтаж Балхаш»", 480e6,
     "local", 240, (10, 22, 35, 48), 0.52, 0),
    ("WA-2", "Водовод ВО-2 к среднему ряду участков", "ТОО «СуКурылыс»", 310e6, "republican",
     150, (20, 41, 60), 0.58, 0),
    ("HE-2", "Теплотрасса ТС-2 от ТЭЦ медеплавильного завода", "ТОО «ЖылуЖелі»", 620e6,
     "special_fund", 330, (12, 25, 34, 42, 55), 0.66, -240),
    ("SE-2", "Канализационный коллектор КК-2", "ТОО «Балхаш Инжиниринг»", 275e6, "local",
     90, (8, 20), 0.2, 0),
]
# upgrade (by source code), contractor, value, funding, started (days ago) and percent done
UPGRADE_WORKS = [
    ("PS-2", "ТОО «КазЭнергоРеконструкция»", 2_400e6, "special_fund", 200, (9, 18, 30)),
    ("VZ-1", "ТОО «СуКурылыс»", 900e6, "local", None, ()),
    ("GRS-1", "АО «QazaqGaz Aimaq»", 3_100e6, "republican", None, ()),
]
# occupied plot, investor (demo user), project, sector, investment, jobs, needs, months ago
OPERATING = [
    ("BLK-03", "demo-investor", "Сервисный центр металлообработки", "C25", 1_200e6, 45,
     {"power_kw": 250, "water_m3_day": 12}, 40),
    ("BLK-10", "demo-investor2", "Завод сухих строительных смесей", "C23", 850e6, 30,
     {"power_kw": 180, "water_m3_day": 15}, 38),
    ("BLK-16", "demo-investor", "Склад запчастей для горного оборудования", "H52", 600e6, 25,
     {"power_kw": 90, "water_m3_day": 5}, 36),
    ("BLK-22", "demo-investor2", "Ремонт и наладка промышленного оборудования", "C33", 950e6, 40,
     {"power_kw": 150, "water_m3_day": 8}, 37),
]
OVERDUE = ("BLK-19", "demo-investor2", "Цех упаковки из гофрокартона", "C17", 1_800e6, 60,
           {"power_kw": 200, "water_m3_day": 10}, 14)


def _at(day: dt.date) -> dt.datetime:
    """Noon of ``day`` in the site's time zone: when the demo "recorded" something."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def load(*, today: dt.date) -> bool:
    """Add the execution demo where it is missing; False when nothing was added."""
    zone = Zone.objects.filter(slug=DEMO_ZONE_SLUG).first()
    staff = User.objects.filter(username="demo-staff").first()
    if zone is None or staff is None:
        return False
    # The demo's events are illustrative: nobody is emailed about them.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), \
            transaction.atomic():
        added = _rules(zone, now=recorded_at(today))
        added |= _works(zone, staff, today)
        added |= _operating(zone, staff, today)
        added |= _projects(staff, today)
    return added


def _rules(zone: Zone, *, now: dt.datetime) -> bool:
    if zone.obligation_rules.exists():
        return False
    for milestone, months in RULES.items():
        feature_save(actor=None, obj=ObligationRule(zone=zone, milestone=milestone, months=months),
                     now=now)
    return True


def _works(zone: Zone, staff: User, today: dt.date) -> bool:
    if Work.objects.filter(zone=zone).exists():
        return False
    for code, name, contractor, value, funding, age, done, spent, moved in LINE_WORKS:
        line = UtilityLine.objects.filter(zone=zone, code=code,
                                          status=UtilityLine.Status.UNDER_CONSTRUCTION).first()
        if line is None:
            continue
        start = today - dt.timedelta(days=age)
        finish = line.planned_completion + dt.timedelta(days=moved)
        work = works.work_create(
            actor=staff, zone=zone, name=name, kind="line", line=line, contractor=contractor + NOTE,
            contract_number=f"{code}/{start.year}", contract_value_kzt=Decimal(value),
            funding_source=funding, planned_start=start, planned_finish=finish, now=_at(start))
        if moved:  # a slip: the plan was moved back to the line's date, the baseline kept
            works.work_replan(actor=staff, work=work, planned_start=start,
                              planned_finish=line.planned_completion,
                              contract_value_kzt=Decimal(value) * Decimal("1.08"),
                              reason="Задержка поставки труб подрядчиком; доп. соглашение №1"
                                     + NOTE, now=_at(finish - dt.timedelta(days=20)))
        _progress(work, staff, today, start, done, Decimal(value) * Decimal(str(spent)))
        if code == "SE-2":
            works.work_inspect(actor=staff, work=work, inspector="ГУ «Управление ГАСК» (демо)",
                               inspected_on=today - dt.timedelta(days=20),
                               findings="Нарушен уклон коллектора на участке 120 м.",
                               fix_by=today - dt.timedelta(days=5), now=_at(today - dt.timedelta(20)))
    for source_code, contractor, value, funding, age, done in UPGRADE_WORKS:
        upgrade = InfrastructureProject.objects.filter(
            zone=zone, source__code=source_code, status=InfrastructureProject.Status.PLANNED).first()
        if upgrade is None:
            continue
        start = today - dt.timedelta(days=age) if age else min(
            today + dt.timedelta(days=60), upgrade.planned_completion)
        recorded = min(start, today)
        work = works.work_create(
            actor=staff, zone=zone, name=upgrade.name_ru, kind="upgrade", upgrade=upgrade,
            contractor=contractor + NOTE, contract_number=f"{source_code}-R/{recorded.year}",
            contract_value_kzt=Decimal(value), funding_source=funding, planned_start=start,
            planned_finish=max(upgrade.planned_completion, start), now=_at(recorded))
        _progress(work, staff, today, start, done, Decimal(value) * Decimal("0.3"))
    _airport(zone, staff, today)
    return True


def _progress(work: Work, staff: User, today: dt.date, start: dt.date, done: tuple,
              spent: Decimal) -> None:
    """Reports spread evenly from a month after the start to a week ago, the money spent
    growing to ``spent``."""
    end = today - dt.timedelta(days=7)
    first = min(start + dt.timedelta(days=30), end)
    step = (end - first) / max(len(done) - 1, 1)
    for i, percent in enumerate(done):
        on = first + step * i
        share = Decimal(i + 1) / Decimal(len(done))
        works.work_report_progress(actor=staff, work=work, reported_on=on, percent=percent,
                                   spent_kzt=(spent * share).quantize(Decimal("1")),
                                   remarks="Отчёт подрядчика" + NOTE, now=_at(on))


def _airport(zone: Zone, staff: User, today: dt.date) -> None:
    """The airport reconstruction: the contractor must finish by the end of the year."""
    start = dt.date(today.year - 1, 4, 1)
    work = works.work_create(
        actor=staff, zone=zone, kind="facility", funding_source="republican",
        name="Реконструкция аэропорта Балхаш: терминал и перрон (+30% пропускной способности)",
        contractor="Генеральный подрядчик" + NOTE, contract_number=f"АЭР-{start.year}/01",
        contract_value_kzt=Decimal("9800000000"), planned_start=start,
        planned_finish=dt.date(today.year, 12, 31), now=_at(start))
    _progress(work, staff, today, start, (40, 55, 68, 76, 82), Decimal("9800000000") * Decimal("0.9"))
    works.work_inspect(
        actor=staff, work=work, inspector="Комиссия акимата по контролю качества (демо)",
        inspected_on=today - dt.timedelta(days=10),
        findings="Протечки в примыканиях кровли терминала; переделать герметизацию.",
        fix_by=min(today + dt.timedelta(days=14), dt.date(today.year, 12, 31)),
        now=_at(today - dt.timedelta(days=10)))


def _allocate(zone: Zone, staff: User, plot_code: str, username: str, name: str, sector: str,
              investment: float, jobs: int, needs: dict, now: dt.datetime) -> Application | None:
    """An approved application holding ``plot_code``, through the review's own services."""
    plot = Plot.objects.filter(zone=zone, code=plot_code).first()
    investor = User.objects.filter(username=username).first()
    if plot is None or investor is None or Reservation.objects.filter(
            plot=plot, status__in=[Reservation.Status.ACTIVE, Reservation.Status.ALLOCATED]).exists():
        return None
    if plot.status == Plot.Status.OCCUPIED:  # offered again for the review to allocate it
        plot.status = Plot.Status.PUBLISHED
        feature_save(actor=staff, obj=plot, now=now)
    if plot.status != Plot.Status.PUBLISHED:
        return None
    app = applications.application_create(
        actor=investor, project_name=name + NOTE, sector=sector, jobs_planned=jobs,
        investment_kzt=Decimal(investment), needs=needs, preferred_plots=[plot.pk], now=now,
        description="Иллюстративная заявка демо-версии.")
    applications.application_submit(actor=investor, application=app, now=now)
    applications.application_start_review(actor=staff, application=app, now=now)
    applications.plot_reserve(actor=staff, plot=plot, application=app, now=now,
                              expires_at=now + dt.timedelta(days=90))
    return applications.application_approve(actor=staff, application=app, now=now)


def _operating(zone: Zone, staff: User, today: dt.date) -> bool:
    """The occupied plots and BLK-19: approved applications behind them."""
    added = False
    for plot_code, username, name, sector, investment, jobs, needs, months in OPERATING + [OVERDUE]:
        agreement = add_months(today, -months)
        added |= _allocate(zone, staff, plot_code, username, name, sector, investment, jobs,
                           needs, _at(agreement - dt.timedelta(days=30))) is not None
    return added


def _projects(staff: User, today: dt.date) -> bool:
    """A project for every approved application holding a plot and without one yet."""
    pending = Application.objects.filter(
        status=Application.Status.APPROVED, project__isnull=True,
        reservations__status=Reservation.Status.ALLOCATED).distinct().order_by("pk")
    added = False
    for i, app in enumerate(pending):
        plot = app.reservations.get(status=Reservation.Status.ALLOCATED).plot
        scenario = next((s for s in OPERATING if s[0] == plot.code), None)
        months = scenario[7] if scenario else OVERDUE[7] if plot.code == OVERDUE[0] else 5 + 9 * (i % 2)
        agreement = add_months(today, -months)
        project = projects.project_create(
            actor=staff, application=app, agreement_on=agreement, now=_at(agreement),
            plan=default_plan(app.investment_kzt, app.jobs_planned, agreement))
        _story(Project.objects.get(pk=project.pk), staff, today, operating=scenario is not None)
        added = True
    return added


def _story(project: Project, staff: User, today: dt.date, *, operating: bool) -> None:
    """Milestones, status updates and the investor's reports of an illustrative project."""
    agreement = project.agreement_on
    milestones = {m.kind: m for m in project.milestones.all()}
    investor = project.application.organisation.users.filter(is_active=True).first()
    offsets = {"design": 5, "permits": 9, "construction_start": 11, "commissioning": 30,
               "operation": 32} if operating else {"design": 8}
    for kind, months in offsets.items():
        done = add_months(agreement, months)
        if done <= today:
            projects.milestone_done(actor=staff, milestone=milestones[kind], done_on=done,
                                    now=_at(done))
    behind = project.pk % 2 == 0
    for year in project.years.order_by("year"):
        if year.year > today.year or investor is None:
            continue
        share = Decimal("0.7") if behind and year.year < today.year else Decimal("1")
        if year.year == today.year:
            share = Decimal("0.4")
        reported = min(dt.date(year.year, 12, 20), today - dt.timedelta(days=3))
        if reported < agreement:
            continue
        report = projects.project_report(
            actor=investor, project=project, year=year.year,
            investment_kzt=(year.investment_kzt * share).quantize(Decimal("1")),
            jobs=int(year.jobs * share), comment="Отчёт инвестора" + NOTE, now=_at(reported))
        if year.year < today.year:
            projects.report_confirm(actor=staff, report=report, now=_at(reported))
    late = not operating and add_months(agreement, 12) < today
    projects.project_status_update(
        actor=staff, project=project, on=today - dt.timedelta(days=2),
        health="off_track" if late else "at_risk" if behind else "on_track",
        comment=("Строительство не начато в срок; инвестор просит отсрочку." if late
                 else "Отставание по освоению инвестиций." if behind else "По графику.") + NOTE,
        now=_at(today - dt.timedelta(days=2)))
