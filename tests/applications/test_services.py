"""The application workflow and reservations through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from promzona.applications import services
from promzona.applications.models import Application, Comment, Reservation
from promzona.applications.selectors import applications_visible_to
from promzona.audit.selectors import audit_history
from promzona.core.errors import CapacityExceeded, Conflict, Forbidden, InputError
from promzona.matching.selectors import plot_connection_options, sources_serving_plot
from promzona.zones.models import CapacityCommitment, Plot, UtilityLine, UtilitySource

from .conftest import NEEDS, make_application

S = Application.Status


def test_reserve_commits_each_need_on_its_serving_source(users, submitted_app, published_plot,
                                                         today):
    serving = sources_serving_plot(published_plot, {"power": 100, "water": 5}, today=today)
    before = {k: s.committed for k, s in serving.items()}
    r = services.plot_reserve(actor=users["staff"], plot=published_plot, application=submitted_app)
    assert r.status == Reservation.Status.ACTIVE
    published_plot.refresh_from_db()
    assert published_plot.status == Plot.Status.RESERVED
    for kind, amount in (("power", 100), ("water", 5)):
        src = UtilitySource.objects.get(pk=serving[kind].pk)
        assert src.committed == before[kind] + Decimal(amount)
    assert r.commitment_links.count() == 2
    assert r.expires_at - r.created_at == dt.timedelta(days=90)
    assert audit_history(published_plot).filter(action="plot.reserved").exists()


def test_serving_source_is_that_of_the_cheapest_connection(demo, published_plot, today):
    from promzona.zones.services import feature_save

    def serving(plot, kinds=("power", "gas")):
        return sources_serving_plot(plot, dict.fromkeys(kinds, 0.0), today=today)

    far = Plot.objects.filter(zone=demo).exclude(pk=published_plot.pk).order_by("-code").first()
    assert serving(published_plot)["power"].code == "PS-2"
    assert serving(published_plot)["gas"].code == "GRS-1"  # only a planned line
    template = UtilitySource.objects.get(zone=demo, code="PS-2")
    new = feature_save(actor=None, obj=UtilitySource(
        zone=demo, code="PS-T", kind="power", name_ru="Т", capacity=1000,
        geometry=template.geometry))
    p = published_plot
    # A planned line along the plot's southern edge: now the cheapest power connection.
    feature_save(actor=None, obj=UtilityLine(
        zone=demo, code="PT-1", kind="power", source=new, status="planned",
        planned_completion=today,
        geometry={"type": "LineString", "coordinates": [[p.min_lon, p.min_lat],
                                                        [p.max_lon, p.min_lat]]}))
    assert serving(published_plot)["power"].code == "PS-T"
    assert serving(published_plot, ["water"]) == {
        "water": UtilitySource.objects.get(zone=demo, code="VZ-1")}
    options, k = plot_connection_options(far, today=today)["power"]
    assert serving(far)["power"].pk == options[k].source_id
    assert options[k].connection_cost_kzt == min(o.connection_cost_kzt for o in options)


def test_second_reservation_of_a_taken_plot_is_a_conflict(users, submitted_app, published_plot):
    services.plot_reserve(actor=users["staff"], plot=published_plot, application=submitted_app)
    other = make_application(users["b"])
    committed = list(UtilitySource.objects.values_list("committed", flat=True))
    with pytest.raises(Conflict):
        services.plot_reserve(actor=users["staff"], plot=published_plot, application=other)
    assert list(UtilitySource.objects.values_list("committed", flat=True)) == committed
    assert not other.reservations.exists()


def test_capacity_shortage_leaves_no_trace(users, published_plot):
    app = make_application(users["a"], needs=dict(NEEDS, power_kw=10**9))
    n_comm = CapacityCommitment.objects.count()
    with pytest.raises(CapacityExceeded):
        services.plot_reserve(actor=users["staff"], plot=published_plot, application=app)
    published_plot.refresh_from_db()
    assert published_plot.status == Plot.Status.PUBLISHED
    assert not Reservation.objects.filter(application=app).exists()
    assert CapacityCommitment.objects.count() == n_comm


@pytest.mark.parametrize("role", ["a", "b", "manager"])
def test_only_staff_reserve(users, submitted_app, published_plot, role):
    with pytest.raises(Forbidden):
        services.plot_reserve(actor=users[role], plot=published_plot, application=submitted_app)
    published_plot.refresh_from_db()
    assert published_plot.status == Plot.Status.PUBLISHED


@pytest.mark.parametrize("status", ["draft", "withdrawn"])
def test_unpublished_plot_cannot_be_reserved(users, submitted_app, demo, status):
    plot = Plot.objects.filter(zone=demo, status=status).first()
    with pytest.raises(InputError):
        services.plot_reserve(actor=users["staff"], plot=plot, application=submitted_app)
    assert not submitted_app.reservations.exists()


@pytest.mark.parametrize("days", [-1, 0, 5000])
def test_bad_expiry_is_refused(users, submitted_app, published_plot, days):
    now = timezone.now()
    with pytest.raises(InputError):
        services.plot_reserve(actor=users["staff"], plot=published_plot, application=submitted_app,
                              expires_at=now + dt.timedelta(days=days), now=now)


def test_draft_cannot_hold_a_plot(users, published_plot):
    app = make_application(users["a"], submit=False)
    with pytest.raises(Conflict):
        services.plot_reserve(actor=users["staff"], plot=published_plot, application=app)


def test_expiry_releases_plot_and_capacity(users, submitted_app, published_plot):
    now = timezone.now()
    r = services.plot_reserve(actor=users["staff"], plot=published_plot, application=submitted_app,
                              expires_at=now + dt.timedelta(days=1), now=now)
    ledger = {c.source_id: c.source.committed for c in
              CapacityCommitment.objects.filter(reservation_link__reservation=r)}
    assert services.reservations_expire(now=now + dt.timedelta(hours=23)) == 0
    assert services.reservations_expire(now=now + dt.timedelta(days=1)) == 1
    assert services.reservations_expire(now=now + dt.timedelta(days=2)) == 0
    r.refresh_from_db()
    published_plot.refresh_from_db()
    assert r.status == Reservation.Status.EXPIRED
    assert published_plot.status == Plot.Status.PUBLISHED
    for source_id, committed in ledger.items():
        assert UtilitySource.objects.get(pk=source_id).committed == committed - Decimal(
            {"power": 100, "water": 5}[UtilitySource.objects.get(pk=source_id).kind])
    # An expired reservation cannot be approved: nothing active is left to allocate.
    with pytest.raises(Conflict):
        services.application_approve(actor=users["staff"], application=submitted_app)


def test_expire_command(users, submitted_app, published_plot, capsys):
    now = timezone.now()
    services.plot_reserve(actor=users["staff"], plot=published_plot, application=submitted_app,
                          expires_at=now + dt.timedelta(days=1), now=now)
    later = (now + dt.timedelta(days=2)).isoformat()
    call_command("reservations", "expire", "--now", later)
    assert "1 reservation(s) expired." in capsys.readouterr().out
    published_plot.refresh_from_db()
    assert published_plot.status == Plot.Status.PUBLISHED


def test_full_workflow_with_comments_audit_and_email(
    users, published_plot, django_capture_on_commit_callbacks
):
    a, staff = users["a"], users["staff"]
    a.email = "a@example.kz"
    a.save()
    with django_capture_on_commit_callbacks(execute=True):
        app = make_application(a)
        services.application_start_review(actor=staff, application=app, comment="Looking")
        r = services.plot_reserve(actor=staff, plot=published_plot, application=app)
        services.application_approve(actor=staff, application=app, comment="Welcome")
    app.refresh_from_db()
    r.refresh_from_db()
    published_plot.refresh_from_db()
    assert app.status == S.APPROVED
    assert r.status == Reservation.Status.ALLOCATED
    assert published_plot.status == Plot.Status.ALLOCATED
    assert r.commitment_links.filter(commitment__status="active").count() == 2
    transitions = list(Comment.objects.filter(application=app).values_list("transition", flat=True))
    assert transitions == ["submitted", "under_review", "reserved", "approved"]
    assert len(mail.outbox) == 4 and mail.outbox[-1].to == ["a@example.kz"]
    actions = set(audit_history(app).values_list("action", flat=True))
    assert {"application.created", "application.submitted", "application.approved"} <= actions


def test_reject_and_withdraw_release_the_reservation(users, published_plot):
    staff = users["staff"]
    for close in ("reject", "withdraw"):
        app = make_application(users["a"])
        r = services.plot_reserve(actor=staff, plot=published_plot, application=app)
        if close == "reject":
            with pytest.raises(InputError):
                services.application_reject(actor=staff, application=app, comment="  ")
            services.application_reject(actor=staff, application=app, comment="No water")
        else:
            services.application_withdraw(actor=users["a"], application=app)
        r.refresh_from_db()
        published_plot.refresh_from_db()
        assert r.status == Reservation.Status.RELEASED
        assert published_plot.status == Plot.Status.PUBLISHED


@pytest.mark.parametrize(
    "who,action",
    [("b", "submit"), ("staff", "submit"), ("manager", "submit"),
     ("a", "start_review"), ("manager", "start_review"), ("b", "withdraw"),
     ("staff", "withdraw"), ("a", "approve"), ("manager", "approve"), ("a", "reject")],
)
def test_transition_by_the_wrong_role_is_forbidden(users, who, action):
    app = make_application(users["a"], submit=action != "submit")
    status = app.status
    kwargs = {"comment": "x"}
    with pytest.raises(Forbidden):
        getattr(services, f"application_{action}")(actor=users[who], application=app, **kwargs)
    app.refresh_from_db()
    assert app.status == status


def test_transition_from_the_wrong_status_is_a_conflict(users):
    app = make_application(users["a"], submit=False)
    with pytest.raises(Conflict):
        services.application_start_review(actor=users["staff"], application=app)
    services.application_withdraw(actor=users["a"], application=app)
    with pytest.raises(Conflict):
        services.application_submit(actor=users["a"], application=app)


@pytest.mark.parametrize(
    "needs",
    [{"power_kw": -1}, {"power_kw": "lots"}, {"nuclear": 1}, [1, 2], {"power_kw": True},
     {"power_kw": float("nan")}, {"power_kw": 10**13}, {"x" * 10000: 1}, {"power_kw": 0.0001},
     {"water_m3_day": 1.2345}],
)
def test_bad_needs_are_refused(users, needs):
    n = Application.objects.count()
    with pytest.raises(InputError):
        make_application(users["a"], needs=needs, submit=False)
    assert Application.objects.count() == n


@pytest.mark.parametrize(
    "field,value",
    [("project_name", ""), ("project_name", "x" * 300), ("sector", "ZZZ"),
     ("investment_kzt", -5), ("jobs_planned", -1), ("preferred_plots", [10**9]),
     ("preferred_plots", [1, 1]), ("preferred_plots", "1,2"), ("preferred_plots", [2**63]),
     ("preferred_plots", [-1]), ("preferred_plots", [True]), ("preferred_plots", ["1"]),
     ("horizon_years", 0), ("horizon_years", 51), ("horizon_years", -1),
     ("start_by", "tomorrow")],
)
def test_bad_application_fields_are_refused(users, field, value):
    fields = dict(project_name="P", sector="C25", investment_kzt=1, jobs_planned=1)
    fields[field] = value
    with pytest.raises(InputError):
        services.application_create(actor=users["a"], **fields)
    assert not Application.objects.filter(created_by=users["a"], project_name="P").exists()


def test_investor_cannot_prefer_an_unpublished_plot(users, demo):
    draft = Plot.objects.filter(zone=demo, status="draft").first()
    with pytest.raises(InputError):
        make_application(users["a"], preferred=[draft.pk], submit=False)


def test_visibility(users):
    app = make_application(users["a"], submit=False)
    assert app in applications_visible_to(users["a"])
    assert app not in applications_visible_to(users["b"])
    assert app in applications_visible_to(users["staff"])
    assert app in applications_visible_to(users["manager"])
    from django.contrib.auth.models import AnonymousUser

    assert not applications_visible_to(AnonymousUser()).exists()


def test_edit_only_a_draft(users):
    app = make_application(users["a"], submit=False)
    services.application_update(actor=users["a"], application=app, project_name="Renamed",
                                needs={"power_kw": 7})
    app.refresh_from_db()
    assert app.project_name == "Renamed" and app.needs["power_kw"] == 7
    with pytest.raises(Forbidden):
        services.application_update(actor=users["b"], application=app, project_name="Hack")
    with pytest.raises(InputError):
        services.application_update(actor=users["a"], application=app, status="approved")
    services.application_submit(actor=users["a"], application=app)
    with pytest.raises(Conflict):
        services.application_update(actor=users["a"], application=app, project_name="Late")


def test_approve_refused_when_the_plot_was_withdrawn_meanwhile(users, submitted_app,
                                                               published_plot):
    staff = users["staff"]
    r = services.plot_reserve(actor=staff, plot=published_plot, application=submitted_app)
    Plot.objects.filter(pk=published_plot.pk).update(status=Plot.Status.WITHDRAWN)
    with pytest.raises(Conflict):
        services.application_approve(actor=staff, application=submitted_app)
    submitted_app.refresh_from_db()
    r.refresh_from_db()
    assert submitted_app.status == S.SUBMITTED and r.status == Reservation.Status.ACTIVE
