"""Drafts from the zone's events: the press office's first version, never published by itself.

The entry point for every app is :func:`article_draft_from_event`::

    from promzona.news.events import article_draft_from_event
    article_draft_from_event(event="work.accepted", obj=work, now=now, actor=actor,
                             facts={"name": work.name, "contractor": work.contractor})

called inside the service's transaction, after the change it reports. It writes one draft per
(event, object) in Russian, Kazakh and English from the templates below, linked to the object,
and returns it; a second call for the same event and object returns the first draft and writes
nothing. ``facts`` fills the template's placeholders; values may be plain or per language
(``{"ru": ..., "kk": ..., "en": ...}``). Placeholders a template needs and nobody gave read "—".
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from django.db import IntegrityError, models, transaction

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record, snapshot
from promzona.core import formats, richtext

from .models import LANGS, Article, Rubric
from .services import links_set, unique_slug

RUBRICS = {  # slug: (ru, kk, en)
    "investors": ("Инвесторам", "Инвесторларға", "For investors"),
    "infrastructure": ("Инфраструктура", "Инфрақұрылым", "Infrastructure"),
    "governance": ("Власть и решения", "Билік және шешімдер", "Decisions"),
}

# event code: rubric and, per language, title / lead / body (body paragraphs are HTML).
TEMPLATES: dict[str, dict[str, Any]] = {
    "plot.published": {
        "rubric": "investors",
        "ru": ("Инвесторам предложен участок {code} площадью {area} га",
               "{zone}: участок {code} открыт для заявок инвесторов.",
               "<p>Участок {code} ({name}) площадью {area} га теперь предлагается инвесторам. "
               "Зона: {zone}. "
               "Аренда: {lease} тенге за гектар в год.</p><p>Паспорт участка с "
               "коммуникациями, условиями и стоимостью подключения — на портале промзоны.</p>"),
        "kk": ("Инвесторларға ауданы {area} га {code} учаскесі ұсынылды",
               "{zone}: {code} учаскесі инвесторлардың өтінімдеріне ашық.",
               "<p>Ауданы {area} га {code} учаскесі ({name}) енді инвесторларға ұсынылады. "
               "Аймақ: {zone}. Жалдау: жылына гектарына {lease} теңге.</p><p>Учаскенің "
               "коммуникациялары, шарттары және қосылу құны көрсетілген паспорты — аймақ "
               "порталында.</p>"),
        "en": ("Plot {code} of {area} ha offered to investors",
               "{zone}: plot {code} is open to investors' applications.",
               "<p>Plot {code} ({name}), {area} ha, is now offered to investors. Zone: {zone}. "
               "Lease: {lease} tenge per hectare per year.</p><p>The plot's passport with its "
               "utilities, conditions and connection costs is on the zone's portal.</p>"),
    },
    "application.approved": {
        "rubric": "investors",
        "ru": ("{organisation} реализует проект «{project}» в промзоне",
               "Заявка одобрена: {investment} тенге инвестиций и {jobs} рабочих мест.",
               "<p>Зона одобрила заявку {organisation} на проект «{project}» (отрасль "
               "{sector}). Участок: {plot}. Планируемые инвестиции — {investment} тенге, рабочих "
               "мест — {jobs}.</p>"),
        "kk": ("{organisation} аймақта «{project}» жобасын жүзеге асырады",
               "Өтінім мақұлданды: {investment} теңге инвестиция және {jobs} жұмыс орны.",
               "<p>Аймақ {organisation} ұйымының «{project}» жобасына өтінімін мақұлдады (сала "
               "{sector}). Учаске: {plot}. Жоспарланған инвестиция — {investment} теңге, жұмыс "
               "орындары — {jobs}.</p>"),
        "en": ("{organisation} to build “{project}” in the zone",
               "Application approved: {investment} tenge of investment and {jobs} jobs.",
               "<p>The zone approved {organisation}'s application for “{project}” (sector "
               "{sector}). Plot: {plot}. Planned investment: {investment} tenge; jobs: "
               "{jobs}.</p>"),
    },
    "work.accepted": {
        "rubric": "infrastructure",
        "ru": ("Работы приняты: {name}",
               "Завершённые работы «{name}» приняты комиссией.",
               "<p>Работы «{name}» завершены и приняты. Подрядчик: {contractor}.</p><p>Новые "
               "сети и мощности уже учтены в паспортах участков промзоны.</p>"),
        "kk": ("Жұмыстар қабылданды: {name}",
               "Аяқталған «{name}» жұмыстарын комиссия қабылдады.",
               "<p>«{name}» жұмыстары аяқталып, қабылданды. Мердігер: {contractor}.</p><p>Жаңа "
               "желілер мен қуаттар аймақ учаскелерінің паспорттарында ескерілді.</p>"),
        "en": ("Works accepted: {name}",
               "The completed works “{name}” have been accepted.",
               "<p>The works “{name}” are complete and accepted. Contractor: {contractor}.</p>"
               "<p>The new networks and capacity already show in the zone's plot passports.</p>"),
    },
    "instruction.accepted": {
        "rubric": "governance",
        "ru": ("Поручение выполнено: {title}",
               "Исполнение поручения {number} принято.",
               "<p>Поручение {number} «{title}» исполнено; исполнение принято контролем. "
               "Исполнитель: {executor}.</p>"),
        "kk": ("Тапсырма орындалды: {title}",
               "{number} тапсырмасының орындалуы қабылданды.",
               "<p>{number} «{title}» тапсырмасы орындалды; орындалуы бақылаумен қабылданды. "
               "Орындаушы: {executor}.</p>"),
        "en": ("Instruction carried out: {title}",
               "Instruction {number} has been carried out and accepted.",
               "<p>Instruction {number} “{title}” has been carried out and its execution "
               "accepted. Executor: {executor}.</p>"),
    },
}


class _Facts(dict):
    """Missing placeholders read as a dash instead of failing the draft."""

    def __missing__(self, key: str) -> str:
        return "—"


def _facts(event: str, obj: models.Model, lang: str) -> dict[str, Any]:
    """What the zone's own models say about ``obj`` for the event's template."""
    if event == "plot.published":
        return {"code": obj.code, "name": obj.translated("name", lang) or obj.code,
                "zone": obj.zone.translated("name", lang),
                "area": formats.number(obj.declared_area_ha, lang, digits=2, trim=True),
                "lease": formats.number(obj.lease_price_kzt_ha_year, lang)}
    if event == "application.approved":
        allocated = obj.reservations.filter(status="allocated").select_related("plot").first()
        return {"organisation": obj.organisation.name, "project": obj.project_name,
                "sector": f"{obj.sector.code} {obj.sector.translated('name', lang)}",
                "investment": formats.number(obj.investment_kzt, lang), "jobs": obj.jobs_planned,
                "plot": allocated.plot.code if allocated else "—"}
    generic = {"name": str(obj), "title": str(obj)}
    for attr in ("name", "title", "number", "contractor", "executor"):
        value = getattr(obj, attr, None)
        if value not in (None, "") and not callable(value):
            generic[attr] = str(value)
    return generic


def _about(event: str, obj: models.Model) -> list[models.Model]:
    if event == "plot.published":
        return [obj, obj.zone]
    if event == "application.approved":
        plots = [r.plot for r in obj.reservations.filter(status="allocated").select_related("plot")]
        return plots + [p.zone for p in plots][:1]
    return [obj]


@transaction.atomic
def rubric_for(*, slug: str, actor: Actor = None, now: dt.datetime | None = None) -> Rubric:
    """The rubric ``slug`` of :data:`RUBRICS`, created (and audited) the first time it is used."""
    ru, kk, en = RUBRICS[slug]
    rubric, created = Rubric.objects.get_or_create(
        slug=slug, defaults={"name_ru": ru, "name_kk": kk, "name_en": en,
                             "position": list(RUBRICS).index(slug) + 10})
    if created:
        audit_record(actor=actor, action="rubric.created", obj=rubric, after=snapshot(rubric),
                     now=now)
    return rubric


def _fill(template: str, facts: dict[str, Any], *, markup: bool) -> str:
    escape = html.escape if markup else str
    return template.format_map(_Facts({k: escape(str(v)) for k, v in facts.items()}))


@transaction.atomic
def article_draft_from_event(*, event: str, obj: models.Model, now: dt.datetime, actor: Actor = None,
                             facts: dict[str, Any] | None = None) -> Article:
    """The draft article about ``event`` on ``obj``: written once, then returned as it is.

    The draft is never published here: an editor checks, edits and publishes it (or discards
    it). Raises ``KeyError`` for an event without a template (a programming error).
    """
    template = TEMPLATES[event]
    key = {"event_code": event, "event_object_type": obj._meta.label_lower,
           "event_object_id": str(obj.pk)}
    existing = Article.objects.filter(**key).first()
    if existing is not None:
        return existing
    article = Article(status=Article.Status.DRAFT,
                      rubric=rubric_for(slug=template["rubric"], actor=actor, now=now),
                      created_at=now, updated_at=now, **key)
    for lang in LANGS:
        given = {k: (v.get(lang, v.get("ru", "—")) if isinstance(v, dict) else v)
                 for k, v in (facts or {}).items()}
        values = {**_facts(event, obj, lang), **given}
        title, lead, body = template[lang]
        setattr(article, f"title_{lang}", richtext.plain(_fill(title, values, markup=False))[:200])
        setattr(article, f"lead_{lang}", richtext.plain(_fill(lead, values, markup=False)))
        setattr(article, f"body_{lang}", richtext.sanitise_html(_fill(body, values, markup=True)))
    article.slug = unique_slug(Article(slug=f"{article.title_en[:50]} {event} {obj.pk}"))
    article.search_text = richtext.search_key(
        *(getattr(article, f"{f}_{lang}") for f in ("title", "lead") for lang in LANGS))
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:  # drafted meanwhile by a concurrent call for the same event
        return Article.objects.get(**key)
    links_set(article=article, objects=_about(event, obj))
    audit_record(actor=actor, action="article.drafted", obj=article, now=now,
                 after={"event": event, "object": f"{key['event_object_type']}:{obj.pk}"})
    return article
