"""Investor projects through the services: creation from an approved application, milestones
and obligations, reports, termination through the ledger, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from promzona.applications.models import Reservation
from promzona.audit.models import AuditEntry
from promzona.audit.selectors import audit_history
from promzona.core.deadlines import add_months
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.projects import services
from promzona.projects.models import Milestone, PlanYear, Project, Report, StatusUpdate
from promzona.projects.selectors import overdue_obligations, project_figures, projects_visible_to
from promzona.zones.models import CapacityCommitment, Plot, UtilitySource

from .conftest import approved_application, plan_from


def _counts():
    return (Project.objects.count(), PlanYear.objects.count(), Milestone.objects.count(),
            Report.objects.count(), StatusUpdate.objects.count(), AuditEntry.objects.count())


def _fresh(project):
    return projects_visible_to_all().get(pk=project.pk)


def projects_visible_to_all():
    from promzona.accounts.models import User

    return projects_visible_to(User.objects.get(username="demo-staff"))


# --- creation ---------------------------------------------------------------------------------


def test_a_project_takes_the_plan_and_the_zones_obligations(project, agreement, approved):
    assert project.allocation.status == Reservation.Status.ALLOCATED
    assert project.plot.status == Plot.Status.ALLOCATED
    assert list(project.years.values_list("year", "investment_kzt", "jobs")) == [
        (agreement.year, Decimal("1000000000.00"), 20),
        (agreement.year + 1, Decimal("1500000000.00"), 80),
        (agreement.year + 2, Decimal("500000000.00"), 120)]
    ms = {m.kind: m for m in project.milestones.all()}
    assert list(ms) == ["agreement", "design", "permits", "construction_start", "commissioning",
                        "operation"]
    assert (ms["agreement"].due_on, ms["agreement"].done_on) == (agreement, agreement)
    assert ms["design"].obligation and ms["design"].due_on == add_months(agreement, 6)
    assert ms["construction_start"].due_on == add_months(agreement, 12)
    assert ms["commissioning"].due_on == add_months(agreement, 36)
    assert not ms["permits"].obligation and ms["permits"].due_on is None
    assert audit_history(project).filter(action="project.created").exists()


def test_obligations_follow_the_zones_parameters_at_creation(users, rules, approved, today):
    rule = rules.get(milestone="construction_start")
    rule.months = 3
    rule.save()
    p = services.project_create(actor=users["manager"], application=approved,
                                agreement_on=today, plan=plan_from(today.year))
    assert p.milestones.get(kind="construction_start").due_on == add_months(today, 3)
    rule.months = 24
    rule.save()  # an agreement keeps its terms
    assert p.milestones.get(kind="construction_start").due_on == add_months(today, 3)


def test_without_rules_nothing_is_an_obligation(users, approved, today):
    p = services.project_create(actor=users["staff"], application=approved, agreement_on=today,
                                plan=plan_from(today.year))
    assert not p.milestones.filter(obligation=True).exists()


def test_only_an_approved_application_with_an_allocation_becomes_a_project_once(
        users, project, today):
    from promzona.applications import services as app_services

    other = app_services.application_create(
        actor=users["b"], project_name="Warehouse", sector="H52", investment_kzt=1,
        jobs_planned=1, needs={})
    app_services.application_submit(actor=users["b"], application=other)
    before = _counts()
    with pytest.raises(Conflict):
        services.project_create(actor=users["staff"], application=other, agreement_on=today,
                                plan=plan_from(today.year))
    with pytest.raises(Conflict):
        services.project_create(actor=users["staff"], application=project.application,
                                agreement_on=today, plan=plan_from(today.year))
    with pytest.raises(Forbidden):
        services.project_create(actor=users["a"], application=project.application,
                                agreement_on=today, plan=plan_from(today.year))
    assert _counts() == before


@pytest.mark.parametrize("plan, agreement_on", [
    ([], None),
    ("2026,1,1", None),
    ([(2026, 1)], None),
    ([(2026, 1, 1), (2026, 2, 2)], None),          # a year twice
    ([("2026", 1, 1)], None),
    ([(1999, 1, 1)], None),
    ([(True, 1, 1)], None),
    ([(2026, -1, 1)], None),
    ([(2026, "1.001", 1)], None),
    ([(2026, None, 1)], None),
    ([(2026, 1, -1)], None),
    ([(2026, 1, 10**7)], None),
    ([(2026, 1, 1.5)], None),
    ([(y, 1, 1) for y in range(2026, 2057)], None),  # 31 years
    ([(2024, 1, 1)], dt.date(2025, 1, 1)),          # before the agreement's year
    (None, "2025-01-01"),                            # not a date
    (None, dt.date(2999, 1, 1)),                     # in the future
])
def test_a_bad_plan_or_date_is_refused_and_changes_nothing(users, approved, today, plan,
                                                            agreement_on):
    before = _counts()
    with pytest.raises(InputError):
        services.project_create(actor=users["staff"], application=approved,
                                agreement_on=agreement_on or dt.date(2026, 1, 1),
                                plan=plan if plan is not None else plan_from(2026))
    assert _counts() == before


# --- milestones -------------------------------------------------------------------------------


def test_milestones_are_done_once_not_before_the_agreement_nor_in_the_future(users, project,
                                                                             agreement, today):
    design = project.milestones.get(kind="design")
    with pytest.raises(InputError):
        services.milestone_done(actor=users["staff"], milestone=design,
                                done_on=agreement - dt.timedelta(days=1))
    with pytest.raises(InputError):
        services.milestone_done(actor=users["staff"], milestone=design,
                                done_on=today + dt.timedelta(days=1))
    with pytest.raises(Forbidden):
        services.milestone_done(actor=users["a"], milestone=design, done_on=today)
    services.milestone_done(actor=users["manager"], milestone=design, done_on=today)
    design.refresh_from_db()
    assert design.done_on == today
    with pytest.raises(Conflict):
        services.milestone_done(actor=users["staff"], milestone=design, done_on=today)


def test_operation_puts_the_plot_in_use(users, project, today):
    services.milestone_done(actor=users["staff"], milestone=project.milestones.get(
        kind="operation"), done_on=today)
    assert Plot.objects.get(pk=project.plot.pk).status == Plot.Status.OCCUPIED


def test_rescheduling_an_obligation_needs_a_reason_and_lifts_the_overdue_state(users, project,
                                                                                today):
    start = project.milestones.get(kind="construction_start")
    assert start in overdue_obligations(_fresh(project), today)
    with pytest.raises(InputError):
        services.milestone_reschedule(actor=users["staff"], milestone=start,
                                      due_on=today + dt.timedelta(days=60), reason=" ")
    services.milestone_reschedule(actor=users["staff"], milestone=start, reason="Court ruling",
                                  due_on=today + dt.timedelta(days=60))
    assert start not in overdue_obligations(_fresh(project), today)
    entry = audit_history(project).get(action="project.milestone_rescheduled")
    assert entry.before["due_on"] == add_months(project.agreement_on, 12).isoformat()
    assert entry.after["reason"] == "Court ruling"
    agreement = project.milestones.get(kind="agreement")
    with pytest.raises(Conflict):
        services.milestone_reschedule(actor=users["staff"], milestone=agreement,
                                      due_on=today, reason="x")


def test_overdue_at_the_edges(users, project, agreement):
    start = add_months(agreement, 12)  # construction start due
    p = _fresh(project)
    kinds = {m.kind for m in overdue_obligations(p, start)}
    assert "construction_start" not in kinds  # due today: still in time
    assert "construction_start" in {m.kind for m in overdue_obligations(
        p, start + dt.timedelta(days=1))}  # due yesterday


# --- status updates and reports ---------------------------------------------------------------


def test_status_updates_are_dated_and_checked(users, project, today):
    with pytest.raises(InputError):
        services.project_status_update(actor=users["staff"], project=project, on=today,
                                       health="fine")
    with pytest.raises(Forbidden):
        services.project_status_update(actor=users["a"], project=project, on=today,
                                       health="at_risk")
    services.project_status_update(actor=users["staff"], project=project, health="at_risk",
                                   on=today - dt.timedelta(days=5), comment="Permits late")
    f = project_figures(_fresh(project), as_of=today)
    assert f.health == "at_risk"
    assert project_figures(_fresh(project), as_of=today - dt.timedelta(days=6)).health is None


def test_the_investor_reports_and_staff_confirm(users, project, agreement, today):
    year = agreement.year
    r = services.project_report(actor=users["a"], project=project, year=year,
                                investment_kzt=800_000_000, jobs=15, comment="Design paid")
    f = project_figures(_fresh(project), as_of=today)
    assert f.years[0].actual_investment_kzt is None  # not confirmed yet
    services.report_confirm(actor=users["staff"], report=r)
    f = project_figures(_fresh(project), as_of=today)
    assert (f.years[0].actual_investment_kzt, f.years[0].actual_jobs) == (
        Decimal("800000000.00"), 15)
    assert f.actual_investment_kzt == Decimal("800000000.00") and f.actual_jobs == 15
    assert f.planned_investment_kzt == Decimal("3000000000.00")
    assert f.behind  # 800 M of the 1 bn planned for a past year, and overdue obligations
    assert project_figures(_fresh(project), as_of=today - dt.timedelta(days=1)) \
        .years[0].actual_investment_kzt is None  # confirmed today
    with pytest.raises(Conflict):
        services.report_reject(actor=users["staff"], report=r, comment="late")


def test_a_later_confirmed_report_replaces_the_years_figures(users, project, agreement, today):
    for amount in (500, 900):
        r = services.project_report(actor=users["a"], project=project, year=agreement.year,
                                    investment_kzt=amount, jobs=amount // 100)
        services.report_confirm(actor=users["staff"], report=r)
    f = project_figures(_fresh(project), as_of=today)
    assert f.years[0].actual_investment_kzt == Decimal("900") and f.actual_jobs == 9


def test_rejection_says_why_and_does_not_count(users, project, agreement, today):
    r = services.project_report(actor=users["a"], project=project, year=agreement.year,
                                investment_kzt=1, jobs=1)
    with pytest.raises(InputError):
        services.report_reject(actor=users["staff"], report=r, comment="")
    with pytest.raises(Forbidden):
        services.report_confirm(actor=users["a"], report=r)
    services.report_reject(actor=users["manager"], report=r, comment="No evidence")
    assert project_figures(_fresh(project), as_of=today).years[0].actual_investment_kzt is None


def test_only_the_investors_own_users_report(users, project, today):
    for actor in (users["b"], users["staff"], users["manager"], None):
        with pytest.raises(Forbidden):
            services.project_report(actor=actor, project=project, year=today.year,
                                    investment_kzt=1, jobs=1)
    assert not project.reports.exists()


@pytest.mark.parametrize("year, investment, jobs", [
    ("2026", 1, 1), (None, 1, 1), (1999, 1, 1), (2101, 1, 1),
    (0, -1, 1), (0, "x", 1), (0, None, 1), (0, 1, -1), (0, 1, "3"), (0, 1, 10**7),
    (0, 10**15, 1), (1, 1, 1),  # next year: not yet
])
def test_bad_reports_are_refused_and_change_nothing(users, project, today, year, investment,
                                                    jobs):
    year = today.year + year if isinstance(year, int) and year < 2 else year
    before = _counts()
    with pytest.raises(InputError):
        services.project_report(actor=users["a"], project=project, year=year,
                                investment_kzt=investment, jobs=jobs)
    assert _counts() == before


# --- termination ------------------------------------------------------------------------------


def _ledger(plot):
    return {s.code: s.committed for s in UtilitySource.objects.filter(zone=plot.zone)}


def test_termination_returns_the_plot_and_releases_its_capacity(
        users, project, django_capture_on_commit_callbacks):
    plot = project.plot
    held = _ledger(plot)
    links = list(project.allocation.commitment_links.values_list("commitment", flat=True))
    assert links
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.project_terminate(actor=users["staff"], project=project,
                                   reason="Construction not started within 12 months")
    project.refresh_from_db()
    assert project.status == Project.Status.TERMINATED and project.terminated_on
    assert Plot.objects.get(pk=plot.pk).status == Plot.Status.PUBLISHED
    assert Reservation.objects.get(pk=project.allocation_id).status == "released"
    assert set(CapacityCommitment.objects.filter(pk__in=links).values_list("status", flat=True)) \
        == {"released"}
    after = _ledger(plot)
    assert sum(held.values()) - sum(after.values()) == Decimal("105")  # 100 kW + 5 m³/day
    assert audit_history(project).get(action="project.terminated").after["overdue"] == [
        "design", "construction_start"]
    assert audit_history(plot).filter(action="plot.status.published").exists()
    assert callbacks  # the investor's email and the saved-search alerts run after commit


def test_termination_of_a_project_in_operation_returns_the_occupied_plot(users, project, today):
    services.milestone_done(actor=users["staff"], milestone=project.milestones.get(
        kind="operation"), done_on=today)
    services.project_terminate(actor=users["staff"], project=project, reason="Breach")
    assert Plot.objects.get(pk=project.plot.pk).status == Plot.Status.PUBLISHED


def test_termination_needs_staff_an_overdue_obligation_and_a_reason(users, rules, approved,
                                                                     today):
    fresh = services.project_create(actor=users["staff"], application=approved,
                                    agreement_on=today, plan=plan_from(today.year))
    with pytest.raises(Conflict):  # nothing overdue yet
        services.project_terminate(actor=users["staff"], project=fresh, reason="x")
    fresh.milestones.filter(kind="design").update(due_on=today - dt.timedelta(days=1))
    with pytest.raises(Forbidden):
        services.project_terminate(actor=users["manager"], project=fresh, reason="x")
    with pytest.raises(Forbidden):
        services.project_terminate(actor=users["a"], project=fresh, reason="x")
    with pytest.raises(InputError):
        services.project_terminate(actor=users["staff"], project=fresh, reason="")
    fresh.refresh_from_db()
    assert fresh.status == Project.Status.ACTIVE
    assert Plot.objects.get(pk=fresh.plot.pk).status == Plot.Status.ALLOCATED


def test_a_terminated_project_changes_no_more(users, project, today):
    services.project_terminate(actor=users["staff"], project=project, reason="Breach")
    m = project.milestones.get(kind="design")
    for call in (
        lambda: services.project_terminate(actor=users["staff"], project=project, reason="x"),
        lambda: services.milestone_done(actor=users["staff"], milestone=m, done_on=today),
        lambda: services.project_report(actor=users["a"], project=project, year=today.year,
                                        investment_kzt=1, jobs=1),
        lambda: services.project_status_update(actor=users["staff"], project=project, on=today,
                                               health="off_track"),
    ):
        with pytest.raises(Conflict):
            call()


def test_visibility_staff_and_managers_all_investors_their_own(users, project):
    other = approved_application(users, investor="b",
                                 plot=Plot.objects.filter(status="published").order_by("-code")
                                 .first())
    services.project_create(actor=users["staff"], application=other,
                            agreement_on=project.agreement_on, plan=plan_from(2026))
    assert projects_visible_to(users["staff"]).count() == 2
    assert projects_visible_to(users["manager"]).count() == 2
    assert list(projects_visible_to(users["a"])) == [project]
    assert projects_visible_to(None).count() == 0
