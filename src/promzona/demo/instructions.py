"""The demo's instructions: the Balkhash chain as publicly reported, with illustrative children.

Public (as reported): the regional governor, acting on the Prime Minister's instruction, on
8 September 2025 told the town to lay engineering utilities now, to work with business and to
offer investors concrete plots and conditions, and ordered quality control of the airport
reconstruction, whose contractor was to finish by the end of the year.

Illustrative: the numbers, the Prime Minister's instruction's date, every deadline after the
governor's, the executors' departments and every report, extension and decision below. The
texts say so.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from promzona.accounts.models import User
from promzona.instructions import services
from promzona.instructions.models import Body
from promzona.zones.models import Plot, UtilityLine, UtilitySource, Zone

NOTE = "Номер, даты и ход исполнения — иллюстративные (демо)."


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _links(zone: Zone, **codes) -> list[dict]:
    out = []
    for kind, model in (("plot", Plot), ("line", UtilityLine), ("source", UtilitySource)):
        for code in codes.get(kind, ()):
            out.append({"type": kind, "id": model.objects.get(zone=zone, code=code).pk})
    if codes.get("whole_zone"):
        out.append({"type": "zone", "id": zone.pk})
    return out


def load(*, zone: Zone, today: dt.date, now: dt.datetime) -> None:
    """Load the chain (called once, by the demo loader; the bodies recorded at ``now``)."""
    staff, manager, executor = (User.objects.get(username=u) for u in
                                ("demo-staff", "demo-manager", "demo-executor"))

    def body(kind, ru, kk, en, head="", members=()):
        return services.body_save(actor=staff, body=Body(kind=kind, name_ru=ru, name_kk=kk,
                                                         name_en=en, head=head), members=members,
                                 now=now)

    gov = body("government", "Правительство Республики Казахстан", "Қазақстан Республикасының Үкіметі",
               "Government of the Republic of Kazakhstan", "Премьер-Министр Республики Казахстан")
    region = body("region", "Акимат Карагандинской области", "Қарағанды облысының әкімдігі",
                  "Karaganda regional akimat", "Аким Карагандинской области")
    city = body("city", "Акимат города Балхаш", "Балқаш қаласының әкімдігі", "Balkhash city akimat",
                "Аким города Балхаш")
    office = body("zone_office", "Управляющая компания МПЗ «Балхаш» (демо)",
                  "«Балқаш» ШИА басқарушы компаниясы (демо)",
                  "Balkhash zone management company (demo)", members=[staff])
    dept = body("city", "Отдел строительства и ЖКХ акимата г. Балхаш (демо)",
                "Балқаш қ. әкімдігінің құрылыс және ТКШ бөлімі (демо)",
                "Balkhash construction and utilities department (demo)", members=[executor])
    rec = body("organisation", "РЭК (демо)", "ӨЭК (демо)", "Regional power company (demo)")
    builder = body("organisation", "Подрядчик реконструкции аэропорта (демо)",
                   "Әуежайды қайта жаңарту мердігері (демо)", "Airport reconstruction contractor (demo)")

    def issue(day, **kw):
        kw.setdefault("controller", manager)
        return services.instruction_issue(actor=manager if kw["controller"] != manager else staff,
                                          issued_on=day, now=_at(day), **kw)

    pm = issue(dt.date(2025, 8, 1), number="ПМ-17-12/2025 (демо)", issuer=gov,
               issuer_person="Премьер-Министр", title="Развитие малых промышленных зон в моногородах",
               text="Обеспечить создание и развитие малых промышленных зон в моногородах области. " + NOTE,
               executor=region, deadline=dt.date(2026, 12, 31))
    governor = issue(dt.date(2025, 9, 8), number="01-08/2025 (демо)", issuer=region, parent=pm,
                     issuer_person="Аким Карагандинской области",
                     title="Малая промзона г. Балхаш: сети, работа с бизнесом, участки инвесторам",
                     text=("Уже сейчас приступить к прокладке инженерных коммуникаций; активно "
                           "работать с бизнесом; предлагать потенциальным инвесторам конкретные "
                           "участки и условия. Поручение от 8 сентября 2025 г.; номер и срок — "
                           "иллюстративные (демо)."),
                     executor=city, co_executors=[office], deadline=dt.date(2026, 12, 31),
                     links=_links(zone, whole_zone=True))
    airport = issue(dt.date(2025, 9, 8), number="01-09/2025 (демо)", issuer=region, parent=pm,
                    issuer_person="Аким Карагандинской области",
                    title="Контроль качества реконструкции аэропорта Балхаш",
                    text=("Обеспечить контроль качества работ; подрядчику завершить реконструкцию "
                           "до конца года. Продление срока и ход исполнения — иллюстративные (демо)."),
                    executor=city, co_executors=[builder], deadline=dt.date(2025, 12, 31))
    services.instruction_extension_request(
        actor=manager, instruction=airport, new_deadline=today + dt.timedelta(days=30),
        reason="Перенос сроков подрядчиком (иллюстративно)", now=_at(dt.date(2025, 12, 20)))

    def child(days_ago, number, title, executor_body, deadline_in, **kw):
        day = today - dt.timedelta(days=days_ago)
        return issue(day, number=number, issuer=city, issuer_person="Аким города Балхаш",
                     parent=governor, title=title, text=NOTE, executor=executor_body,
                     deadline=today + dt.timedelta(days=deadline_in), **kw)

    def when(days_ago, hour=11):
        return _at(today - dt.timedelta(days=days_ago), hour)

    power = child(90, "12-1 (демо)", "Электроснабжение участков ряда 2 от ПС-2 (ЛЭП 10 кВ)", dept, -20,
                  executor_person=executor, controller=staff, co_executors=[rec],
                  links=_links(zone, line=["PO-3"], source=["PS-2"]))
    services.instruction_start(actor=executor, instruction=power, now=when(85))
    services.instruction_extension_request(actor=executor, instruction=power, now=when(30),
                                           new_deadline=today + dt.timedelta(days=60),
                                           reason="Поставка трансформаторов задерживается")
    services.instruction_extension_decide(actor=staff, instruction=power, grant=False, now=when(28),
                                          comment="Срок поручения области не позволяет")
    water = child(80, "12-2 (демо)", "Водовод от ВЗ-1 к участкам ряда 3", dept, -10,
                  executor_person=executor, controller=staff,
                  links=_links(zone, line=["WA-2"], source=["VZ-1"]))
    services.instruction_start(actor=executor, instruction=water, now=when(78))
    services.instruction_extension_request(actor=executor, instruction=water, now=when(15),
                                           new_deadline=today + dt.timedelta(days=45),
                                           reason="Согласование трассы с владельцем земель")
    services.instruction_extension_decide(actor=staff, instruction=water, grant=True, now=when(14))
    passports = child(75, "12-3 (демо)", "Подготовить паспорта участков и условия для инвесторов",
                      office, -30, executor_person=staff, links=_links(zone, whole_zone=True))
    services.instruction_report(actor=staff, instruction=passports, now=when(35),
                                text="Паспорта 25 участков опубликованы на портале.")
    services.instruction_accept(actor=manager, instruction=passports, now=when(33))
    business = child(75, "12-4 (демо)", "Провести встречу с бизнесом и якорными предприятиями",
                     office, -40, executor_person=staff)
    services.instruction_report(actor=staff, instruction=business, now=when(29),
                                text="Встреча проведена, протокол приложен в деле.")
    services.instruction_accept(actor=manager, instruction=business, now=when(28))
    offer = child(60, "12-5 (демо)", "Предложить инвесторам конкретные участки ряда 1", office, 2,
                  executor_person=staff, links=_links(zone, plot=["BLK-03", "BLK-07"]))
    services.instruction_start(actor=staff, instruction=offer, now=when(50))
    services.instruction_report(actor=staff, instruction=offer, now=when(1),
                                text="Предложения направлены трём инвесторам.")
    child(3, "12-6 (демо)", "Обследовать подъездные дороги к участкам ряда 1", dept, 10,
          executor_person=executor, controller=staff)
