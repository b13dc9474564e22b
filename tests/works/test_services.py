"""Works through the services: every transition, its refusals per role, and bad input that
changes nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from promzona.audit.models import AuditEntry
from promzona.audit.selectors import audit_history
from promzona.core.errors import Conflict, Forbidden, InputError
from promzona.works import services
from promzona.works.models import Inspection, Work, WorkPhoto, WorkPlan, WorkProgress
from promzona.works.selectors import work_figures
from promzona.zones.models import InfrastructureProject, UtilityLine, UtilitySource

from .conftest import finish, make_work, png

S = Work.Status


def _counts():
    return (Work.objects.count(), WorkPlan.objects.count(), WorkProgress.objects.count(),
            Inspection.objects.count(), WorkPhoto.objects.count(), AuditEntry.objects.count())


# --- create ----------------------------------------------------------------------------------


def test_create_saves_the_baseline_and_gives_the_line_the_planned_finish(users, demo, uc_line,
                                                                        today):
    work = make_work(users["staff"], demo, line=uc_line, today=today,
                     finish=today + dt.timedelta(days=200))
    assert work.status == S.PLANNED
    baseline = work.plans.get()
    assert (baseline.version, baseline.planned_finish, baseline.contract_value_kzt) == (
        1, today + dt.timedelta(days=200), Decimal("1000000000.00"))
    uc_line.refresh_from_db()
    assert uc_line.planned_completion == today + dt.timedelta(days=200)
    assert audit_history(uc_line).filter(action="utilityline.updated").exists()
    assert audit_history(work).filter(action="work.created").exists()


def test_managers_create_too_investors_and_anonymous_are_refused(users, demo, uc_line, today):
    assert make_work(users["manager"], demo, line=uc_line, today=today).pk
    before = _counts()
    for actor in (users["a"], None):
        with pytest.raises(Forbidden):
            make_work(actor, demo, today=today)
    assert _counts() == before


@pytest.mark.parametrize("change, field", [
    ({"finish": dt.date(2020, 1, 1), "start": dt.date(2021, 1, 1)}, "planned_finish"),
    ({"start": dt.date(1999, 12, 31)}, "planned_start"),
    ({"finish": dt.date(2101, 1, 1)}, "planned_finish"),
    ({"start": "2026-01-01"}, "planned_start"),
    ({"value": -1}, "contract_value_kzt"),
    ({"value": "1.001"}, "contract_value_kzt"),
    ({"value": 10**15}, "contract_value_kzt"),
    ({"value": float("nan")}, "contract_value_kzt"),
    ({"value": True}, "contract_value_kzt"),
    ({"name": ""}, "name"),
    ({"name": "x" * 256}, "name"),
    ({"name": ["a"]}, "name"),
    ({"contractor": "   "}, "contractor"),
    ({"funding_source": "lottery"}, "funding_source"),
    ({"kind": "spaceport"}, "kind"),
    ({"contract_number": "9" * 65}, "contract_number"),
])
def test_bad_input_is_refused_and_changes_nothing(users, demo, today, change, field):
    before = _counts()
    kwargs = dict(change)
    value = kwargs.pop("value", 5)
    with pytest.raises(InputError) as exc:
        make_work(users["staff"], demo, today=today, value=value, **kwargs)
    assert exc.value.field == field
    assert _counts() == before


def test_the_kind_must_match_what_is_built(users, demo, uc_line, upgrade, today):
    before = _counts()
    with pytest.raises(InputError):
        make_work(users["staff"], demo, line=uc_line, kind="upgrade", today=today)
    with pytest.raises(InputError):
        make_work(users["staff"], demo, upgrade=upgrade, kind="line", today=today)
    with pytest.raises(InputError):
        make_work(users["staff"], demo, line=uc_line, kind="facility", today=today)
    with pytest.raises(InputError):
        make_work(users["staff"], demo, kind="line", today=today)
    assert _counts() == before


def test_an_existing_line_or_a_line_already_being_built_is_a_conflict(users, demo, line_work,
                                                                     uc_line, today):
    existing = UtilityLine.objects.get(zone=demo, code="PO-1")
    before = _counts()
    with pytest.raises(Conflict):
        make_work(users["staff"], demo, line=existing, today=today)
    with pytest.raises(Conflict):
        make_work(users["staff"], demo, line=uc_line, today=today)
    assert _counts() == before


def test_a_line_of_another_zone_is_refused(users, demo, uc_line, today):
    from promzona.zones.models import Zone
    from promzona.zones.services import feature_save

    other = feature_save(actor=None, obj=Zone(
        slug="other", name_ru="Другая", kind="industrial_park", status="planned",
        municipality="X", geometry=demo.geometry))
    with pytest.raises(InputError):
        make_work(users["staff"], other, line=uc_line, today=today)
    assert not Work.objects.filter(zone=other).exists()


def test_the_database_refuses_two_open_works_on_one_line(line_work):
    from django.db import IntegrityError, transaction

    clone = Work.objects.get(pk=line_work.pk)
    clone.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


# --- re-plan -----------------------------------------------------------------------------------


def test_replan_keeps_the_baseline_and_moves_the_line(users, line_work, uc_line, today):
    new_finish = line_work.planned_finish + dt.timedelta(days=90)
    plan = services.work_replan(actor=users["manager"], work=line_work,
                                planned_start=line_work.planned_start, planned_finish=new_finish,
                                contract_value_kzt=1_200_000_000, reason="Additional agreement №2")
    assert plan.version == 2
    baseline = line_work.plans.get(version=1)
    assert baseline.planned_finish == today + dt.timedelta(days=100)
    assert baseline.contract_value_kzt == Decimal("1000000000.00")
    line_work.refresh_from_db()
    assert (line_work.planned_finish, line_work.contract_value_kzt) == (new_finish,
                                                                        Decimal("1200000000"))
    uc_line.refresh_from_db()
    assert uc_line.planned_completion == new_finish
    entry = audit_history(line_work).get(action="work.replanned")
    assert entry.before["planned_finish"] == (today + dt.timedelta(days=100)).isoformat()
    assert entry.after["reason"] == "Additional agreement №2"


def test_replan_needs_a_reason_and_a_change(users, line_work):
    before = _counts()
    args = dict(actor=users["staff"], work=line_work, planned_start=line_work.planned_start,
                planned_finish=line_work.planned_finish, contract_value_kzt=1_000_000_000)
    with pytest.raises(InputError):
        services.work_replan(**args, reason="  ")
    with pytest.raises(InputError):
        services.work_replan(**args, reason="nothing new")
    with pytest.raises(Forbidden):
        services.work_replan(**(args | {"actor": users["b"]}), reason="x")
    assert _counts() == before


# --- progress ----------------------------------------------------------------------------------


def test_first_progress_starts_the_work_and_puts_a_planned_line_under_construction(
        users, demo, planned_line, today, media):
    work = make_work(users["staff"], demo, line=planned_line, today=today)
    report = services.work_report_progress(
        actor=users["staff"], work=work, reported_on=today - dt.timedelta(days=3), percent=12.5,
        spent_kzt=100_000_000, remarks="Trench dug", photos=[png(), png("b.jpg")])
    work.refresh_from_db()
    assert (work.status, work.started_on) == (S.IN_PROGRESS, today - dt.timedelta(days=3))
    planned_line.refresh_from_db()
    assert planned_line.status == UtilityLine.Status.UNDER_CONSTRUCTION
    photos = list(report.photos.all())
    assert [p.content_type for p in photos] == ["image/png", "image/png"]
    assert all(p.file.name.endswith(".png") and (media / p.file.name).exists() for p in photos)
    assert {"work.started", "work.progress_reported"} <= set(
        audit_history(work).values_list("action", flat=True))


def test_a_zero_percent_report_does_not_start_the_work(users, line_work, today):
    services.work_report_progress(actor=users["staff"], work=line_work, reported_on=today,
                                  percent=0)
    line_work.refresh_from_db()
    assert line_work.status == S.PLANNED and line_work.started_on is None


def test_progress_on_an_upgrade_puts_it_in_progress(users, demo, upgrade, today):
    work = make_work(users["staff"], demo, upgrade=upgrade, today=today)
    upgrade.refresh_from_db()
    assert (upgrade.start_date, upgrade.planned_completion) == (work.planned_start,
                                                                work.planned_finish)
    services.work_report_progress(actor=users["staff"], work=work, reported_on=today, percent=5)
    upgrade.refresh_from_db()
    assert upgrade.status == InfrastructureProject.Status.IN_PROGRESS


@pytest.mark.parametrize("kwargs, field", [
    ({"percent": 100.5}, "percent"),
    ({"percent": -1}, "percent"),
    ({"percent": "12.345"}, "percent"),
    ({"percent": None}, "percent"),
    ({"percent": "abc"}, "percent"),
    ({"percent": float("inf")}, "percent"),
    ({"reported_on_delta": 1}, "reported_on"),  # tomorrow
    ({"spent_kzt": -5}, "spent_kzt"),
    ({"remarks": "x" * 5001}, "remarks"),
    ({"photos": [SimpleUploadedFile("a.png", b"GIF89a....")]}, "photos"),
    ({"photos": [SimpleUploadedFile("a.png", b"%PDF-1.4\n")]}, "photos"),
    ({"photos": [png(str(i)) for i in range(11)]}, "photos"),
])
def test_bad_progress_is_refused_and_changes_nothing(users, line_work, today, media, kwargs,
                                                     field):
    kwargs = dict(kwargs)
    day = today + dt.timedelta(days=kwargs.pop("reported_on_delta", 0))
    args = {"percent": 10} | kwargs
    before = _counts()
    with pytest.raises(InputError) as exc:
        services.work_report_progress(actor=users["staff"], work=line_work, reported_on=day,
                                      **args)
    assert exc.value.field == field
    assert _counts() == before
    assert list(media.rglob("*.*")) == []


def test_an_oversized_photo_is_refused(users, line_work, today, media, monkeypatch):
    monkeypatch.setattr(services, "MAX_PHOTO_BYTES", 10)
    with pytest.raises(InputError):
        services.work_report_progress(actor=users["staff"], work=line_work, reported_on=today,
                                      percent=10, photos=[png()])
    assert not WorkProgress.objects.filter(work=line_work).exists()


def test_reports_go_forward_in_date_and_money(users, line_work, today):
    services.work_report_progress(actor=users["staff"], work=line_work, reported_on=today,
                                  percent=30, spent_kzt=300)
    with pytest.raises(InputError):
        services.work_report_progress(actor=users["staff"], work=line_work, percent=35,
                                      reported_on=today - dt.timedelta(days=1))
    with pytest.raises(InputError):
        services.work_report_progress(actor=users["staff"], work=line_work, reported_on=today,
                                      percent=35, spent_kzt=299)
    assert line_work.progress.count() == 1


def test_a_failed_report_leaves_no_photo_file(users, line_work, today, media, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", boom)
    with pytest.raises(RuntimeError):
        services.work_report_progress(actor=users["staff"], work=line_work, reported_on=today,
                                      percent=10, photos=[png()])
    assert list(media.rglob("*.png")) == [] and not WorkPhoto.objects.exists()


def test_investors_cannot_report_progress(users, line_work, today):
    with pytest.raises(Forbidden):
        services.work_report_progress(actor=users["a"], work=line_work, reported_on=today,
                                      percent=10)
    assert not line_work.progress.exists()


# --- inspections -------------------------------------------------------------------------------


def test_findings_need_a_deadline_and_are_fixed_once(users, line_work, today):
    with pytest.raises(InputError):
        services.work_inspect(actor=users["staff"], work=line_work, inspected_on=today,
                              inspector="GASK", findings="Cracks in the trench wall")
    with pytest.raises(InputError):
        services.work_inspect(actor=users["staff"], work=line_work, inspected_on=today,
                              inspector="GASK", fix_by=today)
    with pytest.raises(InputError):
        services.work_inspect(actor=users["staff"], work=line_work, inspected_on=today,
                              inspector="GASK", findings="x", fix_by=today - dt.timedelta(1))
    assert not line_work.inspections.exists()
    i = services.work_inspect(actor=users["staff"], work=line_work, inspected_on=today,
                              inspector="GASK", findings="Cracks", fix_by=today)
    assert i.is_open
    with pytest.raises(InputError):
        services.inspection_fix(actor=users["staff"], inspection=i,
                                fixed_on=today - dt.timedelta(days=1))
    with pytest.raises(Forbidden):
        services.inspection_fix(actor=users["a"], inspection=i, fixed_on=today)
    services.inspection_fix(actor=users["manager"], inspection=i, fixed_on=today, note="Redone")
    i.refresh_from_db()
    assert not i.is_open and i.fix_note == "Redone"
    with pytest.raises(Conflict):
        services.inspection_fix(actor=users["staff"], inspection=i, fixed_on=today)


def test_an_inspection_without_findings_is_just_a_record(users, line_work, today):
    i = services.work_inspect(actor=users["staff"], work=line_work, inspected_on=today,
                              inspector="Technical supervision")
    assert not i.is_open
    with pytest.raises(Conflict):
        services.inspection_fix(actor=users["staff"], inspection=i, fixed_on=today)


# --- acceptance ----------------------------------------------------------------------------------


def test_acceptance_makes_the_line_existing(users, line_work, uc_line, today):
    finish(line_work, users["staff"], today)
    services.work_accept(actor=users["staff"], work=line_work, accepted_on=today,
                         remarks="Commission act №5")
    line_work.refresh_from_db()
    assert (line_work.status, line_work.accepted_on) == (S.ACCEPTED, today)
    uc_line.refresh_from_db()
    assert uc_line.status == UtilityLine.Status.EXISTING
    assert audit_history(uc_line).filter(action="utilityline.updated",
                                         after__status="existing").exists()
    entry = audit_history(line_work).get(action="work.accepted")
    assert entry.after["line"] == uc_line.pk


def test_acceptance_drafts_one_news_article_never_published(users, line_work, today):
    from promzona.news.models import Article

    drafts = Article.objects.filter(event_code="work.accepted", event_object_id=str(line_work.pk))
    finish(line_work, users["staff"], today)
    assert not drafts.exists()
    services.work_accept(actor=users["staff"], work=line_work, accepted_on=today)
    draft = drafts.get()
    assert draft.status == "draft" and line_work.name in draft.title_ru
    assert line_work.contractor in draft.body_en


def test_acceptance_of_an_upgrade_adds_its_capacity_to_the_source(users, demo, upgrade, today):
    source = UtilitySource.objects.get(pk=upgrade.source_id)
    capacity, committed = source.capacity, source.committed
    work = make_work(users["staff"], demo, upgrade=upgrade, today=today)
    finish(work, users["staff"], today)
    services.work_accept(actor=users["manager"], work=work, accepted_on=today)
    source.refresh_from_db()
    assert source.capacity == capacity + Decimal("10000")
    assert source.committed == committed  # the ledger's commitments are untouched
    assert source.free == capacity + Decimal("10000") - committed
    upgrade.refresh_from_db()
    assert (upgrade.status, upgrade.actual_completion) == ("completed", today)
    assert audit_history(source).filter(action="utilitysource.updated").exists()


def test_acceptance_needs_a_finished_started_work_without_open_findings(users, line_work, today):
    with pytest.raises(Conflict):  # never started
        services.work_accept(actor=users["staff"], work=line_work, accepted_on=today)
    services.work_report_progress(actor=users["staff"], work=line_work, percent=90,
                                  reported_on=today - dt.timedelta(days=2))
    with pytest.raises(Conflict):  # 90 %
        services.work_accept(actor=users["staff"], work=line_work, accepted_on=today)
    services.work_inspect(actor=users["staff"], work=line_work, inspected_on=today,
                          inspector="GASK", findings="Backfill missing", fix_by=today)
    finish(line_work, users["staff"], today)
    with pytest.raises(Conflict) as exc:  # an open finding
        services.work_accept(actor=users["staff"], work=line_work, accepted_on=today)
    assert exc.value.details["inspections"]
    with pytest.raises(InputError):  # before the last report
        services.work_accept(actor=users["staff"], work=line_work,
                             accepted_on=today - dt.timedelta(days=1))
    line_work.refresh_from_db()
    assert line_work.status == S.IN_PROGRESS and line_work.line.status == "under_construction"


def test_an_accepted_or_cancelled_work_changes_no_more(users, line_work, demo, today):
    finish(line_work, users["staff"], today)
    services.work_accept(actor=users["staff"], work=line_work, accepted_on=today)
    for call in (
        lambda: services.work_accept(actor=users["staff"], work=line_work, accepted_on=today),
        lambda: services.work_report_progress(actor=users["staff"], work=line_work,
                                              reported_on=today, percent=100),
        lambda: services.work_cancel(actor=users["staff"], work=line_work, reason="x"),
        lambda: services.work_inspect(actor=users["staff"], work=line_work, inspected_on=today,
                                      inspector="x"),
    ):
        with pytest.raises(Conflict):
            call()
    other = make_work(users["staff"], demo, today=today, name="Airport terminal")
    services.work_cancel(actor=users["staff"], work=other, reason="Funding withdrawn")
    other.refresh_from_db()
    assert (other.status, other.cancelled_on, other.closing_remarks) == (
        S.CANCELLED, today, "Funding withdrawn")
    with pytest.raises(Conflict):
        services.work_replan(actor=users["staff"], work=other, planned_start=today,
                             planned_finish=today, contract_value_kzt=1, reason="x")


def test_cancel_needs_a_reason_and_staff(users, line_work):
    with pytest.raises(InputError):
        services.work_cancel(actor=users["staff"], work=line_work, reason="")
    with pytest.raises(Forbidden):
        services.work_cancel(actor=users["a"], work=line_work, reason="x")
    line_work.refresh_from_db()
    assert line_work.status == S.PLANNED


def test_investors_cannot_accept(users, line_work, today):
    finish(line_work, users["staff"], today)
    with pytest.raises(Forbidden):
        services.work_accept(actor=users["a"], work=line_work, accepted_on=today)
    line_work.refresh_from_db()
    assert line_work.status == S.IN_PROGRESS


# --- figures as of a date ----------------------------------------------------------------------


def test_figures_use_the_baseline_and_the_reports_of_the_day(users, demo, today):
    start = today - dt.timedelta(days=100)
    work = make_work(users["staff"], demo, today=today, start=start,
                     finish=start + dt.timedelta(days=200), value=2_000_000)
    services.work_report_progress(actor=users["staff"], work=work, percent=25, spent_kzt=600_000,
                                  reported_on=today - dt.timedelta(days=10))
    services.work_replan(actor=users["staff"], work=work, planned_start=start,
                         planned_finish=start + dt.timedelta(days=400), contract_value_kzt=3_000_000,
                         reason="Delay")
    f = work_figures(work, as_of=today)
    # Baseline: 100 of 200 days passed, so PV = 1,000,000; EV = 25 % of 2,000,000 = 500,000.
    assert f.earned.planned_value == 1_000_000 and f.earned.earned_value == 500_000
    assert f.earned.spi == 0.5 and f.earned.cpi == pytest.approx(500_000 / 600_000)
    assert f.status == S.IN_PROGRESS and f.slip_days == 200 and f.plan.version == 2
    earlier = work_figures(work, as_of=today - dt.timedelta(days=11))
    assert earlier.status == S.PLANNED and earlier.percent == 0 and earlier.spent_kzt is None
    assert work_figures(work, as_of=start + dt.timedelta(days=201)).late
    assert not f.late


def test_figures_count_findings_open_on_the_day(users, line_work, today):
    i = services.work_inspect(actor=users["staff"], work=line_work, inspector="GASK",
                              inspected_on=today - dt.timedelta(days=5), findings="x",
                              fix_by=today - dt.timedelta(days=2))
    line_work = Work.objects.prefetch_related("plans", "progress", "inspections").get(
        pk=line_work.pk)
    f = work_figures(line_work, as_of=today)
    assert (f.open_findings, f.overdue_findings) == (1, 1)
    assert work_figures(line_work, as_of=today - dt.timedelta(days=3)).overdue_findings == 0
    services.inspection_fix(actor=users["staff"], inspection=i, fixed_on=today)
    line_work = Work.objects.prefetch_related("plans", "progress", "inspections").get(
        pk=line_work.pk)
    assert work_figures(line_work, as_of=today).open_findings == 0
    assert work_figures(line_work, as_of=today - dt.timedelta(days=1)).open_findings == 1
