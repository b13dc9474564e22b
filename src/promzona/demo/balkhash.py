"""The Balkhash small industrial zone: ILLUSTRATIVE demo data.

Geography is approximate (town centre about 46.85 N, 74.99 E; airport about 46.89 N, 75.00 E);
plots, capacities, tariffs, prices, investors and dates are invented to show how promzona works
and are labelled as such wherever they are shown. Nothing here is an official figure.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pyproj import Transformer

from promzona.accounts.models import Organisation, User
from promzona.accounts.services import organisation_confirm, organisation_create, user_create
from promzona.zones import oked, services
from promzona.zones.models import (
    AnchorEnterprise,
    InfrastructureProject,
    MapFeature,
    Plot,
    PriorityDirection,
    Sector,
    UtilityLine,
    UtilitySource,
    Zone,
)

from . import branding, news
from . import contacts as demo_contacts
from . import instructions as demo_instructions
from .accounts import DEMO_ACCOUNTS, DEMO_ZONE_SLUG

NOTE = "Иллюстративные данные демо-версии, не официальные сведения."
NOTE_KK = "Демо-нұсқаның иллюстративтік деректері, ресми мәліметтер емес."
NOTE_EN = "Illustrative demo data, not official information."

DIRECTIONS = [
    ("Металлообработка и техническое обслуживание", "Металл өңдеу және техникалық қызмет көрсету",
     "Metalworking and technical service", ["C25", "C28", "C33"]),
    ("Строительные и упаковочные материалы", "Құрылыс және қаптама материалдары",
     "Construction and packaging materials", ["C23", "C22", "C17"]),
    ("Логистика и складское хозяйство", "Логистика және қойма шаруашылығы",
     "Logistics and warehousing", ["H49", "H52"]),
    ("Инжиниринговые и энергосервисные услуги", "Инжиниринг және энергосервистік қызметтер",
     "Engineering and energy services", ["M71", "D35", "F43"]),
]

# The zone's south-west corner, in UTM 43N metres (about 46.856 N, 75.020 E).
_TO_WGS84 = Transformer.from_crs(32643, 4326, always_xy=True)
_FROM_WGS84 = Transformer.from_crs(4326, 32643, always_xy=True)
X0, Y0 = _FROM_WGS84.transform(75.020, 46.856)
GAP = 20.0  # internal roads between plots, metres

# Rows from north (by the railway) to south: height in metres and plot areas in hectares.
ROWS = [
    (300.0, [20, 12, 8, 5.5, 3.2]),
    (200.0, [10, 6, 4, 2.5, 1.8, 1.2, 0.8]),
    (150.0, [7.5, 5, 3, 2, 1.5, 1, 0.6, 0.45]),
    (100.0, [4, 3, 2, 1.2, 0.9, 0.6, 0.45, 0.3]),
]
STATUS_CYCLE = [
    "published", "published", "occupied", "published", "allocated", "published", "draft",
    "published", "reserved", "occupied", "published", "withdrawn", "published", "allocated",
    "published", "occupied", "published", "draft", "published", "published", "reserved",
    "occupied", "published", "allocated", "published", "withdrawn", "published", "draft",
]
ROW_SECTORS = [
    ["C25", "C28", "C33", "C23", "H49", "H52"],
    ["C25", "C28", "C33", "C23", "C22", "F43"],
    ["C22", "C17", "C23", "H52", "M71", "D35"],
    ["M71", "D35", "F43", "C33", "H52"],
]
ROW_HAZARD = [3, 3, 4, 5]
ROW_LEASE = [180_000, 220_000, 260_000, 320_000]


def _wgs(points_m: list[tuple[float, float]]) -> list[list[float]]:
    xs, ys = _TO_WGS84.transform([p[0] for p in points_m], [p[1] for p in points_m])
    return [[round(x, 7), round(y, 7)] for x, y in zip(xs, ys, strict=True)]


def _rect(x: float, y: float, w: float, h: float) -> dict:
    ring = _wgs([(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)])
    return {"type": "Polygon", "coordinates": [ring]}


def _line(points_m: list[tuple[float, float]]) -> dict:
    return {"type": "LineString", "coordinates": _wgs(points_m)}


def plot_layout() -> list[dict]:
    """Rectangles (metric) for each plot, rows stacked from the north edge southwards."""
    total_h = sum(h for h, _ in ROWS) + GAP * (len(ROWS) + 1)
    y_top = Y0 + total_h
    out, n = [], 0
    y = y_top - GAP
    for r, (h, areas) in enumerate(ROWS):
        x = X0 + GAP
        for a in areas:
            w = a * 10_000 / h
            n += 1
            out.append({"n": n, "row": r, "x": x, "y": y - h, "w": w, "h": h, "area": a})
            x += w + GAP
        y -= h + GAP
    return out


def _zone_extent() -> tuple[float, float, float, float]:
    layout = plot_layout()
    x1 = max(p["x"] + p["w"] for p in layout) + GAP
    y1 = max(p["y"] + p["h"] for p in layout) + GAP
    return X0, Y0, x1, y1


def recorded_at(today: dt.date) -> dt.datetime:
    """When the demo's zone, utilities and plots were "recorded": early in the year four years
    ago, before the oldest application of the execution demo, so their history reads as it
    would have been kept (the dashboard's figures of past days come from it)."""
    return timezone.make_aware(dt.datetime.combine(dt.date(today.year - 4, 1, 10), dt.time(12)))


def sectors_complete(*, now: dt.datetime) -> list[str]:
    """Add (audited) the shipped OKED sectors a database lacks and return their codes: none
    after the migration, all of them after a test flushed the tables."""
    added = oked.missing(set(Sector.objects.values_list("code", flat=True)))
    for code, ru, kk, en in added:
        services.feature_save(actor=None, obj=Sector(code=code, name_ru=ru, name_kk=kk, name_en=en),
                              now=now)
    return [s[0] for s in added]


@transaction.atomic
def load(*, today: dt.date) -> bool:
    """Load the demo in one transaction; return False (and change nothing) when it is already
    there."""
    if Zone.objects.filter(slug=DEMO_ZONE_SLUG).exists():
        return False
    recorded = recorded_at(today)
    save = partial(services.feature_save, now=recorded)
    sectors_complete(now=recorded)
    x0, y0, x1, y1 = _zone_extent()
    zone = save(actor=None, obj=Zone(
        slug=DEMO_ZONE_SLUG,
        name_ru="Малая промышленная зона «Балхаш»",
        name_kk="«Балқаш» шағын индустриялық аймағы",
        name_en="Balkhash small industrial zone",
        kind=Zone.Kind.SMALL, status=Zone.Status.FORMING,
        geometry=_rect(x0, y0, x1 - x0, y1 - y0),
        municipality="г. Балхаш, Карагандинская область",
        municipality_kk="Балқаш қ., Қарағанды облысы",
        municipality_en="Balkhash, Karaganda region",
        management_company="ТОО «Управляющая компания МПЗ Балхаш» (демо)",
        management_company_kk="«Балқаш ШИА басқарушы компаниясы» ЖШС (демо)",
        management_company_en="Balkhash SIZ Management Company LLP (demo)",
        description_ru=("Малая промзона на свободных участках промышленных земель рядом с "
                        "медеплавильным заводом; будет расширена до полноценной индустриальной "
                        "зоны. " + NOTE),
        description_kk=("Мыс балқыту зауытының жанындағы бос өнеркәсіптік жерлердегі шағын "
                        "индустриялық аймақ. Демо-нұсқаның иллюстративтік деректері."),
        description_en=("A small industrial zone on free industrial land beside the copper "
                        "smelter, to grow into a full industrial zone. Illustrative demo data."),
        incentives_ru=("Аренда по льготной ставке на 5 лет; подключение к сетям, построенным "
                       "акиматом; содействие в получении ТУ (иллюстративно)."),
        incentives_kk="5 жылға жеңілдетілген жалдау ставкасы (иллюстративтік).",
        incentives_en=("A reduced lease rate for 5 years; connection to the networks built by "
                       "the akimat; help with connection conditions (illustrative)."),
        contact_name="Отдел предпринимательства и промышленности (демо)",
        contact_name_kk="Кәсіпкерлік және өнеркәсіп бөлімі (демо)",
        contact_name_en="Department of Entrepreneurship and Industry (demo)",
        contact_email="invest@balkhash.example", contact_phone="+7 000 000 00 00",
        contact_address="г. Балхаш (демо)", contact_address_kk="Балқаш қ. (демо)",
        contact_address_en="Balkhash (demo)", admin_procedure_days=45, is_illustrative=True,
    ))
    for pos, (ru, kk, en, codes) in enumerate(DIRECTIONS):
        d = PriorityDirection.objects.create(zone=zone, position=pos, name_ru=ru, name_kk=kk, name_en=en)
        d.sectors.set(codes)
        zone.priority_sectors.add(*codes)
    for ru, kk, en, sector, employees in [
        ("Балхашский медеплавильный завод", "Балқаш мыс балқыту зауыты", "Balkhash copper smelter",
         "C24.44", 5000),
        ("Завод катодной меди", "Катодты мыс зауыты", "Cathode copper plant", "C24.44", 400),
    ]:
        save(actor=None, obj=AnchorEnterprise(zone=zone, name_ru=ru, name_kk=kk, name_en=en,
                                              sector_id=sector, employees=employees,
                                              description_ru=NOTE, description_kk=NOTE_KK,
                                              description_en=NOTE_EN))
    demo_contacts.load(zone=zone, now=recorded)
    _load_map(zone, x0, y0, x1, y1, recorded)
    committed = _load_utilities(zone, x0, y0, x1, y1, today, recorded)
    _load_plots(zone, today, recorded)
    _load_people(now=recorded)
    _load_ledger(zone, committed, today, recorded)
    demo_instructions.load(zone=zone, today=today, now=recorded)
    news.load(zone=zone, now=timezone.now())
    branding.load(now=recorded)
    return True


def _load_map(zone: Zone, x0: float, y0: float, x1: float, y1: float,
              recorded: dt.datetime) -> None:
    save = partial(services.feature_save, now=recorded)
    tc_x, tc_y = _FROM_WGS84.transform(74.99, 46.85)
    ap_x, ap_y = _FROM_WGS84.transform(75.00, 46.89)
    features = [
        ("town", "Балхаш", {"type": "Polygon", "coordinates": [_wgs([
            (tc_x - 3500, tc_y - 1800), (tc_x + 1800, tc_y - 1800), (tc_x + 2200, tc_y + 1500),
            (tc_x - 600, tc_y + 2600), (tc_x - 3500, tc_y + 1200), (tc_x - 3500, tc_y - 1800)])]}),
        ("town_centre", "Центр города", {"type": "Point", "coordinates": _wgs([(tc_x, tc_y)])[0]}),
        ("shoreline", "Озеро Балхаш", _line([(tc_x - 6000, tc_y - 2600), (tc_x - 1000, tc_y - 2300),
                                             (x0, y0 - 1500), (x1 + 4000, y0 - 1900)])),
        ("rail", "Железная дорога", _line([(tc_x - 6000, y1 + 400), (x1 + 5000, y1 + 400)])),
        ("rail", "Подъездной путь МПЗ", _line([(x0 + 600, y1 + 400), (x0 + 900, y1 + 5)])),
        ("road", "Автодорога Балхаш — промзона", _line([(tc_x, tc_y), (x0 - 300, y0 + 250),
                                                        (x0, y0 + 250)])),
        ("road", "Трасса на Караганду / аэропорт", _line([(tc_x, tc_y), (ap_x, ap_y - 600),
                                                          (ap_x + 4000, ap_y + 3000)])),
        ("airport", "Аэропорт Балхаш (BXH)", _rect(ap_x - 900, ap_y - 300, 1800, 600)),
    ]
    for kind, name, geom in features:
        save(actor=None, obj=MapFeature(zone=zone, kind=kind, name=name, geometry=geom))


LINE_STATUS_RU = {"existing": "сеть", "under_construction": "строится", "planned": "проект"}


def _load_utilities(zone, x0, y0, x1, y1, today, recorded) -> dict[str, Decimal]:
    """Sources, lines and projects; returns each source's committed capacity to be (see
    :func:`_load_ledger`)."""
    save = partial(services.feature_save, now=recorded)

    def point(x, y):
        return {"type": "Point", "coordinates": _wgs([(x, y)])[0]}

    specs = [  # code, kind, (ru, kk, en), capacity, committed, tariff, operator, location
        ("PS-1", "power", ("Подстанция ПС-1 110/10 кВ", "ПС-1 110/10 кВ қосалқы станциясы",
                           "Substation PS-1 110/10 kV"), 6300, 5000,
         "32.5", "РЭК (демо)", point(x0 - 200, y1 - 100)),
        ("PS-2", "power", ("Подстанция ПС-2 35/10 кВ", "ПС-2 35/10 кВ қосалқы станциясы",
                           "Substation PS-2 35/10 kV"), 16000, 12800,
         "32.5", "РЭК (демо)", point(x1 + 150, y0 + 200)),
        ("VZ-1", "water", ("Водовод от водозабора ВЗ-1", "ВЗ-1 су тартқышынан су құбыры",
                           "Water intake VZ-1"), 2400, 1900, "185",
         "Водоканал (демо)", point(x0 - 400, y0 - 300)),
        ("TEC-1", "heat", ("ТЭЦ медеплавильного завода", "Мыс балқыту зауытының ЖЭО",
                           "Smelter CHP"), 40, "31.5", "9800",
         "ТЭЦ БМЗ (демо)", point(x0 - 800, y1 + 200)),
        ("KNS-1", "sewage", ("КНС-1 и очистные сооружения", "КСС-1 және тазарту құрылыстары",
                             "Pumping station KNS-1 and treatment"),
         1500, 600, "140", "Водоканал (демо)", point(x1 + 300, y0 - 400)),
        ("GRS-1", "gas", ("ГРС (планируется)", "ГТС (жоспарланған)",
                          "Gas distribution station (planned)"), 0, 0, "60",
         "QazaqGaz (демо)", point(x1 + 800, y1 + 300)),
    ]
    sources, committed_by_code = {}, {}
    for code, kind, (ru, kk, en), cap, committed, tariff, operator, loc in specs:
        sources[code] = save(actor=None, obj=UtilitySource(
            zone=zone, code=code, kind=kind, name_ru=ru, name_kk=kk, name_en=en,
            capacity=Decimal(str(cap)),
            tariff_kzt=Decimal(tariff), operator=operator, geometry=loc))
        committed_by_code[code] = Decimal(str(committed))
    # Lines: existing along the north road, under construction in the middle, planned south.
    mid_y = (y0 + y1) / 2
    kinds = [("power", "PS-2", "2500000", "18000000", 120), ("water", "VZ-1", "1200000", "9000000", 60),
             ("heat", "TEC-1", "3000000", "35000000", 90), ("sewage", "KNS-1", "1000000", "12000000", 60),
             ("gas", "GRS-1", "1500000", "10000000", 90)]
    for i, (kind, src, fixed, per_km, lead) in enumerate(kinds):
        off = 4 + 3 * i
        runs = [
            ("existing", None, [(x0 - 800, y1 - off), (x1 * 0.5 + x0 * 0.5, y1 - off)]),
            ("under_construction", today + dt.timedelta(days=150 + 30 * i),
             [(x0, mid_y + off), (x1, mid_y + off)]),
            ("planned", dt.date(today.year + 1, 12, 31), [(x0, y0 + off), (x1, y0 + off)]),
        ]
        if kind == "gas":  # no gas in town yet: only planned
            runs = [runs[2]]
        if kind == "power":  # PS-1 feeds the north-west corner
            runs.insert(0, ("existing", None, [(x0 - 200, y1 - 100), (x0 - 200, y1 - 1)]))
        for j, (status, done, pts) in enumerate(runs):
            source = sources["PS-1"] if kind == "power" and j == 0 else sources[src]
            save(actor=None, obj=UtilityLine(
                zone=zone, code=f"{kind[:2].upper()}-{j + 1}", kind=kind, source=source,
                name=f"{source.name_ru}: {LINE_STATUS_RU[status]}",
                status=status, planned_completion=done, geometry=_line(pts),
                connection_fixed_cost_kzt=Decimal(fixed), connection_cost_per_km_kzt=Decimal(per_km),
                connection_lead_days=lead))
    for ru, kk, en, src, added, cost, done in [
        ("Реконструкция ПС-2", "ПС-2 қайта құру", "PS-2 upgrade", "PS-2", 10000,
         "2400000000", dt.date(2027, 6, 30)),
        ("Строительство ГРС и газопровода", "ГТС пен газ құбырын салу", "Gas station and pipeline",
         "GRS-1", 5000, "3100000000", dt.date(today.year + 1, 12, 31)),
        ("Второй водовод ВЗ-1", "ВЗ-1 екінші су құбыры", "Second VZ-1 main", "VZ-1", 1500,
         "900000000", dt.date(today.year + 1, 9, 30)),
    ]:
        save(actor=None, obj=InfrastructureProject(
            zone=zone, name_ru=ru, name_kk=kk, name_en=en, status="planned", source=sources[src],
            capacity_added=Decimal(added), cost_kzt=Decimal(cost), planned_completion=done))
    return committed_by_code


#: The one demo plot whose passport is older than the stale period (its warning shows the rule);
#: plot 9 is flagged by staff for re-verification. Every other passport is current.
STALE_BY_AGE = 17


def _verified_days_ago(n: int) -> int:
    """How long before the load plot ``n`` was verified: spread within the stale period, so the
    "needs re-verification" warning shows only where the demo means it to."""
    period = settings.PROMZONA_STALE_AFTER_DAYS
    if n == STALE_BY_AGE:
        return period + 35
    return 10 + (23 * n) % max(period - 40, 1)


#: Plot statuses only the reservation services set: the demo reaches them through those services.
LEDGER_STATUSES = ("reserved", "allocated")

# The applications behind the reserved and allocated plots (illustrative):
# plot, project, sector, investment (KZT), jobs, needs.
HELD_PLOTS = [
    ("BLK-05", "Цех стальных конструкций (демо)", "C25", 1_800_000_000, 85,
     {"power_kw": 900, "water_m3_day": 25, "sewage_m3_day": 20, "heat_gcal_h": 1.2}),
    ("BLK-09", "Ремонт горного оборудования (демо)", "C33", 650_000_000, 40,
     {"power_kw": 400, "water_m3_day": 10, "sewage_m3_day": 8, "heat_gcal_h": 0.6}),
    ("BLK-14", "Производство полимерной упаковки (демо)", "C22", 1_200_000_000, 60,
     {"power_kw": 750, "water_m3_day": 30, "sewage_m3_day": 25, "heat_gcal_h": 0.9}),
    ("BLK-21", "Инжиниринговый центр (демо)", "M71", 150_000_000, 25,
     {"power_kw": 120, "water_m3_day": 4, "sewage_m3_day": 4, "heat_gcal_h": 0.2}),
    ("BLK-24", "Склад и сервис спецтехники (демо)", "H52", 400_000_000, 30,
     {"power_kw": 250, "water_m3_day": 6, "sewage_m3_day": 5, "heat_gcal_h": 0.4}),
]


def _load_plots(zone: Zone, today: dt.date, recorded: dt.datetime) -> None:
    save = partial(services.feature_save, now=recorded)
    for p in plot_layout():
        n, row = p["n"], p["row"]
        status = STATUS_CYCLE[n - 1]
        declared = Decimal(str(p["area"]))
        if n == 6:  # a surveying discrepancy the passport must show
            declared = (declared * Decimal("1.08")).quantize(Decimal("0.0001"))
        verified = today - dt.timedelta(days=_verified_days_ago(n))
        lease = Decimal(ROW_LEASE[row])
        plot = save(actor=None, obj=Plot(
            zone=zone, code=f"BLK-{n:02d}", cadastral_number=f"09-108-001-{100 + n:03d}",
            name_ru=f"Участок №{n}", name_kk=f"№{n} учаске", name_en=f"Plot {n}",
            description_ru=NOTE, description_kk=NOTE_KK, description_en=NOTE_EN,
            declared_area_ha=declared,
            status=Plot.Status.PUBLISHED if status in LEDGER_STATUSES else status,
            geometry=_rect(p["x"], p["y"], p["w"], p["h"]),
            ownership=Plot.Ownership.STATE if n % 3 else Plot.Ownership.MUNICIPAL,
            hazard_class_max=ROW_HAZARD[row],
            deal_lease=True, lease_price_kzt_ha_year=lease,
            deal_sale=n % 4 == 0, sale_price_kzt=(declared * lease * 8) if n % 4 == 0 else None,
            deal_free_use=row == 3 and n % 2 == 0,
            existing_buildings="Склад 600 м² (требует ремонта)" if n in (3, 10) else "",
            existing_buildings_kk="600 м² қойма (жөндеуді қажет етеді)" if n in (3, 10) else "",
            existing_buildings_en="Warehouse of 600 m² (needs repair)" if n in (3, 10) else "",
            rail_spur=row == 0,
            available_from=today + dt.timedelta(days=90) if status == "draft" else None,
            source_document=f"Акт обследования №{n}/МПЗ (демо)",
            source_document_kk=f"№{n}/ШИА тексеру актісі (демо)",
            source_document_en=f"Survey report No. {n}/SIZ (demo)",
            verified_by="Отдел земельных отношений (демо)",
            verified_by_kk="Жер қатынастары бөлімі (демо)",
            verified_by_en="Land Relations Department (demo)",
            verified_at=verified, needs_reverification=n == 9,
        ))
        plot.permitted_sectors.set(ROW_SECTORS[row])


def _load_ledger(zone: Zone, committed: dict[str, Decimal], today: dt.date,
                 recorded: dt.datetime) -> None:
    """Reserve and allocate the plots the status cycle holds, through the services (each has
    an application and a reservation that can be released), a month ago, then commit the rest
    of each source's load to its existing consumers (recorded with the zone)."""
    from promzona.applications import services as apps

    def at(days_ago: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days_ago),
                                                       dt.time(12)))

    staff = User.objects.get(username="demo-staff")
    applicant = User.objects.get(username="demo-investor3")
    for code, project, sector, investment, jobs, needs in HELD_PLOTS:
        plot = Plot.objects.get(zone=zone, code=code)
        status = STATUS_CYCLE[int(code[4:]) - 1]
        assert status in LEDGER_STATUSES, code
        app = apps.application_create(
            actor=applicant, project_name=project, sector=sector, investment_kzt=investment,
            jobs_planned=jobs, needs=needs, preferred_plots=[plot.pk], description=NOTE,
            now=at(45))
        apps.application_submit(actor=applicant, application=app, now=at(45))
        apps.application_start_review(actor=staff, application=app, now=at(40))
        apps.plot_reserve(actor=staff, plot=plot, application=app, now=at(30),
                          expires_at=at(30) + dt.timedelta(days=90))
        if status == "allocated":
            apps.application_approve(actor=staff, application=app, now=at(20))
    for source in UtilitySource.objects.filter(zone=zone):
        rest = committed[source.code] - source.committed
        assert rest >= 0, source.code  # the held plots fit in each source's illustrative load
        if rest > 0:
            services.capacity_commit(actor=None, source=source, amount=rest, now=recorded,
                                     holder="Действующие потребители (демо)")


def _load_people(*, now: dt.datetime) -> None:
    orgs = {}
    for name, bin_, email in [
        ("ТОО «Балхаш МеталлСервис» (демо)", "180140005227", "info@metallservice.example"),
        ("ТОО «Сарыарка Логистик» (демо)", "050840001233", "office@logistic.example"),
        ("ТОО «ПромСтройМатериалы» (демо)", "990340001111", "psm@example.org"),
    ]:
        org = Organisation.objects.filter(bin=bin_).first() or organisation_create(
            actor=None, name=name, number=bin_, email=email, now=now)
        if not org.is_confirmed:
            organisation_confirm(actor=None, organisation=org, note=NOTE, now=now)
        orgs[bin_] = org
    for a in DEMO_ACCOUNTS:
        if User.objects.filter(username=a.username).exists():
            continue
        user_create(actor=None, username=a.username, password=a.password, role=a.role,
                    email=f"{a.username}@example.org" if a.has_email else "",
                    organisation=orgs.get(a.organisation_bin) if a.organisation_bin else None,
                    now=now)
