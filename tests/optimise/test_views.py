"""The optimisation pages: the plan, scenarios, the allocation proposal with pin, forbid and
confirm, and the exports — with bad and hostile input."""

from __future__ import annotations

import io

import pypdf
import pytest
from openpyxl import load_workbook

from promzona.applications.models import Reservation
from promzona.optimise import services
from promzona.optimise.models import PlanScenario

from .conftest import key

PLAN = "/optimise/balkhash/plan/"
ALLOCATION = "/optimise/balkhash/allocation/"
CONFIRM = "/optimise/balkhash/allocation/confirm/"
SCENARIOS = "/optimise/balkhash/scenarios/"


def text(response) -> str:
    return response.content.decode()


def test_plan_page_shows_the_gantt_the_map_the_schedule_and_the_baselines(manager_client):
    r = manager_client.get(PLAN)
    assert r.status_code == 200
    page = text(r)
    assert page.count("data:image/svg+xml;base64,") == 2
    assert "Works and what they unlock" in page
    assert "completes in period" in page and "cheapest work first" in page
    assert "Illustrative data" in page
    assert "Value of one more unit of budget" in page
    assert "Save as a scenario" not in page  # managers do not save


def test_plan_choices_change_the_instance(staff_client):
    page = text(staff_client.get(PLAN, {"periods": "4", "budget": "7,8,9,10",
                                        "discount_rate": "0.1", "no_carry_over": "on"}))
    assert "<td>4</td><td>" in page and "10.000" in page
    assert "Save as a scenario" in page


@pytest.mark.parametrize("params", [
    {"budget": "lots"}, {"budget": "1e400"}, {"budget": "nan"}, {"budget": "-5"},
    {"budget": "1,2,3"}, {"budget": "1," * 500}, {"periods": "0"}, {"periods": "100000"},
    {"discount_rate": "5"}, {"discount_rate": "inf"}, {"kinds": "steam"},
    {"marginal_step": "0"}, {"periods": "9" * 40},
])
def test_bad_plan_choices_are_form_errors(staff_client, params):
    r = staff_client.get(PLAN, params)
    assert r.status_code == 200
    page = text(r)
    assert 'class="error"' in page
    assert "data:image/svg+xml" not in page


def test_investor_and_anonymous_are_kept_out(investor_client, demo):
    from django.test import Client

    assert investor_client.get(PLAN).status_code == 403
    assert investor_client.get(ALLOCATION).status_code == 403
    assert Client().get(PLAN).status_code == 302


def test_unknown_zone_is_404(staff_client):
    assert staff_client.get("/optimise/atlantis/plan/").status_code == 404


# --- scenarios -----------------------------------------------------------------------------


def test_staff_save_a_scenario_with_changed_values_and_see_it(staff_client, demo):
    form = staff_client.get("/optimise/balkhash/scenarios/new/", {"periods": "6"})
    assert 'name="value_BLK-13"' in text(form) and 'name="requires_BLK-13"' in text(form)
    r = staff_client.post("/optimise/balkhash/scenarios/new/", {
        "name": "Lean years", "periods": "6", "budget": "10", "discount_rate": "0.02",
        "value_BLK-13": "40", "requires_BLK-01": "PO-4, WA-3"})
    scenario = PlanScenario.objects.get(name="Lean years")
    assert r.status_code == 302 and r.url == f"/en/optimise/balkhash/scenarios/{scenario.pk}/"
    assert scenario.values == {"BLK-13": 40.0}
    assert scenario.requires == {"BLK-01": ["PO-4", "WA-3"]}
    assert scenario.budget == [10.0] * 6
    page = text(staff_client.get(r.url))
    assert "Lean years" in page and "BLK-13 = 40.0" in page
    assert page.count("data:image/svg+xml;base64,") == 2


@pytest.mark.parametrize(("data", "error"), [
    ({"name": ""}, "This field is required"),
    ({"requires_BLK-01": "PO-4, NOPE"}, "Unknown work: NOPE"),
    ({"value_BLK-13": "-1"}, "greater than or equal to 0"),
    ({"value_BLK-13": "1e300"}, "less than or equal to"),
    ({"budget": "1,2"}, "one per period"),
    ({"requires_BLK-01": "W," * 600}, "at most 1000 characters"),
])
def test_bad_scenario_form_saves_nothing(staff_client, demo, data, error):
    r = staff_client.post("/optimise/balkhash/scenarios/new/",
                          {"name": "S", "periods": "8", **data})
    assert r.status_code == 200 and error in text(r)
    assert not PlanScenario.objects.exists()


def test_manager_cannot_open_the_scenario_form_or_delete(manager_client, demo, staff_user):
    assert manager_client.get("/optimise/balkhash/scenarios/new/").status_code == 403
    s = services.scenario_create(actor=staff_user, zone=demo, name="S", periods=4, budget=None,
                                 discount_rate=0.02, carry_over=True)
    assert manager_client.post(f"{SCENARIOS}{s.pk}/delete/").status_code == 403
    assert PlanScenario.objects.filter(pk=s.pk).exists()


def test_scenarios_are_compared_side_by_side(manager_client, demo, staff_user):
    a = services.scenario_create(actor=staff_user, zone=demo, name="Rich", periods=4,
                                 budget=[100.0] * 4, discount_rate=0.02, carry_over=True)
    b = services.scenario_create(actor=staff_user, zone=demo, name="Poor", periods=4,
                                 budget=[5.0] * 4, discount_rate=0.02, carry_over=True)
    page = text(manager_client.get(SCENARIOS, {"compare": [a.pk, b.pk, "x", "9" * 30]}))
    assert "Comparison" in page and "Rich" in page and "Poor" in page
    assert f"{a.result['objective']:.3f}" in page and f"{b.result['objective']:.3f}" in page
    assert a.result["objective"] > b.result["objective"]


def test_staff_delete_a_scenario(staff_client, demo, staff_user):
    s = services.scenario_create(actor=staff_user, zone=demo, name="S", periods=4, budget=None,
                                 discount_rate=0.02, carry_over=True)
    r = staff_client.post(f"{SCENARIOS}{s.pk}/delete/")
    assert r.status_code == 302 and not PlanScenario.objects.exists()
    assert staff_client.get(f"{SCENARIOS}{s.pk}/").status_code == 404


# --- allocation ----------------------------------------------------------------------------


def test_allocation_page_proposes_and_explains(manager_client, competition):
    page = text(manager_client.get(ALLOCATION))
    plant = competition["Завод горно-шахтного оборудования (демо)"]
    assert "first come, first served" in page and "greedy by value" in page
    assert "163.75" in page and "128.75" in page and "133.75" in page
    assert "capacity of PS-2 exhausted by applications" in page
    assert plant.project_name in page
    assert "Confirm" not in page  # managers do not confirm


def test_pin_and_forbid_change_the_proposal(staff_client, competition):
    plant = key(competition["Завод горно-шахтного оборудования (демо)"])
    shop = key(competition["Цех металлоконструкций (демо)"])
    r = staff_client.get(ALLOCATION, {"pin": f"{plant}:BLK-01"})
    page = text(r)
    assert f"pinned {plant} → BLK-01" in page
    assert f'name="pair" value="{plant}:BLK-01"' in page
    forbidden = text(staff_client.get(ALLOCATION, {"forbid": f"{shop}:BLK-04"}))
    assert f'name="pair" value="{shop}:BLK-04"' not in forbidden
    assert f'name="pair" value="{shop}:BLK-08"' in forbidden  # its second choice


def test_changed_value_changes_the_proposal(staff_client, competition):
    plant = key(competition["Завод горно-шахтного оборудования (демо)"])
    page = text(staff_client.get(ALLOCATION, {f"value_{plant}": "1000"}))
    assert f'name="pair" value="{plant}:BLK-01"' in page


@pytest.mark.parametrize(("params", "error"), [
    ({"pin": "garbage"}, "is not an application and a plot"),
    ({"pin": "A999999999:BLK-01"}, "unknown application"),
    ({"pin": "{app}:BLK-99"}, "unknown plot"),
    ({"forbid": ["{app}:X"] * 201}, "At most 200 pairs"),
    ({"value_{app}": "nan"}, "A value is a number from 0"),
    ({"value_{app}": "-1"}, "A value is a number from 0"),
    ({"investment": "2"}, ""),
])
def test_bad_allocation_state_is_a_message(staff_client, competition, params, error):
    app = key(competition["Завод горно-шахтного оборудования (демо)"])

    def fill(v):
        return [fill(x) for x in v] if isinstance(v, list) else v.format(app=app)

    r = staff_client.get(ALLOCATION, {fill(k): fill(v) for k, v in params.items()})
    assert r.status_code == 200
    page = text(r)
    assert 'class="error"' in page and error in page
    assert 'name="pair"' not in page


def test_impossible_pin_is_explained(staff_client, competition):
    plant = key(competition["Завод горно-шахтного оборудования (демо)"])
    page = text(staff_client.get(ALLOCATION, {"pin": f"{plant}:BLK-23"}))
    assert "cannot have &#x27;BLK-23&#x27;: not in its eligible list" in page


def _confirm(client, competition, pairs, **state):
    data = {"investment": "0.5", "jobs": "0.3", "priority": "0.2", **state,
            "pair": [f"{key(competition[n])}:{p}" for n, p in pairs]}
    return client.post(CONFIRM, data)


PROPOSAL = [("Цех металлоконструкций (демо)", "BLK-04"), ("Завод стройматериалов (демо)", "BLK-06"),
            ("Логистический склад (демо)", "BLK-13")]


def test_staff_confirm_the_proposal_and_plots_are_reserved(staff_client, competition):
    r = _confirm(staff_client, competition, PROPOSAL)
    assert r.status_code == 302 and r.url == "/en" + ALLOCATION
    assert {res.plot.code for res in Reservation.objects.filter(
        status="active", application__in=competition.values())} == \
        {"BLK-04", "BLK-06", "BLK-13"}
    page = text(staff_client.get(ALLOCATION))
    assert "3 plots reserved" in page


def test_a_stale_proposal_is_not_confirmed(staff_client, competition):
    r = _confirm(staff_client, competition, PROPOSAL[:2])
    assert r.status_code == 302 and "investment=0.5" in r.url
    assert not Reservation.objects.filter(application__in=competition.values()).exists()
    assert "The proposal changed" in text(staff_client.get(r.url))


def test_manager_and_investor_cannot_confirm(manager_client, investor_client, competition):
    assert _confirm(manager_client, competition, PROPOSAL).status_code == 403
    assert _confirm(investor_client, competition, PROPOSAL).status_code == 403
    assert not Reservation.objects.filter(application__in=competition.values()).exists()


# --- exports -------------------------------------------------------------------------------


def test_plan_xlsx_has_numeric_cells(manager_client, demo):
    r = manager_client.get("/optimise/balkhash/plan.xlsx", {"budget": "20"})
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:4] == ["Schedule", "Plots", "Spending", "Baselines"]
    schedule = wb["Schedule"]
    assert [c.value for c in schedule[4]][:4] == ["Work", "Start", "Completion",
                                                  "Cost, million KZT"]
    first = [c for c in schedule[5]]
    assert first[1].data_type == "n" and first[3].data_type == "n"
    spending = wb["Spending"]
    assert spending.cell(5, 3).value == 20.0 and spending.cell(5, 3).data_type == "n"


def test_plan_pdf_prints_cyrillic(manager_client, demo):
    r = manager_client.get("/optimise/balkhash/plan.pdf", HTTP_ACCEPT_LANGUAGE="ru")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    words = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(r.content)).pages)
    assert "Балхаш" in words
    assert len(pypdf.PdfReader(io.BytesIO(r.content)).pages[0].images) >= 1


def test_allocation_exports_follow_the_proposal(manager_client, competition):
    plant = key(competition["Завод горно-шахтного оборудования (демо)"])
    r = manager_client.get("/optimise/balkhash/allocation.xlsx", {"pin": f"{plant}:BLK-02"})
    wb = load_workbook(io.BytesIO(r.content))
    rows = [[c.value for c in row] for row in wb["Assignments"].iter_rows(min_row=5)]
    assert [plant, competition["Завод горно-шахтного оборудования (демо)"].project_name,
            "BLK-02", 100.0] in rows
    pdf = manager_client.get("/optimise/balkhash/allocation.pdf")
    words = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Завод стройматериалов (демо)" in words


def test_scenario_export_uses_the_saved_plan(manager_client, demo, staff_user):
    s = services.scenario_create(actor=staff_user, zone=demo, name="Saved", periods=4,
                                 budget=[3.0] * 4, discount_rate=0.02, carry_over=True)
    r = manager_client.get("/optimise/balkhash/plan.xlsx", {"scenario": s.pk})
    wb = load_workbook(io.BytesIO(r.content))
    assert "Saved" in wb["Schedule"]["A1"].value
    assert wb["Spending"].cell(5, 3).value == 3.0


@pytest.mark.parametrize("url", [
    "/optimise/balkhash/plan.csv", "/optimise/balkhash/nothing.xlsx",
    "/optimise/balkhash/plan.xlsx?scenario=999999", "/optimise/balkhash/plan.xlsx?scenario=x",
    "/optimise/balkhash/plan.pdf?budget=lots", "/optimise/balkhash/allocation.pdf?pin=bad",
])
def test_bad_exports_are_404(manager_client, demo, url):
    assert manager_client.get(url).status_code == 404


def test_reasons_and_baselines_are_written_in_russian(staff_client, competition):
    page = text(staff_client.get(ALLOCATION, HTTP_ACCEPT_LANGUAGE="ru"))
    assert "мощность PS-2 исчерпана заявками" in page
    assert "в порядке очереди" in page and "жадный выбор по ценности" in page
    assert "ей нужно 30 м³/ч (газ)" in page  # the unit in Russian too
    plan_page = text(staff_client.get(PLAN, HTTP_ACCEPT_LANGUAGE="kk"))
    assert "Коммуникациялар құрылысының жоспары" in plan_page and "кезеңде аяқталып" in plan_page


def test_plan_page_skips_the_marginal_values_when_they_would_take_too_long(staff_client,
                                                                         monkeypatch):
    from promzona.optimise import answers

    monkeypatch.setattr(answers, "MARGINAL_PAGE_SECONDS", 0.0)
    page = text(staff_client.get(PLAN))
    assert "Value of one more unit of budget" not in page
    assert "The value of more budget is not shown" in page


# --- works from a plan ---------------------------------------------------------------------

WORKS_BODY = {"funding_source": "local", "contractor": "To be selected", "confirm": "on"}


def _generous(staff_user, demo):
    return services.scenario_create(
        actor=staff_user, zone=demo, name="Generous", periods=8, budget=[500.0] * 8,
        discount_rate=0.02, carry_over=True, requires={"BLK-13": ["IP-1", "PO-4", "WA-3"]})


def test_scenario_page_offers_its_works_and_creates_them_once(staff_client, staff_user, demo):
    from promzona.works.models import Work

    s = _generous(staff_user, demo)
    page = text(staff_client.get(f"{SCENARIOS}{s.pk}/"))
    assert "Create planned works from this plan" in page
    assert 'name="work" value="PO-4" checked' in page
    url = f"/optimise/balkhash/plan/works/?scenario={s.pk}"
    r = staff_client.post(url, {**WORKS_BODY, "work": ["PO-4", "IP-1"]}, follow=True)
    assert "Planned works created" in text(r)
    assert set(Work.objects.values_list("kind", flat=True)) == {"line", "upgrade"}
    page = text(staff_client.get(f"{SCENARIOS}{s.pk}/"))
    assert "already built by work #" in page and 'value="PO-4" checked' not in page
    r = staff_client.post(url, {**WORKS_BODY, "work": ["PO-4", "IP-1"]}, follow=True)
    assert "not created again: PO-4" in text(r) and "Planned works created" not in text(r)
    assert Work.objects.count() == 2


def test_managers_are_not_offered_works_from_a_plan(manager_client):
    assert "Create planned works from this plan" not in text(manager_client.get(PLAN))


def test_plan_page_creates_works_of_the_plan_it_shows(staff_client):
    from promzona.works.models import Work

    query = "periods=8&budget=500"
    page = text(staff_client.get(f"{PLAN}?{query}"))
    assert 'action="/en/optimise/balkhash/plan/works/?periods=8&amp;budget=500"' in page
    r = staff_client.post(f"/optimise/balkhash/plan/works/?{query}",
                          {**WORKS_BODY, "work": "PO-3"})
    assert r.status_code == 302 and r["Location"] == f"/en{PLAN}?{query}"
    assert Work.objects.get().line.code == "PO-3"


@pytest.mark.parametrize(("query", "body", "status", "error"), [
    ("scenario=999999", {"work": "PO-4"}, 404, None),
    ("scenario=1x", {"work": "PO-4"}, 404, None),
    ("scenario={s}", {"work": "NOPE"}, 302, "NOPE is not to be built"),
    ("scenario={s}", {"work": "GA-1"}, 302, "GA-1 is not to be built"),
    ("scenario={s}", {}, 302, "at least one work"),
    ("scenario={s}", {"work": "PO-4", "confirm": ""}, 302, "Tick the confirmation"),
    ("scenario={s}", {"work": "PO-4", "funding_source": "x"}, 302, "valid choice"),
    ("scenario={s}", {"work": "PO-4", "contractor": "x" * 300}, 302, "at most 255"),
    ("periods=abc", {"work": "PO-4"}, 302, None),
])
def test_bad_works_request_is_refused_and_creates_nothing(staff_client, staff_user, demo, query,
                                                          body, status, error):
    from promzona.works.models import Work

    s = _generous(staff_user, demo)
    r = staff_client.post(f"/optimise/balkhash/plan/works/?{query.format(s=s.pk)}",
                          {**WORKS_BODY, **body})
    assert r.status_code == status
    if error:
        assert error in text(staff_client.get(r["Location"]))
    assert not Work.objects.exists()
