"""Drafts from the zone's events: one per event and object, in three languages, never
published by themselves."""

from __future__ import annotations

from decimal import Decimal

import pytest

from promzona.applications import services as app_services
from promzona.news import selectors
from promzona.news.events import TEMPLATES, article_draft_from_event
from promzona.news.models import Article, ArticleLink
from promzona.zones import services as zone_services
from promzona.zones.models import Plot, UtilityLine


def _drafts(obj, event):
    return Article.objects.filter(event_code=event, event_object_type=obj._meta.label_lower,
                                  event_object_id=str(obj.pk))


def test_the_demo_plots_on_offer_have_drafts_and_none_is_published(demo, now):
    # Reserved and allocated demo plots were put on offer first; occupied ones never were.
    offered = Plot.objects.filter(zone=demo, status__in=["published", "reserved", "allocated"])
    drafted = Article.objects.filter(event_code="plot.published")
    assert sorted(drafted.values_list("event_object_id", flat=True)) == sorted(
        str(pk) for pk in offered.values_list("pk", flat=True))
    assert set(drafted.values_list("status", flat=True)) == {"draft"}
    assert not selectors.articles_public(now).filter(event_code__gt="").exists()


def test_a_second_call_for_the_same_event_writes_nothing(demo, now):
    plot = Plot.objects.filter(zone=demo, status="published").first()
    first = article_draft_from_event(event="plot.published", obj=plot, now=now)
    again = article_draft_from_event(event="plot.published", obj=plot, now=now)
    assert first.pk == again.pk and _drafts(plot, "plot.published").count() == 1


def test_publishing_a_draft_plot_drafts_one_article_with_its_facts(demo, staff_user, now):
    plot = Plot.objects.filter(zone=demo, status="draft").first()
    assert not _drafts(plot, "plot.published").exists()
    plot.status = "published"
    zone_services.feature_save(actor=staff_user, obj=plot, now=now)
    zone_services.feature_save(actor=staff_user, obj=plot, now=now)  # saved again: no second
    draft = _drafts(plot, "plot.published").get()
    assert draft.status == "draft"
    for lang in ("ru", "kk", "en"):
        assert plot.code in getattr(draft, f"title_{lang}") + getattr(draft, f"lead_{lang}")
        assert draft.has_language(lang)
    assert "га" in draft.title_ru and "ha" in draft.title_en
    linked = set(ArticleLink.objects.filter(article=draft).values_list("content_type__model",
                                                                       flat=True))
    assert linked == {"plot", "zone"}


def test_an_approved_application_drafts_its_article(demo, now):
    from promzona.accounts.models import User

    investor, staff = User.objects.get(username="demo-investor"), User.objects.get(username="demo-staff")
    plot = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    app = app_services.application_create(actor=investor, project_name="<b>Cathode</b> wire",
                                          sector="C25", investment_kzt=Decimal("2500000000"),
                                          jobs_planned=80, needs={"power_kw": 50})
    app_services.application_submit(actor=investor, application=app)
    app_services.plot_reserve(actor=staff, plot=plot, application=app)
    assert not _drafts(app, "application.approved").exists()
    app_services.application_approve(actor=staff, application=app)
    draft = _drafts(app, "application.approved").get()
    assert draft.status == "draft" and "&lt;b&gt;Cathode&lt;/b&gt;" in draft.body_en
    assert plot.code in draft.body_ru and "2 500 000 000" in draft.lead_ru.replace("\xa0", " ")
    assert "2,500,000,000" in draft.lead_en


@pytest.mark.parametrize("event", ["work.accepted", "instruction.accepted"])
def test_works_and_instructions_have_templates_filled_by_the_callers_facts(demo, now, event):
    # Stand-in object: the works and instructions apps call the same entry point with theirs.
    line = UtilityLine.objects.filter(zone=demo).first()
    facts = {"name": {"ru": "ЛЭП 10 кВ", "kk": "10 кВ ЭБЖ", "en": "10 kV line"},
             "contractor": "ТОО Подрядчик", "title": "Проложить сети", "number": "12-7",
             "executor": "Акимат"}
    draft = article_draft_from_event(event=event, obj=line, now=now, facts=facts)
    assert draft.status == "draft" and draft.rubric.slug == TEMPLATES[event]["rubric"]
    assert all(draft.has_language(lang) for lang in ("ru", "kk", "en"))
    if event == "work.accepted":
        assert "ЛЭП 10 кВ" in draft.title_ru and "10 kV line" in draft.title_en
        assert "ТОО Подрядчик" in draft.body_kk
    else:
        assert "12-7" in draft.lead_ru and "Проложить сети" in draft.title_en
    assert "—" not in draft.body_ru


def test_an_unknown_event_is_a_programming_error(demo, now):
    with pytest.raises(KeyError):
        article_draft_from_event(event="plot.painted", obj=demo, now=now)


@pytest.mark.django_db
def test_a_rubric_an_event_creates_is_audited_once(now):
    from promzona.audit.models import AuditEntry
    from promzona.news.events import RUBRICS, rubric_for

    slug = next(iter(RUBRICS))
    first = rubric_for(slug=slug, actor=None, now=now)
    assert rubric_for(slug=slug, actor=None, now=now) == first
    entries = AuditEntry.objects.filter(object_type="news.rubric", object_id=str(first.pk))
    assert list(entries.values_list("action", flat=True)) == ["rubric.created"]
    assert entries.get().after["slug"] == slug
