"""The enquiry form (no account needed) and the zone office's inbox. Thin: form, service,
render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona.accounts.throttle import client_address
from promzona.core.errors import InputError, PromzonaError, RateLimited
from promzona.core.numbers import whole_number
from promzona.matching.forms import MatchForm
from promzona.outbox.services import absolute_link
from promzona.web.feedback import message_of, refused, too_many_requests
from promzona.zones.selectors import plots_visible_to

from . import selectors, services
from .forms import EnquiryForm, InboxFilter, MarkForm
from .models import Enquiry

PAGE_SIZE = 50


def _initial(request) -> dict:
    """Whom to write to and about what, from ``?contact=ID``, ``?plot=ID`` or ``?zone=SLUG``;
    ``?search=`` carries the query of the search the visitor comes from."""
    initial = {"token": services.form_token(now=timezone.now()),
               "search": request.GET.get("search", "")[:2000]}
    plot = plots_visible_to(request.user).filter(
        pk=whole_number(request.GET.get("plot", "")) or 0).first()
    if plot is not None:
        initial["plot"] = plot.pk
    contact = selectors.enquiry_contacts().filter(
        pk=whole_number(request.GET.get("contact", "")) or 0).first()
    zone_slug = plot.zone.slug if plot else request.GET.get("zone", "")[:50]
    if contact is None and zone_slug:
        contact = selectors.enquiry_contacts().filter(zone__slug=zone_slug).first()
    if contact is not None:
        initial["to"] = f"c{contact.pk}"
    elif zone_slug:
        initial["to"] = f"z{zone_slug}"
    return initial


@require_http_methods(["GET", "POST"])
def enquiry_new(request):
    """Ask the zone office: anyone, logged in or not, from any country."""
    user = request.user
    if request.method == "GET":
        form = EnquiryForm(initial=_initial(request), user=user)
        return render(request, "enquiries/new.html", {"form": form})
    form = EnquiryForm(request.POST, user=user)
    status = 400
    if form.is_valid():
        try:
            services.enquiry_submit(
                actor=user, enquiry=form.enquiry(address=client_address(request)),
                token=form.cleaned_data["token"], honeypot=form.cleaned_data["website"],
                now=timezone.now(),
                link=lambda e: absolute_link(reverse("enquiries:detail", args=[e.pk])))
        except RateLimited as exc:
            return too_many_requests(request, message_of(exc), retry_after=exc.retry_after)
        except InputError as exc:
            visible = exc.field in form.fields and not form.fields[exc.field].widget.is_hidden
            form.add_error(exc.field if visible and exc.field != "website" else None, message_of(exc))
        else:
            return render(request, "enquiries/sent.html", {})
    data = request.POST.copy()  # what was typed, with a fresh token to send it again
    data["token"] = services.form_token(now=timezone.now())
    form.data = data
    return render(request, "enquiries/new.html", {"form": form}, status=status)


@login_required
@require_GET
def inbox(request):
    """The zone office's enquiries, newest first, by status."""
    if not selectors.reads_enquiries(request.user):
        raise PermissionDenied
    qs = selectors.enquiries_visible_to(request.user)
    filters = InboxFilter(request.GET or None)
    if filters.is_valid() and filters.cleaned_data["status"]:
        qs = qs.filter(status=filters.cleaned_data["status"])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "enquiries/inbox.html", {
        "page": page, "filters": filters, "query": query.urlencode(),
        "new_count": selectors.enquiries_visible_to(request.user)
        .filter(status=Enquiry.Status.NEW).count()})


def _get(request, pk) -> Enquiry:
    if not selectors.reads_enquiries(request.user):
        raise PermissionDenied
    enquiry = selectors.enquiries_visible_to(request.user).filter(pk=pk).first()
    if enquiry is None:
        raise Http404
    return enquiry


@login_required
@require_GET
def detail(request, pk: int):
    enquiry = _get(request, pk)
    search = MatchForm.initial_from(enquiry.match_request) if enquiry.match_request else {}
    return render(request, "enquiries/detail.html", {
        "e": enquiry, "search_query": urlencode(search), "form": MarkForm(),
        "acts": bool(request.user.is_zone_staff),
        "others": selectors.enquiries_visible_to(request.user)
        .filter(email__iexact=enquiry.email).exclude(pk=enquiry.pk)[:10]})


@login_required
@require_POST
def mark(request, pk: int, status: str):
    enquiry = _get(request, pk)
    if status not in Enquiry.Status.values:
        raise Http404
    form = MarkForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else None
    try:
        if note is None:
            raise InputError(_("A note is text of at most 2,000 characters."), field="note")
        services.enquiry_mark(actor=request.user, enquiry=enquiry, status=status, note=note,
                              now=timezone.now())
        messages.success(request, _("Marked: %(status)s.") % {
            "status": Enquiry.Status(status).label})
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("enquiries:detail", pk=enquiry.pk)
