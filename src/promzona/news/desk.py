"""The newsroom's pages: articles (the three languages side by side), their status, and the
comment moderation queue. Editors and zone office staff only."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona.accounts.decorators import role_required
from promzona.accounts.models import Role
from promzona.core.errors import PromzonaError
from promzona.web.feedback import form_refused, message_of

from . import comments, selectors, services
from .forms import LANG_LABELS, ArticleForm, ModerationFilter, StatusForm
from .models import LANGS, Article, BannedAddress, Comment

newsroom = role_required(Role.EDITOR, Role.STAFF)


def _article(pk: int) -> Article:
    item = Article.objects.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@newsroom
@require_GET
def desk(request):
    status = request.GET.get("status") or None
    if status not in (None, *Article.Status.values):
        status = None
    counts = dict(Article.objects.values_list("status").annotate(n=Count("id")))
    page = Paginator(selectors.desk_articles(status), 50).get_page(request.GET.get("page"))
    return render(request, "news/desk/list.html", {
        "page": page, "status": status, "query": f"status={status}" if status else "",
        "statuses": [(s, label, counts.get(s, 0)) for s, label in Article.Status.choices],
        "pending": Comment.objects.filter(status=Comment.Status.PENDING).count(),
        "now": timezone.now()})


@newsroom
@require_http_methods(["GET", "POST"])
def edit(request, pk: int | None = None):
    item = _article(pk) if pk is not None else None
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES, article=item, user=request.user)
        if form.is_valid():
            try:
                item = services.article_save(actor=request.user, article=item,
                                             now=timezone.now(), **form.service_args())
            except PromzonaError as exc:
                form_refused(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("news:desk-edit", pk=item.pk)
        status = 400
    else:
        form = ArticleForm(initial=ArticleForm.initial_from(item) if item else {"comments_open": True},
                           article=item, user=request.user)
        status = 200
    return render(request, "news/desk/edit.html", {
        "form": form, "article": item, "langs": [(lang, LANG_LABELS[lang]) for lang in LANGS],
        "status_form": StatusForm(), "transitions": _transitions(item),
        "versions": [(lang, item.has_language(lang)) for lang in LANGS] if item else [],
    }, status=status)


def _transitions(item: Article | None) -> list[tuple[str, str]]:
    if item is None:
        return []
    labels = {Article.Status.REVIEW: _("Send for review"), Article.Status.DRAFT: _("Back to draft"),
              Article.Status.PUBLISHED: _("Publish"), Article.Status.UNPUBLISHED: _("Unpublish")}
    return [(to, labels[to]) for (frm, to) in sorted(services.TRANSITIONS) if frm == item.status]


@newsroom
@require_POST
def status(request, pk: int):
    item = _article(pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status or a publication time that is not a date "
                                  "and time."))
        return redirect("news:desk-edit", pk=item.pk)
    try:
        services.article_set_status(actor=request.user, article=item, now=timezone.now(),
                                    status=form.cleaned_data["status"],
                                    publish_at=form.cleaned_data["publish_at"])
    except PromzonaError as exc:
        messages.error(request, message_of(exc))
    else:
        messages.success(request, _("The article is now: %(status)s.") % {
            "status": item.get_status_display()})
    return redirect("news:desk-edit", pk=item.pk)


@newsroom
@require_POST
def discard(request, pk: int):
    item = _article(pk)
    try:
        services.article_discard(actor=request.user, article=item, now=timezone.now())
    except PromzonaError as exc:
        messages.error(request, message_of(exc))
        return redirect("news:desk-edit", pk=item.pk)
    messages.success(request, _("The draft was discarded."))
    return redirect("news:desk")


@newsroom
@require_GET
def moderation(request):
    form = ModerationFilter(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() and form.cleaned_data["status"] \
        else Comment.Status.PENDING
    page = Paginator(selectors.moderation_queue(status), 50).get_page(request.GET.get("page"))
    return render(request, "news/desk/comments.html", {
        "page": page, "status": status, "statuses": Comment.Status.choices,
        "query": f"status={status}",
        "banned": set(BannedAddress.objects.filter(
            address__in=[c.address for c in page if c.address]).values_list("address", flat=True)),
    })


@newsroom
@require_POST
def moderate(request, pk: int, action: str):
    comment = Comment.objects.filter(pk=pk).first()
    if comment is None or action not in ("approve", "reject", "ban"):
        raise Http404
    now = timezone.now()
    try:
        if action == "ban":
            n = comments.address_ban(actor=request.user, address=comment.address, now=now)
            messages.success(request, _("Address banned; %(n)s waiting comments rejected.") % {"n": n})
        else:
            comments.comment_moderate(actor=request.user, comment=comment, decision=action, now=now)
            messages.success(request, _("Comment: %(status)s.") % {"status": comment.get_status_display()})
    except PromzonaError as exc:
        messages.error(request, message_of(exc))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith(reverse("news:moderation")) else "news:moderation")
