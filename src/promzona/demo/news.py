"""The demo's newsroom: a handful of ILLUSTRATIVE articles about the Balkhash zone, written in
our own words from public reports, with pictures we draw from the demo zone's own data.

The public facts (the regional governor's visit and instruction of 8 September 2025, the four
priority directions, the airport's reconstruction, the cathode-copper plant) come from regional
press reports: each article links the public report it retells (:data:`SOURCES`), labelled as
the source of a demo retelling; the one about the portal itself has none. The figures in the
pictures are the demo's invented ones, and every picture's credit says so. Plus the drafts the
demo's own events wrote (plots put on offer), which stay drafts.
"""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch

from promzona.accounts.models import User
from promzona.news import comments, services
from promzona.news.events import rubric_for
from promzona.news.models import Article
from promzona.zones.models import AnchorEnterprise, MapFeature, Plot, UtilitySource, Zone

ALMATY = ZoneInfo("Asia/Almaty")
#: slug -> (link, label) of the public report a demo article retells.
SOURCES = {
    "governor-visit-balkhash-2025-09-08": (
        "https://inkaraganda.kz/main_news/v-balhashe-planirujut-sozdat-maluju-promyshlennuju-zonu/",
        "InKaraganda, 08.09.2025 (пересказ в демо / retold in the demo)"),
    "four-priority-directions": (
        "https://inkaraganda.kz/main_news/v-balhashe-planirujut-sozdat-maluju-promyshlennuju-zonu/",
        "InKaraganda, 08.09.2025 (пересказ в демо / retold in the demo)"),
    "balkhash-airport-reconstruction": (
        "https://www.inform.kz/ru/aeroport-v-balhashe-rekonstruiruyut-za-schet-vozvrashennih-aktivov-72b9fa",
        "Kazinform, 15.11.2025 (пересказ в демо / retold in the demo)"),
    "cathode-copper-plant": (
        "http://www.kazakhmys.kz/en/news/item-The-glorious-copper-of-Balkhash",
        "Kazakhmys, 24.11.2021 (пересказ в демо / retold in the demo)"),
}
CREDIT_MAP = "promzona — карта по демо-данным зоны (иллюстрация) / map from the demo data"
CREDIT_CHART = "promzona — диаграмма по демо-данным зоны (иллюстрация) / chart from the demo data"
NOTE_RU = "<p><em>Демо-статья: пересказ публичных сообщений своими словами.</em></p>"
NOTE_KK = "<p><em>Демо-мақала: жария хабарларды өз сөзімізбен баяндау.</em></p>"
NOTE_EN = "<p><em>Demo article: public reports retold in our own words.</em></p>"

STATUS_COLOURS = {"published": "#1a9850", "reserved": "#f0a500", "allocated": "#3f6fb5",
                  "occupied": "#6b6b6b", "draft": "#b9b9b9", "withdrawn": "#a40000"}


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=100)
    return out.getvalue()


def zone_map(zone: Zone, *, airport: bool = False) -> bytes:
    """The zone's plots coloured by status over its roads, rail and shore (or the airport)."""
    fig = Figure(figsize=(12, 7.2))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_facecolor("#eef1ec")
    for f in MapFeature.objects.filter(zone=zone):
        shape = f.shape()
        if shape.geom_type == "Polygon":
            colour = "#cfd8dc" if f.kind == "airport" else "#e8dcc4"
            ax.add_patch(PolygonPatch(list(shape.exterior.coords), closed=True, fc=colour,
                                      ec="#9e9e9e", lw=1))
        elif shape.geom_type == "LineString":
            xs, ys = shape.xy
            style = {"rail": ("#222222", 2.5, "--"), "road": ("#c0392b", 2, "-"),
                     "shoreline": ("#1f78b4", 3, "-")}.get(f.kind, ("#555555", 1, "-"))
            ax.plot(xs, ys, color=style[0], lw=style[1], ls=style[2])
    plots = list(Plot.objects.filter(zone=zone))
    for p in plots:
        ax.add_patch(PolygonPatch(list(p.shape().exterior.coords), closed=True,
                                  fc=STATUS_COLOURS.get(p.status, "#999999"), ec="white", lw=0.8))
    target = MapFeature.objects.filter(zone=zone, kind="airport").first() if airport else None
    box = target.shape().bounds if target else zone.shape().bounds
    pad = 0.03 if target else 0.004
    ax.set_xlim(box[0] - pad, box[2] + pad)
    ax.set_ylim(box[1] - pad * 0.7, box[3] + pad * 0.7)
    ax.set_aspect(1 / 0.684)  # cos(46.9°): metres east and north on the same scale
    ax.set_axis_off()
    return _png(fig)


def capacity_chart(zone: Zone) -> bytes:
    """Free and committed capacity of each utility source, in per cent of its capacity."""
    sources = [s for s in UtilitySource.objects.filter(zone=zone) if s.capacity > 0]
    fig = Figure(figsize=(12, 6.4))
    ax = fig.add_axes((0.3, 0.12, 0.66, 0.8))
    names = [f"{s.code} ({s.unit})" for s in sources]
    committed = [float(s.committed / s.capacity * 100) for s in sources]
    ax.barh(names, committed, color="#3f6fb5", label="занято / committed")
    ax.barh(names, [100 - c for c in committed], left=committed, color="#1a9850",
            label="свободно / free")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% мощности / % of capacity (демо / demo)")
    ax.legend(loc="lower right")
    return _png(fig)


def directions_chart(zone: Zone) -> bytes:
    """How many of the zone's plots allow a sector of each priority direction."""
    plots = list(Plot.objects.filter(zone=zone).prefetch_related("permitted_sectors"))
    rows = []
    for d in zone.directions.prefetch_related("sectors"):
        codes = {s.code for s in d.sectors.all()}
        rows.append((d.name_en, sum(1 for p in plots
                                    if codes & {s.code for s in p.permitted_sectors.all()})))
    fig = Figure(figsize=(12, 6.4))
    ax = fig.add_axes((0.36, 0.12, 0.6, 0.8))
    ax.barh([r[0] for r in rows], [r[1] for r in rows], color="#0b5cad")
    ax.set_xlabel("участков / plots (демо / demo)")
    return _png(fig)


def anchors_chart(zone: Zone) -> bytes:
    anchors = list(AnchorEnterprise.objects.filter(zone=zone))
    fig = Figure(figsize=(12, 6.4))
    ax = fig.add_axes((0.3, 0.12, 0.66, 0.8))
    ax.barh([a.name_en for a in anchors], [a.employees or 0 for a in anchors], color="#b5651d")
    ax.set_xlabel("работников / employees (демо / demo)")
    return _png(fig)


def _at(day: dt.date, hour: int = 11) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=ALMATY)


# slug, rubric, date, photo kind, tags, (ru, kk, en) x (title, lead, body); "" = not translated.
ARTICLES = [
    ("governor-visit-balkhash-2025-09-08", "governance", dt.date(2025, 9, 8), "map",
     ["Балхаш", "поручение", "инженерные сети"],
     ("Аким области поручил начать прокладку сетей в малой промзоне Балхаша",
      "Во время рабочей поездки 8 сентября 2025 года аким Карагандинской области поручил "
      "городу уже сейчас вести к промзоне электричество, воду, тепло, канализацию и дороги.",
      "<p>Глава региона осмотрел свободные площадки на промышленных землях медеплавильного "
      "завода, где город создаёт малую промышленную зону. Поручение — не ждать инвесторов, а "
      "начинать инженерную подготовку территории сейчас.</p><p>Отдельно аким попросил активно "
      "работать с бизнесом и предлагать потенциальным инвесторам <strong>конкретные участки "
      "и конкретные условия</strong>: площадь, подключения, сроки и стоимость.</p>"),
     ("Облыс әкімі Балқаштың шағын өнеркәсіптік аймағында желілер тартуды бастауды тапсырды",
      "2025 жылғы 8 қыркүйектегі жұмыс сапарында Қарағанды облысының әкімі қалаға аймаққа "
      "электр, су, жылу, кәріз және жол тартуды қазірдің өзінде бастауды тапсырды.",
      "<p>Өңір басшысы қала шағын индустриялық аймақ құрып жатқан мыс балқыту зауытының "
      "өнеркәсіптік жерлеріндегі бос алаңдарды аралады. Тапсырма — инвесторларды күтпей, "
      "аумақты инженерлік дайындауды қазір бастау.</p><p>Сондай-ақ әкім бизнеспен белсенді "
      "жұмыс істеп, әлеуетті инвесторларға <strong>нақты учаскелер мен нақты шарттар</strong> "
      "ұсынуды сұрады.</p>"),
     ("Regional governor orders utilities for Balkhash's small industrial zone now",
      "On a working visit on 8 September 2025 the governor of the Karaganda region told the "
      "city to start bringing power, water, heat, sewage and roads to the zone now.",
      "<p>The head of the region looked at the free sites on the copper smelter's industrial "
      "land where the city is creating a small industrial zone. The instruction: do not wait "
      "for investors; prepare the land's utilities now.</p><p>He also asked the city to work "
      "actively with business and to offer potential investors <strong>specific plots on "
      "specific conditions</strong>: area, connections, timing and cost.</p>")),
    ("four-priority-directions", "investors", dt.date(2025, 9, 10), "directions",
     ["направления", "инвесторы"],
     ("Четыре направления для инвесторов малой промзоны",
      "Анализ выделил отрасли, в которых Балхаш может заместить закупки крупных предприятий "
      "у поставщиков из других регионов.",
      "<p>Приоритетными названы: металлообработка и техническое обслуживание; строительные и "
      "упаковочные материалы; логистика и складское хозяйство; инжиниринговые и "
      "энергосервисные услуги.</p><p>Во всех четырёх высок потенциал локализации и кооперации "
      "с медеплавильным заводом и другими крупными предприятиями города.</p>"),
     ("Шағын аймақ инвесторларына арналған төрт бағыт",
      "Талдау Балқаш ірі кәсіпорындардың басқа өңірлерден сатып алатын тауарларын алмастыра "
      "алатын салаларды анықтады.",
      "<p>Басым бағыттар: металл өңдеу және техникалық қызмет көрсету; құрылыс және қаптама "
      "материалдары; логистика және қойма шаруашылығы; инжиниринг және энергосервистік "
      "қызметтер.</p><p>Төрт бағытта да мыс балқыту зауытымен және қаланың басқа ірі "
      "кәсіпорындарымен кооперацияның әлеуеті жоғары.</p>"),
     ("Four directions for the small zone's investors",
      "An analysis picked the industries in which Balkhash could replace what its large "
      "enterprises now buy from other regions.",
      "<p>The priorities: metalworking and technical service; construction and packaging "
      "materials; logistics and warehousing; engineering and energy services.</p><p>All four "
      "have a high potential for localisation and for cooperation with the copper smelter "
      "and the town's other large enterprises.</p>")),
    ("balkhash-airport-reconstruction", "infrastructure", dt.date(2025, 9, 15), "airport",
     ["аэропорт", "инфраструктура"],
     ("Реконструкция аэропорта Балхаша: пропускная способность вырастет на треть",
      "После работ аэропорт сможет обслуживать примерно на 30% больше пассажиров; подрядчик "
      "должен завершить работы к концу года.",
      "<p>Для промзоны это важная часть логистики: быстрый путь для специалистов, "
      "оборудования и срочных грузов.</p><p>Власти поручили следить за качеством работ и "
      "сроками подрядчика.</p>"),
     ("Балқаш әуежайын қайта жаңарту: өткізу қабілеті үштен бірге артады",
      "Жұмыстардан кейін әуежай шамамен 30% көбірек жолаушыға қызмет көрсете алады; мердігер "
      "жұмысты жыл соңына дейін аяқтауы тиіс.",
      "<p>Аймақ үшін бұл логистиканың маңызды бөлігі: мамандар, жабдық және шұғыл жүктер "
      "үшін жылдам жол.</p><p>Билік жұмыс сапасы мен мердігердің мерзімдерін қадағалауды "
      "тапсырды.</p>"),
     ("Balkhash airport reconstruction to add a third to its capacity",
      "After the works the airport should handle about 30% more passengers; the contractor "
      "is due to finish by the end of the year.",
      "<p>For the zone this is part of its logistics: a fast route for specialists, "
      "equipment and urgent cargo.</p><p>The authorities asked for the quality of the works "
      "and the contractor's deadline to be watched.</p>")),
    ("cathode-copper-plant", "investors", dt.date(2025, 9, 20), "anchors",
     ["медь", "якорные предприятия"],
     ("Рядом с промзоной работает завод катодной меди",
      "Вместе с медеплавильным заводом он — якорный заказчик для будущих резидентов зоны.",
      "<p>Крупным производствам нужны ремонт оборудования, металлоконструкции, упаковка, "
      "перевозки и энергосервис — именно то, на что рассчитаны приоритетные направления "
      "промзоны.</p>"),
     ("", "", ""),
     ("A cathode-copper plant operates next to the zone",
      "With the copper smelter it is an anchor customer for the zone's future residents.",
      "<p>Large plants need equipment repair, steel structures, packaging, haulage and "
      "energy services: what the zone's priority directions are meant for.</p>")),
    ("utilities-capacity-overview", "infrastructure", dt.date(2025, 9, 25), "capacity",
     ["инженерные сети", "мощности"],
     ("Сколько мощности свободно у источников промзоны",
      "Портал показывает свободную мощность подстанций, водовода, ТЭЦ и очистных как живой "
      "реестр, а не как цифру из презентации.",
      "<p>Каждая бронь участка резервирует мощность у источника, и свободный остаток "
      "пересчитывается сразу. На диаграмме — демо-данные: доля занятой и свободной мощности "
      "каждого источника.</p>"),
     ("", "", ""), ("", "", "")),
]


def load(*, zone: Zone, now: dt.datetime) -> None:
    """Write the demo articles (published) and a few comments; skip when they exist."""
    if Article.objects.filter(is_illustrative=True).exists():
        return
    editor = User.objects.get(username="demo-editor")
    pictures = {"map": (lambda: zone_map(zone), CREDIT_MAP),
                "airport": (lambda: zone_map(zone, airport=True), CREDIT_MAP),
                "directions": (lambda: directions_chart(zone), CREDIT_CHART),
                "anchors": (lambda: anchors_chart(zone), CREDIT_CHART),
                "capacity": (lambda: capacity_chart(zone), CREDIT_CHART)}
    alts = {"map": ("Карта демо-зоны: участки по статусу", "Демо-аймақ картасы",
                    "Map of the demo zone: plots by status"),
            "airport": ("Карта: аэропорт и дорога к городу", "Карта: әуежай",
                        "Map: the airport and the road to town"),
            "directions": ("Диаграмма: участки по направлениям", "Диаграмма: бағыттар",
                           "Chart: plots per priority direction"),
            "anchors": ("Диаграмма: якорные предприятия", "Диаграмма: зәкір кәсіпорындар",
                        "Chart: anchor enterprises"),
            "capacity": ("Диаграмма: свободная мощность источников", "Диаграмма: бос қуат",
                         "Chart: free capacity of the sources")}
    rail_plots = list(Plot.objects.filter(zone=zone, code__in=["BLK-01", "BLK-02"]))
    made = []
    for slug, rubric, day, picture, tags, ru, kk, en in ARTICLES:
        fields = {"slug": slug, "rubric": rubric_for(slug=rubric, actor=editor, now=now),
                  "is_illustrative": True,
                  "byline": "Пресс-служба промзоны (демо)",
                  "photo_credit": pictures[picture][1]}
        fields["source_url"], fields["source_label"] = SOURCES.get(slug, ("", ""))
        for lang, (title, lead, body), note in (("ru", ru, NOTE_RU), ("kk", kk, NOTE_KK),
                                                ("en", en, NOTE_EN)):
            fields.update({f"title_{lang}": title, f"lead_{lang}": lead,
                           f"body_{lang}": body + note if body else "",
                           f"place_{lang}": {"ru": "Балхаш", "kk": "Балқаш", "en": "Balkhash"}[lang]
                           if title else "",
                           f"photo_alt_{lang}": alts[picture][("ru", "kk", "en").index(lang)]})
        about = [zone, *rail_plots] if not made else [zone]
        article = services.article_save(actor=editor, now=now, fields=fields, tags=tags,
                                        about=about, photo=pictures[picture][0](), related=made[:1])
        for status in ("review", "published"):
            services.article_set_status(actor=editor, article=article, status=status, now=now,
                                        publish_at=_at(day))
        made.append(article)
    _comments(made[0], editor, now)


def _comments(article: Article, editor: User, now: dt.datetime) -> None:
    """Two approved comments and one waiting, so the queue and the page show something."""
    shown = now - dt.timedelta(minutes=5)
    for name, text, approve, address in [
        ("Айгерим", "Хорошо, что сети начнут тянуть до прихода инвесторов.", True, "192.0.2.10"),
        ("Sergey", "Will the plots by the railway get a spur of their own?", True, "192.0.2.11"),
        ("Марат", "Когда откроют приём заявок на участки у железной дороги?", False, "192.0.2.12"),
    ]:
        c = comments.comment_post(article=article, name=name, text=text, address=address,
                                  token=comments.form_token(article=article, now=shown), now=now)
        if approve:
            comments.comment_moderate(actor=editor, comment=c, decision="approve", now=now)
