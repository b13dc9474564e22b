"""Public news pages. Thin: parse input, call a selector or service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from promzona.accounts.throttle import client_address
from promzona.core.errors import InputError, NotFound, PromzonaError
from promzona.web import pagecache
from promzona.web.feedback import message_of
from promzona.web.templatetags.portal import translated

from . import comments, selectors
from .forms import CommentForm, SearchForm
from .models import Article

PAGE_SIZE = 12


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request, template: str, context: dict) -> str:
    return mark_safe(render_to_string(template, context, request=request))  # noqa: S308 - ours


def _common(request, now) -> dict:
    return {"feed_html": _render(request, "news/_feed_column.html", {
        "feed_column": selectors.feed_column(now), "search_form": SearchForm()})}


@require_GET
def index(request):
    """The front page; anonymous readers get it from the page cache (:mod:`pagecache`), as
    they do the rubric, tag and article pages."""

    def page():
        now = timezone.now()
        front = selectors.front_page(now)
        latest = selectors.articles_public(now).exclude(pk=getattr(front["lead"], "pk", None))
        return render(request, "news/index.html", {
            **_common(request, now), **front, "page": _page(request, latest)})

    return pagecache.serve(request, page, params=("page",))


@require_GET
def rubric(request, slug: str):
    def page():
        now = timezone.now()
        item = selectors.rubric_get(slug)
        return render(request, "news/list.html", {
            **_common(request, now), "heading": item.name, "rubric": item,
            "heading_html": translated(item, "name"),
            "page": _page(request, selectors.articles_public(now).filter(rubric=item))})

    return pagecache.serve(request, page, params=("page",))


@require_GET
def tag(request, slug: str):
    def page():
        now = timezone.now()
        item = selectors.tag_get(slug)
        return render(request, "news/list.html", {
            **_common(request, now), "heading": _("Tag: %(tag)s") % {"tag": item.name},
            # noqa below: both parts are escaped (the pattern here, the name by translated()).
            "heading_html": mark_safe(conditional_escape(_("Tag: %(tag)s"))  # noqa: S308
                                      % {"tag": translated(item, "name")}),
            "page": _page(request, selectors.articles_public(now).filter(tags=item))})

    return pagecache.serve(request, page, params=("page",))


@require_GET
def search(request):
    now = timezone.now()
    form = SearchForm(request.GET)
    query = request.GET.get("q", "")
    try:
        results = selectors.search(query, now=now)
    except InputError as exc:
        return render(request, "news/list.html", {
            **_common(request, now), "heading": _("Search"), "search_form": form, "error": message_of(exc),
            "page": None}, status=400)
    return render(request, "news/list.html", {
        **_common(request, now), "heading": _("Search"), "search_form": form,
        "page": _page(request, results), "query": urlencode({"q": query[:100]})})


def _share_links(url: str, title: str) -> list[tuple[str, str]]:
    return [
        ("Telegram", "https://t.me/share/url?" + urlencode({"url": url, "text": title})),
        ("WhatsApp", "https://wa.me/?" + urlencode({"text": f"{title} {url}"})),
        ("VK", "https://vk.com/share.php?" + urlencode({"url": url, "title": title})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("X", "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title})),
        (_("Email"), "mailto:?" + urlencode({"subject": title, "body": url})),
    ]


#: The comment form's fill-time token, signed for each reader (see :mod:`pagecache`).
FORM_TOKEN = pagecache.mark("comment-form-token")


def _article_page(request, slug: str, *, form: CommentForm | None = None,
                  error: str | None = None, status: int = 200):
    """The article; anonymous readers get it from the page cache, with the comment form's
    CSRF and fill-time tokens filled in for each of them."""

    def page():
        now = timezone.now()
        article = selectors.article_get(user=request.user, slug=slug, now=now)
        version = article.version(get_language())
        url = request.build_absolute_uri(reverse("news:article", args=[article.slug]))
        return render(request, "news/article.html", {
            **_common(request, now), "article": article, "v": version, "url": url,
            "is_public": selectors.is_public(article, now=now), "comment_error": error,
            "form": form or CommentForm(initial={"token": FORM_TOKEN}),
            "tags": list(article.tags.all()),
            "about": selectors.links_of(article, request.user),
            "related": selectors.related(article, now=now),
            "comments": list(selectors.approved_comments(article)),
            "share": _share_links(url, version.title),
            "photo_url": request.build_absolute_uri(article.photo_path()) if article.photo else "",
        }, status=status)

    def form_token():
        pk = Article.objects.filter(slug=slug).values_list("pk", flat=True).first()
        return comments.form_token(article=Article(pk=pk), now=timezone.now())

    return pagecache.serve(request, page, fill={FORM_TOKEN: form_token})


@require_GET
def article(request, slug: str):
    return _article_page(request, slug)


@require_POST
def comment(request, slug: str):
    """Post a comment (no JavaScript needed); it waits for moderation."""
    now = timezone.now()
    item = selectors.article_get(user=None, slug=slug, now=now)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _article_page(request, item.slug, form=form, status=400)
    d = form.cleaned_data
    try:
        comments.comment_post(article=item, name=d["name"], email=d["email"], text=d["text"],
                              honeypot=d["website"], token=d["token"],
                              address=client_address(request), now=now)
    except PromzonaError as exc:
        if isinstance(exc, NotFound):
            raise
        # A fresh token, so that a reader refused for being too fast can simply send again.
        data = request.POST.copy()
        data["token"] = comments.form_token(article=item, now=now)
        return _article_page(request, item.slug, form=CommentForm(data),
                             error=message_of(exc), status=exc.http_status)
    messages.success(request, _("Thank you. Your comment is awaiting moderation; it appears "
                                "once the newsroom approves it."))
    return redirect(reverse("news:article", args=[item.slug]) + "#comments")


@require_GET
def photo(request, pk: int, name: str):
    """An article's photo (``name`` is the stored file's: a new photo gets a new address, so
    the response may be cached for good)."""
    item = Article.objects.filter(pk=pk).first()
    if item is None or not (selectors.is_public(item, now=timezone.now())
                            or selectors.writes_news(request.user)):
        raise Http404
    stored = {f.name.rsplit("/", 1)[-1]: f.name for f in (item.photo, item.photo_thumb) if f}
    if name not in stored or not default_storage.exists(stored[name]):
        raise Http404
    response = FileResponse(default_storage.open(stored[name], "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=31536000, immutable" \
        if selectors.is_public(item, now=timezone.now()) else "private, no-store"
    return response
