"""The match page (open to anonymous visitors), saving a search, the offer PDF."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona.core.errors import PromzonaError
from promzona.core.numbers import whole_number
from promzona.enquiries.forms import EnquiryForm
from promzona.enquiries.services import form_token as enquiry_form_token
from promzona.ratelimit import rate_limit_wait
from promzona.web.feedback import form_error_text, message_of, too_many_requests
from promzona.web.links import localised
from promzona.zones.models import Plot, Zone
from promzona.zones.selectors import can_see_unpublished, data_version

from . import present
from .answer import answer_json
from .forms import MatchForm, SaveSearchForm
from .models import Notice, SavedSearch
from .selectors import match_for
from .services import (
    enquiry_record,
    notices_mark_read,
    saved_search_create,
    saved_search_delete,
)

RESULTS_SHOWN = 20
EXCLUDED_SHOWN = 500
OFFER_CACHE_SECONDS = 600


@require_http_methods(["GET", "POST"])
def match_page(request):
    user = request.user
    saved = None
    if request.GET.get("saved") and user.is_authenticated:
        saved = get_object_or_404(SavedSearch, pk=whole_number(request.GET["saved"]) or 0,
                                  user=user)
        form = MatchForm(MatchForm.initial_from(saved.request))
        notices_mark_read(actor=user, url=localised(request.get_full_path(), settings.LANGUAGE_CODE),
                          now=timezone.now())
    elif "sector" in request.GET:
        form = MatchForm(request.GET)
    else:
        form = MatchForm(initial={"hazard_class": 5, "horizon_years": 10})
    if request.method == "POST":
        form = MatchForm(request.POST)
        save_form = SaveSearchForm(request.POST)
        if not user.is_authenticated:
            messages.error(request, _("Log in to save a search."))
        elif not save_form.is_valid():
            messages.error(request, _("Give the search a name of at most 200 characters."))
        elif form.is_valid():
            try:
                s = saved_search_create(actor=user, name=save_form.cleaned_data["name"],
                                        request=form.request_json())
            except PromzonaError as exc:
                messages.error(request, message_of(exc))
            else:
                messages.success(request, _("Search saved: you will be told of new plots."))
                return redirect(f"{request.path}?saved={s.pk}")
    answer, near, enquiry_form = None, [], None
    query = urlencode({k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}) \
        if form.is_bound else ""
    if form.is_bound and form.is_valid():
        today = timezone.localdate()
        outcome = match_for(user, form.match_request, today=today)
        enquiry_record(actor=user, request=form.match_request)
        answer = answer_json(outcome, limit=RESULTS_SHOWN, excluded_limit=EXCLUDED_SHOWN)
        answer["total"] = len(outcome.result_ids)
        answer["excluded_total"] = len(outcome.excluded_pos)
        present.cards(outcome, answer["results"], today=today)
        plots = Plot.objects.in_bulk([r["plot_id"] for r in answer["results"]] +
                                     [e["plot_id"] for e in answer["excluded"]])
        zones = Zone.objects.in_bulk()
        for r in answer["results"]:
            r["plot"] = plots[r["plot_id"]]
            r["zone"] = zones[r["zone_id"]]
        for e in answer["excluded"]:
            e["plot"] = plots[e["plot_id"]]
        near = present.near_miss_rows(outcome, form)
        if not answer["results"]:  # not a dead end: the zone office may know more
            enquiry_form = EnquiryForm(user=user, initial={
                "token": enquiry_form_token(now=timezone.now()), "search": query[:2000]})
    return render(request, "matching/match.html", {
        "form": form, "answer": answer, "query": query, "saved": saved, "near": near,
        "enquiry_form": enquiry_form, "save_form": SaveSearchForm(),
        "saved_searches": SavedSearch.objects.filter(user=user)
        if user.is_authenticated else [],
        "notices": Notice.objects.filter(user=user, read=False)[:10]
        if user.is_authenticated else [],
    })


@require_POST
@login_required
def saved_search_remove(request, pk: int):
    search = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    saved_search_delete(actor=request.user, search=search, now=timezone.now())
    messages.success(request, _("Saved search deleted."))
    return redirect("matching:match")


@require_GET
def offer_pdf(request):
    """The offer for the top plots of the request in the query string (or ``saved=ID``),
    in ``lang`` (ru, kk, en; default the page language).

    The same request (for the same audience, language, day and data) is answered from the
    cache with the same bytes; renders for anonymous callers are limited per address.
    """
    from .offer import offer_pdf_bytes

    data = request.GET
    saved = data.get("saved", "")
    if saved:
        saved_id = whole_number(saved)
        if not request.user.is_authenticated or saved_id is None:
            return render(request, "web/error.html", {"message": _("Unknown saved search.")},
                          status=400)
        search = get_object_or_404(SavedSearch, pk=saved_id, user=request.user)
        data = MatchForm.initial_from(search.request)
    form = MatchForm(data)
    if not form.is_valid():
        return render(request, "web/error.html", {"message": _(
            "The request is not valid: %(errors)s") % {"errors": form_error_text(form)[:500]}},
            status=400)
    lang = request.GET.get("lang")
    if lang not in {code for code, _name in settings.LANGUAGES}:
        lang = get_language() or settings.LANGUAGE_CODE
    today = timezone.localdate()
    key = "offer:" + hashlib.sha256(json.dumps(
        [form.request_json(), can_see_unpublished(request.user), lang, today.isoformat(),
         data_version()], sort_keys=True, default=str).encode()).hexdigest()
    pdf = caches["offers"].get(key)
    if pdf is None:
        wait = 0 if request.user.is_authenticated else rate_limit_wait(
            request, scope="offer", limit=settings.PROMZONA_OFFER_RATE[0],
            window=settings.PROMZONA_OFFER_RATE[1])
        if wait:
            return too_many_requests(request, _(
                "Too many offers requested from your address; try again in %(seconds)s "
                "seconds, or log in.") % {"seconds": wait}, retry_after=wait)
        outcome = match_for(request.user, form.match_request, today=today)
        pdf = offer_pdf_bytes(outcome, today=today, lang=lang)
        caches["offers"].set(key, pdf, OFFER_CACHE_SECONDS)
    resp = HttpResponse(pdf, content_type="application/pdf")
    resp["Content-Disposition"] = 'inline; filename="promzona-offer.pdf"'
    return resp
