"""``/api/kpi`` agrees with ``/api/plots``, ``/api/utility-sources``, ``/api/instructions``,
``/api/works`` and ``/api/projects`` at the same moment: each figure recounted from their items."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter, defaultdict
from html import unescape

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from promzona.core.instructions import ACCEPTED
from promzona.demo import execution

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich(demo, hand, today):
    """The demo with its works, projects and instructions, and the hand-computed zone."""
    execution.load(today=today)
    return hand


def pages(client, url, params, key="items"):
    """Every item of a paged list (either paging style)."""
    out, n = [], 0
    while True:
        p = dict(params, **({"page": n + 1, "page_size": 200} if "instructions" in url
                           else {"offset": n * 200, "limit": 200}))
        body = client.get(url, p).json()
        out += body[key]
        n += 1
        if len(out) >= body["count"]:
            return out


@pytest.mark.parametrize("zone", [None, "balkhash", "kpi-hand"])
def test_kpi_agrees_with_every_other_endpoint(manager_client, rich, zone):
    scope = {"zone": zone} if zone else {}
    kpi = manager_client.get("/api/kpi", scope).json()

    plots = [f["properties"] for f in manager_client.get("/api/plots").json()["features"]
             if zone is None or f["properties"]["zone"] == zone]
    assert kpi["plots"]["count_by_status"] == {
        s: sum(1 for p in plots if p["status"] == s) for s in kpi["plots"]["count_by_status"]}
    areas = defaultdict(float)
    for p in plots:
        areas[p["status"]] += p["area_ha"]
    for status, area in kpi["plots"]["area_ha_by_status"].items():
        assert area == pytest.approx(areas[status], abs=1e-6)

    sources = {(s["zone"], s["code"]): s for s in
               (f["properties"] for f in manager_client.get("/api/utility-sources").json()["features"])
               if zone is None or s["zone"] == zone}
    assert {(c["zone"], c["source"]) for c in kpi["capacity"]} == set(sources)
    for c in kpi["capacity"]:
        s = sources[c["zone"], c["source"]]
        assert (c["capacity"], c["committed"], c["free"]) == (s["capacity"], s["committed"], s["free"])

    items = pages(manager_client, "/api/instructions", scope)
    assert items, "the scope has instructions to compare"
    ins = kpi["instructions"]
    open_ = [i for i in items if i["status"] != ACCEPTED and i["on_control"]]
    assert ins["open"] == len(open_)
    assert ins["overdue"] == sum(i["overdue"] for i in items)
    closed = [i for i in items if i["status"] == ACCEPTED]
    on_time = [i for i in closed if timezone.localdate(dt.datetime.fromisoformat(
        i["accepted_at"].replace("Z", "+00:00"))).isoformat() <= i["deadline"]]
    assert (ins["closed_on_time"], ins["closed_late"]) == (len(on_time), len(closed) - len(on_time))
    by_executor = Counter(i["executor"]["id"] for i in items if i["overdue"])
    assert {e["id"]: e["overdue"] for e in ins["overdue_by_executor"]} == dict(by_executor)

    works = pages(manager_client, "/api/works", scope)
    assert (kpi["works"]["total"], kpi["works"]["late"]) == (len(works), sum(w["late"] for w in works))
    assert kpi["works"]["by_status"] == dict(Counter(w["status"] for w in works))
    money = [w for w in works if w["planned_value_kzt"] is not None]
    if sum(w["planned_value_kzt"] for w in money):
        assert kpi["works"]["spi"] == pytest.approx(
            sum(w["earned_value_kzt"] for w in money) / sum(w["planned_value_kzt"] for w in money),
            abs=1e-4)

    projects = [p for p in pages(manager_client, "/api/projects", {})
                if p["status"] == "active" and (zone is None or p["zone"] == zone)]
    assert kpi["investment_kzt"]["planned"] == pytest.approx(
        sum(p["planned_investment_kzt"] for p in projects))
    assert kpi["investment_kzt"]["actual"] == pytest.approx(
        sum(p["actual_investment_kzt"] for p in projects))
    assert kpi["jobs"] == {"planned": sum(p["planned_jobs"] for p in projects),
                           "actual": sum(p["actual_jobs"] for p in projects)}
    assert kpi["funnel"]["projects_in_operation"] == sum(
        1 for p in projects if p["phase"] == "operation")


def test_instructions_of_a_zone_are_those_linked_to_it_or_its_objects(manager_client, rich):
    linked = {i["number"] for i in pages(manager_client, "/api/instructions", {"zone": "kpi-hand"})}
    assert linked == {"H-1", "H-2", "H-3", "H-4"}
    r = manager_client.get("/api/instructions", {"zone": "nope"})
    assert r.status_code == 400 and r.json()["error"]["details"] == {"field": "zone"}


# --- the same figures on the page, in the monthly PDF and in its XLSX ------------------------


def _near(text: str, label: str, written: str, window: int = 90) -> bool:
    """``written`` (a whole figure, not part of a longer number) within ``window`` characters
    after an occurrence of ``label``."""
    value = re.escape(written)
    pattern = re.escape(label) + rf".{{0,{window}}}?(?<![\w.,\xa0]){value}(?![\w]|[.,\xa0]\d)"
    return re.search(pattern, text, re.S) is not None


def _flat_html(html: str) -> str:
    main = html.split("<main", 1)[1]
    text = re.sub(r"<svg.*?</svg>", " ", main, flags=re.S)  # the charts have their own notes
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


def _figures(api: dict, lang: str):
    """Every figure of ``/api/kpi`` for one zone: ``(value, kind, label on the page, (sheet of
    the report, its row's label, column))``, the labels in ``lang``."""
    from promzona.dashboard.charts import funnel_labels
    from promzona.zones.models import Plot

    with translation.override(lang):
        statuses = {k: str(v) for k, v in Plot.Status.choices}
        stages = funnel_labels()
        summary = _("Summary")
        land, funnel = _("Land by plot status"), _("Investor funnel")
        out = []
        for s, n in api["plots"]["count_by_status"].items():
            out += [(n, "count", statuses[s], (land, statuses[s], 1)),
                    (api["plots"]["area_ha_by_status"][s], "ha", statuses[s], (land, statuses[s], 2))]
        out.append((api["occupancy_share"], "share", _("Occupancy"), (summary, _(
            "Occupancy (allocated and occupied area / area on offer)"), 2)))
        for source in api["capacity"]:
            for col, key in enumerate(("capacity", "committed", "free"), start=2):
                out.append((source[key], "qty", source["source"],
                            (_("Utility capacity"), source["source"], col)))
        for stage, label in stages.items():
            if api["funnel"][stage] is None:
                continue
            out.append((api["funnel"][stage], "count", label, (funnel, label, 1)))
            if api["funnel"]["conversion"].get(stage) is not None:
                out.append((api["funnel"]["conversion"][stage], "share", label, (funnel, label, 2)))
            if api["funnel"]["median_days"].get(stage) is not None:
                out.append((api["funnel"]["median_days"][stage], "days", label, (funnel, label, 3)))
        inv = api["investment_kzt"]
        out += [(inv["planned"], "money", _("Total"), (summary, _("Investment planned, KZT"), 2)),
                (inv["actual"], "money", _("Total"),
                 (summary, _("Investment actual (confirmed), KZT"), 2)),
                (api["jobs"]["planned"], "count", _("Total"), (summary, _("Jobs planned"), 2)),
                (api["jobs"]["actual"], "count", _("Total"), (summary, _("Jobs actual"), 2))]
        by_year = _("Investment and jobs by year")
        for y in inv["by_year"]:
            for col, key, kind in ((1, "planned", "money"), (2, "actual", "money"),
                                   (3, "planned_jobs", "count"), (4, "actual_jobs", "count")):
                out.append((y[key], kind, str(y["year"]), (by_year, str(y["year"]), col)))
        by_direction = _("Investment and jobs by priority direction")
        for d in inv["by_direction"]:
            for col, key, kind in ((2, "planned", "money"), (3, "actual", "money"),
                                   (4, "planned_jobs", "count"), (5, "actual_jobs", "count")):
                out.append((d[key], kind, d["direction"], (by_direction, d["direction"], col)))
        ins = api["instructions"]
        for key, page_label, report_label in (
                ("open", _("open"), _("Instructions open")),
                ("overdue", _("overdue"), _("Instructions overdue")),
                ("closed_on_time", _("closed on time"), _("Instructions closed on time")),
                ("closed_late", _("closed late"), _("Instructions closed late"))):
            out.append((ins[key], "count", page_label, (summary, report_label, 2)))
        for body in ins["overdue_by_executor"]:
            out.append((body["overdue"], "count", body["name"],
                        (_("Overdue instructions by executor"), body["name"], 1)))
        w = api["works"]
        out += [(w["late"], "count", _("Works late"), (summary, _("Works late"), 2)),
                (w["total"], "count", _("Works late"), (summary, _("Works"), 2)),
                (w["spi"], "index", "SPI", (summary, _("SPI (works)"), 2)),
                (w["cpi"], "index", "CPI", (summary, _("CPI (works)"), 2))]
    return out


def _sheet(wb, title: str):
    from promzona.dashboard.reports import sheet_name

    return wb[sheet_name(title)]


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_kpi_reads_the_same_on_the_page_in_the_pdf_and_in_the_xlsx(manager_client, hand,
                                                                         lang, built):
    from openpyxl import load_workbook

    from promzona.core.formats import figure
    from tests.pdfs import pdf_text

    api = manager_client.get("/api/kpi", {"zone": "kpi-hand"},  # names in the language asked
                             HTTP_ACCEPT_LANGUAGE=lang).json()
    page = _flat_html(manager_client.get("/dashboard/", {"zone": "kpi-hand"}, HTTP_ACCEPT_LANGUAGE=lang)
                      .content.decode())
    month = f"{hand.today.year}-{hand.today.month:02d}"
    pdf = pdf_text(built(manager_client, f"/dashboard/report/{month}.pdf",
                         {"zone": "kpi-hand", "lang": lang})[2])
    wb = load_workbook(io.BytesIO(built(manager_client, f"/dashboard/report/{month}.xlsx",
                                        {"zone": "kpi-hand", "lang": lang})[2]))
    figures = _figures(api, lang)
    assert len(figures) >= 40
    wrong = []
    for value, kind, page_label, (sheet, row_label, col) in figures:
        written = " ".join(figure(value, kind, lang).split())
        if not _near(page, page_label, written):
            wrong.append(("page", page_label, written))
        if not _near(pdf, row_label, written, window=160):
            wrong.append(("pdf", row_label, written))
        rows = [r for r in _sheet(wb, sheet).iter_rows(values_only=True) if r[0] == row_label]
        cell = rows[-1][col] if rows else "missing"
        if not (isinstance(cell, int | float) and cell == pytest.approx(value, abs=1e-3)):
            wrong.append(("xlsx", sheet, row_label, col, cell, value))
    assert wrong == [], "\n".join(map(repr, wrong))
