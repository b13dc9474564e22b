"""Forms of the news pages: the reader's comment, search, and the newsroom's article editor
(Russian, Kazakh and English side by side)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from promzona.core.images import MAX_UPLOAD_BYTES
from promzona.core.richtext import ALLOWED_TAGS
from promzona.instructions.models import Instruction
from promzona.instructions.selectors import instructions_visible_to
from promzona.works.models import Work
from promzona.works.selectors import works_visible_to
from promzona.zones.forms import TranslatedChoiceField, WrittenSelectMultiple, ZoneChoiceField
from promzona.zones.models import Plot, Zone

from .models import LANGS, Article, Comment, Rubric

LANG_LABELS = {"ru": _("Russian"), "kk": _("Kazakh"), "en": _("English")}
#: Per-language fields, shown as rows of three columns.
VERSION_FIELDS = ("title", "lead", "body", "place", "photo_alt")


class CommentForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=80)
    email = forms.EmailField(label=_("Email (optional, never shown)"), required=False,
                             max_length=254)
    text = forms.CharField(label=_("Comment"), max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    # The honeypot: hidden from people by the stylesheet, filled in by robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
    token = forms.CharField(widget=forms.HiddenInput, max_length=500)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the news"), max_length=100, required=False)


class ArticleForm(forms.Form):
    rubric = TranslatedChoiceField(label=_("Rubric"), queryset=Rubric.objects.all())
    byline = forms.CharField(label=_("Author (byline)"), max_length=150, required=False)
    slug = forms.CharField(label=_("Address"), max_length=90, required=False,
                           help_text=_("Latin letters, digits and hyphens; made from the title "
                                       "when empty."))
    tags = forms.CharField(label=_("Tags"), max_length=600, required=False,
                           help_text=_("Separated by commas."))
    photo = forms.FileField(label=_("Photo"), required=False,
                            help_text=_("JPEG, PNG or WebP up to 10 MB; it is resized and its "
                                        "metadata (camera, GPS position) removed."))
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    photo_credit = forms.CharField(label=_("Photo credit"), max_length=200, required=False)
    source_url = forms.URLField(label=_("Source link"), max_length=500, required=False,
                                assume_scheme="https")
    source_label = forms.CharField(label=_("Source"), max_length=200, required=False)
    comments_open = forms.BooleanField(label=_("Comments open"), required=False, initial=True)
    related = forms.ModelMultipleChoiceField(
        label=_("Related articles"), required=False, queryset=Article.objects.none(),
        widget=WrittenSelectMultiple,
        help_text=_("Chosen by the editor; otherwise articles sharing tags, then the rubric."))
    zone = ZoneChoiceField(label=_("About the zone"), queryset=Zone.objects.all(), required=False)
    plots = forms.CharField(label=_("About the plots"), max_length=500, required=False,
                            help_text=_("Plot codes, separated by commas."))
    works = forms.ModelMultipleChoiceField(
        label=_("About the works"), required=False, queryset=Work.objects.none(),
        widget=WrittenSelectMultiple, help_text=_("Those you may open."))
    instructions = forms.ModelMultipleChoiceField(
        label=_("About the instructions"), required=False, queryset=Instruction.objects.none(),
        widget=WrittenSelectMultiple, help_text=_("Those you may open."))

    def __init__(self, *args, article: Article | None = None, user: Any = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        # Only what the writer may open; links to the others are kept as they are.
        self.fields["works"].queryset = Work.objects.filter(
            pk__in=works_visible_to(user).values("pk")).order_by("-id")
        self.fields["instructions"].queryset = Instruction.objects.filter(
            pk__in=instructions_visible_to(user).values("pk")).order_by("-id")
        self.fields["related"].queryset = Article.objects.exclude(
            pk=getattr(article, "pk", None)).filter(status=Article.Status.PUBLISHED)
        for name in VERSION_FIELDS:
            model_field = Article._meta.get_field(f"{name}_ru")
            for lang in LANGS:
                widget = forms.Textarea(attrs={"rows": 14 if name == "body" else 3}) \
                    if name in ("lead", "body") else forms.TextInput
                self.fields[f"{name}_{lang}"] = forms.CharField(
                    label=f"{model_field.verbose_name.split(' (')[0].capitalize()} "
                          f"({LANG_LABELS[lang]})",
                    required=name == "title" and lang == "ru",
                    max_length=model_field.max_length, widget=widget, strip=True)
        tags = format_html_join(", ", "<code>{}</code>", ((t,) for t in sorted(ALLOWED_TAGS)))
        self.fields["body_ru"].help_text = mark_safe(  # noqa: S308 - escaped text, our markup
            conditional_escape(_("Allowed tags: %(tags)s.")) % {"tags": tags})

    def rows(self):
        """Per field, the three language versions, for the side-by-side layout."""
        return [[self[f"{name}_{lang}"] for lang in LANGS] for name in VERSION_FIELDS]

    def common(self):
        """The fields shared by the three languages."""
        return [self[n] for n in self.fields if not n.endswith(tuple(f"_{lang}" for lang in LANGS))]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The photo is larger than 10 MB."))
        return photo

    def clean_plots(self):
        codes = [c.strip() for c in self.cleaned_data["plots"].split(",") if c.strip()]
        plots = list(Plot.objects.filter(code__in=codes).select_related("zone"))
        unknown = sorted(set(codes) - {p.code for p in plots})
        if unknown:
            raise forms.ValidationError(_("Unknown plots: %(codes)s") % {
                "codes": ", ".join(unknown)[:200]})
        return plots

    def service_args(self) -> dict:
        d = self.cleaned_data
        fields = {f"{name}_{lang}": d[f"{name}_{lang}"] for name in VERSION_FIELDS for lang in LANGS}
        fields.update({k: d[k] for k in ("rubric", "byline", "slug", "photo_credit", "source_url",
                                         "source_label", "comments_open")})
        photo = d.get("photo")
        return {
            "fields": fields,
            "tags": [t for t in d["tags"].split(",") if t.strip()],
            "related": list(d["related"]),
            "about": [*d["plots"], *([d["zone"]] if d["zone"] else []), *d["works"],
                      *d["instructions"], *self._kept_links()],
            "photo": photo.read() if photo else None,
            "remove_photo": d["remove_photo"],
        }

    def _kept_links(self) -> list[models.Model]:
        """What the article is about that this form does not offer (a work or instruction the
        writer may not open, anything else an event linked): kept, unless since deleted."""
        if self.article is None:
            return []
        offered = {Work: self.fields["works"].queryset,
                   Instruction: self.fields["instructions"].queryset}
        links = self.article.links.select_related("content_type").exclude(
            content_type__in=ContentType.objects.get_for_models(Plot, Zone).values())
        kept = []
        for obj in (link.target() for link in links):
            if obj is not None and not (type(obj) in offered
                                        and offered[type(obj)].filter(pk=obj.pk).exists()):
                kept.append(obj)
        return kept

    @classmethod
    def initial_from(cls, article: Article) -> dict:
        initial = {f"{name}_{lang}": getattr(article, f"{name}_{lang}")
                   for name in VERSION_FIELDS for lang in LANGS}
        initial.update({k: getattr(article, k) for k in (
            "byline", "slug", "photo_credit", "source_url", "source_label", "comments_open")})
        initial["rubric"] = article.rubric_id
        initial["tags"] = ", ".join(t.name_ru for t in article.tags.all())
        initial["related"] = list(article.related.values_list("pk", flat=True))
        plots = Plot.objects.filter(pk__in=_linked_ids(article, Plot))
        initial["plots"] = ", ".join(p.code for p in plots)
        initial["zone"] = next(iter(_linked_ids(article, Zone)), None)
        initial["works"] = _linked_ids(article, Work)
        initial["instructions"] = _linked_ids(article, Instruction)
        return initial


def _linked_ids(article: Article, model) -> list[str]:
    ct = ContentType.objects.get_for_model(model)
    return list(article.links.filter(content_type=ct).values_list("object_id", flat=True))


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Article.Status.choices)
    publish_at = forms.DateTimeField(
        label=_("Publish at (empty: now)"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class ModerationFilter(forms.Form):
    status = forms.ChoiceField(choices=Comment.Status.choices, required=False)
