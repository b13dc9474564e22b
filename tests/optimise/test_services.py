"""Scenarios saved and deleted; a proposal confirmed through the ledger, all or nothing."""

from __future__ import annotations

import pytest

from promzona.accounts.models import User
from promzona.applications import services as app_services
from promzona.applications.models import Reservation
from promzona.audit.models import AuditEntry
from promzona.core.errors import CapacityExceeded, Conflict, Forbidden, InputError, NotFound
from promzona.optimise import services
from promzona.optimise.models import PlanScenario
from promzona.zones.models import CapacityCommitment, Plot, UtilitySource

from .conftest import key

CHOICES = {"periods": 4, "budget": [30.0] * 4, "discount_rate": 0.05, "carry_over": True}


def user(name):
    return User.objects.get(username=name)


def test_scenario_is_solved_saved_and_audited(demo, staff_user):
    s = services.scenario_create(actor=staff_user, zone=demo, name="Tight money",
                                 values={"BLK-13": 50.0}, requires={"BLK-01": ["PO-4"]}, **CHOICES)
    assert s.result["status"] == "optimal" and s.result["objective"] > 0
    assert {p["plot"] for p in s.result["plots"]} >= {"BLK-13", "BLK-01"}
    assert s.values == {"BLK-13": 50.0} and s.requires == {"BLK-01": ["PO-4"]}
    entry = AuditEntry.objects.get(action="plan_scenario.created", object_id=str(s.pk))
    assert entry.actor == staff_user and entry.after["objective"] == s.result["objective"]


def test_scenario_without_budget_takes_the_default(demo, staff_user):
    s = services.scenario_create(actor=staff_user, zone=demo, name="Default",
                                 **{**CHOICES, "budget": None})
    assert len(s.budget) == 4 and s.budget[0] > 0


@pytest.mark.parametrize(("changes", "error"), [
    ({"name": ""}, "needs a name"),
    ({"name": "x" * 101}, "needs a name"),
    ({"values": {"BLK-99": 1.0}}, "BLK-99 is not in the plan"),
    ({"values": {"BLK-03": 1.0}}, "BLK-03 is not in the plan"),  # occupied: not offerable
    ({"requires": {"BLK-01": ["NOPE"]}}, "unknown work"),
    ({"budget": [1.0]}, "budget: has 1 entries but periods is 4"),
    ({"values": {"BLK-13": -1.0}}, "must be a number from 0"),
])
def test_bad_scenario_is_refused_and_nothing_saved(demo, staff_user, changes, error):
    args = {"name": "S", **CHOICES, **changes}
    with pytest.raises(InputError, match=error):
        services.scenario_create(actor=staff_user, zone=demo, **args)
    assert not PlanScenario.objects.exists()


@pytest.mark.parametrize("username", ["demo-manager", "demo-investor"])
def test_only_staff_save_and_delete_scenarios(demo, staff_user, username):
    with pytest.raises(Forbidden):
        services.scenario_create(actor=user(username), zone=demo, name="S", **CHOICES)
    s = services.scenario_create(actor=staff_user, zone=demo, name="S", **CHOICES)
    with pytest.raises(Forbidden):
        services.scenario_delete(actor=user(username), scenario=s)
    services.scenario_delete(actor=staff_user, scenario=s)
    assert not PlanScenario.objects.exists()
    assert AuditEntry.objects.filter(action="plan_scenario.deleted").count() == 1


def _pairs(competition, *names_and_plots):
    return [(key(competition[n]), p) for n, p in names_and_plots]


PROPOSAL = [("Цех металлоконструкций (демо)", "BLK-04"), ("Завод стройматериалов (демо)", "BLK-06"),
            ("Логистический склад (демо)", "BLK-13")]


def test_confirm_reserves_every_plot_through_the_ledger(demo, competition, staff_user):
    ps2 = UtilitySource.objects.get(zone=demo, code="PS-2")
    reservations = services.allocation_confirm(actor=staff_user, zone=demo,
                                               pairs=_pairs(competition, *PROPOSAL))
    assert len(reservations) == 3
    assert {r.plot.code for r in reservations} == {"BLK-04", "BLK-06", "BLK-13"}
    assert all(r.status == "active" for r in reservations)
    assert set(Plot.objects.filter(code__in=["BLK-04", "BLK-06", "BLK-13"], zone=demo)
               .values_list("status", flat=True)) == {"reserved"}
    ps2.refresh_from_db()
    assert ps2.free == 0  # 1400 + 1400 + 400 kW committed on PS-2
    entry = AuditEntry.objects.get(action="allocation.confirmed")
    assert sorted(entry.after["reservations"]) == sorted(r.pk for r in reservations)


def test_confirm_is_all_or_nothing(demo, competition, staff_user):
    # the plant is reserved first on BLK-01: 2600 kW leave PS-2 too little for the proposal
    plant = competition["Завод горно-шахтного оборудования (демо)"]
    app_services.plot_reserve(actor=staff_user, plot=Plot.objects.get(zone=demo, code="BLK-01"),
                              application=plant)
    before = (Reservation.objects.count(), CapacityCommitment.objects.count(),
              AuditEntry.objects.count())
    with pytest.raises(CapacityExceeded):
        services.allocation_confirm(actor=staff_user, zone=demo,
                                    pairs=_pairs(competition, *PROPOSAL))
    assert (Reservation.objects.count(), CapacityCommitment.objects.count(),
            AuditEntry.objects.count()) == before
    assert Plot.objects.get(zone=demo, code="BLK-04").status == "published"


def test_confirm_refuses_a_taken_plot_and_changes_nothing(demo, competition, staff_user):
    shop = competition["Цех металлоконструкций (демо)"]
    app_services.plot_reserve(actor=staff_user, plot=Plot.objects.get(zone=demo, code="BLK-13"),
                              application=competition["Ремонтный цех (демо)"])
    with pytest.raises(Conflict):
        services.allocation_confirm(actor=staff_user, zone=demo, pairs=_pairs(
            competition, ("Цех металлоконструкций (демо)", "BLK-04"),
            ("Логистический склад (демо)", "BLK-13")))
    assert not shop.reservations.exists()


@pytest.mark.parametrize(("pairs", "error"), [
    ([], InputError),
    ([("A999999", "BLK-04")], NotFound),
    ([("X1", "BLK-04")], NotFound),
    ([("{app}", "BLK-99")], NotFound),
    ([("{app}", "BLK-04"), ("{app}", "BLK-06")], InputError),
    ("A1:BLK-04", InputError),
])
def test_confirm_refuses_bad_proposals(demo, competition, staff_user, pairs, error):
    app = key(competition["Цех металлоконструкций (демо)"])
    if isinstance(pairs, list):
        pairs = [(a.format(app=app), p) for a, p in pairs]
    before = Reservation.objects.count()
    with pytest.raises(error):
        services.allocation_confirm(actor=staff_user, zone=demo, pairs=pairs)
    assert Reservation.objects.count() == before


@pytest.mark.parametrize("username", ["demo-manager", "demo-investor"])
def test_only_staff_confirm(demo, competition, username):
    with pytest.raises(Forbidden):
        services.allocation_confirm(actor=user(username), zone=demo,
                                    pairs=_pairs(competition, *PROPOSAL))
    assert not Reservation.objects.filter(application__in=competition.values()).exists()
