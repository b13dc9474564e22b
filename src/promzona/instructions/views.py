"""Instruction pages: the inboxes, the card with its actions, the forms, the calendar feed.
Thin: parse a form, call a service, render. An instruction the user may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona.applications.files import MAX_ATTACHMENT_BYTES
from promzona.audit.selectors import audit_history
from promzona.core.errors import PromzonaError
from promzona.web.feedback import form_errors, form_refused, refused, uploads_over
from promzona.web.templatetags.portal import as_written

from . import calendar, links, selectors, services
from .forms import ActionForm, ExtendForm, FilterForm, InstructionForm, ReportForm
from .models import CalendarFeed, Extension, Instruction, ReportAttachment

PAGE_SIZE = 50
#: action -> (service, the form field it needs, whether the user must tick "I confirm")
ACTIONS = {
    "start": ("instruction_start", None, False),
    "accept": ("instruction_accept", "comment", True),
    "return": ("instruction_return", "comment", False),
    "remove": ("instruction_remove", "reason", True),
    "grant": ("instruction_extension_decide", "comment", False),
    "refuse": ("instruction_extension_decide", "comment", True),
}


def _user_may_use(request) -> None:
    if not selectors.may_use(request.user):
        raise PermissionDenied


def _get(request, pk) -> Instruction:
    _user_may_use(request)
    return selectors.instruction_get(user=request.user, pk=pk)


@login_required
@require_GET
def instruction_list(request, box: str = "all"):
    """The register (staff and managers), "to execute" and "on control", with filters."""
    _user_may_use(request)
    user = request.user
    if box != "execute" and not selectors.oversees(user):
        return redirect("instructions:execute")
    form = FilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else selectors.Filters()
    today = timezone.localdate()
    rows = selectors.inbox(user=user, box=box, filters=filters, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "instructions/list.html", {
        "box": box, "page": page, "rows": page, "filters": form, "query": query.urlencode(),
        "today": today, "oversees": selectors.oversees(user),
    })


def _form_page(request, form, title, heading=None):
    """``heading``: the title with its typed parts marked (``<title>`` takes text only)."""
    return render(request, "accounts/form.html", {"form": form, "title": title,
                                                  "heading": heading, "button": _("Save")})


@login_required
@require_http_methods(["GET", "POST"])
def instruction_create(request):
    _user_may_use(request)
    if not selectors.oversees(request.user):
        raise PermissionDenied
    initial = {"issued_on": timezone.localdate(), "controller": request.user.pk, "on_control": True}
    parent = request.GET.get("parent", "")
    if parent.isdigit() and len(parent) < 19:
        initial["parent"] = int(parent)
    form = InstructionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            instr = services.instruction_issue(actor=request.user, **form.service_fields())
        except PromzonaError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("Instruction issued."))
            return redirect("instructions:detail", pk=instr.pk)
    return _form_page(request, form, _("New instruction"))


@login_required
@require_http_methods(["GET", "POST"])
def instruction_edit(request, pk):
    instr = _get(request, pk)
    if not selectors.oversees(request.user):
        raise PermissionDenied
    form = InstructionForm(request.POST or None, initial=InstructionForm.initial_from(instr),
                           editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.instruction_update(actor=request.user, instruction=instr,
                                        **form.service_fields())
        except PromzonaError as exc:
            form_refused(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("instructions:detail", pk=instr.pk)
    title = _("Edit instruction № %(n)s")
    return _form_page(request, form, title % {"n": instr.number},
                      mark_safe(conditional_escape(title)  # noqa: S308 - both parts escaped
                                % {"n": conditional_escape(as_written(instr.number))}))


@login_required
@require_GET
def instruction_detail(request, pk):
    instr = _get(request, pk)
    user = request.user
    selectors.annotate(instr, timezone.localdate())
    chain = selectors.chain(instr)
    visible = set(selectors.instructions_visible_to(user).filter(pk__in=[p.pk for p in chain])
                  .values_list("pk", flat=True))
    return render(request, "instructions/detail.html", {
        "i": instr, "chain": [(p, p.pk in visible) for p in chain],
        "children": instr.children.select_related("executor").order_by("deadline", "id"),
        "links": [{**link, "type_label": links.link_model(link["type"])._meta.verbose_name}
                  for link in selectors.links_of(instr)],
        "reports": instr.reports.select_related("author", "decided_by").prefetch_related("attachments"),
        "extensions": instr.extensions.select_related("requested_by", "decided_by"),
        "pending": instr.extensions.filter(status=Extension.Status.PENDING).first(),
        "events": instr.events.select_related("actor"),
        "history": audit_history(instr) if selectors.oversees(user) else None,
        "is_executor": selectors.is_executor(user, instr),
        "is_controller": selectors.is_controller(user, instr),
        "oversees": selectors.oversees(user),
        "action_form": ActionForm(auto_id=False), "report_form": ReportForm(),
        "extend_form": ExtendForm(),
    })


@login_required
@require_POST
def instruction_action(request, pk, action):
    """start, accept, return, remove from control, grant or refuse the extension request."""
    if action not in ACTIONS:
        raise Http404
    instr = _get(request, pk)
    name, field, needs_confirm = ACTIONS[action]
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A comment is text of at most 5000 characters."))
    elif needs_confirm and not form.cleaned_data["confirm"]:
        messages.error(request, _("Tick “I confirm” to do this: it cannot be undone."))
    else:
        kwargs = {field: form.cleaned_data["comment"]} if field else {}
        if action in ("grant", "refuse"):
            kwargs["grant"] = action == "grant"
        try:
            getattr(services, name)(actor=request.user, instruction=instr, **kwargs)
            messages.success(request, _("Done."))
        except PromzonaError as exc:
            refused(request, exc)
    return redirect("instructions:detail", pk=instr.pk)


@login_required
@require_POST
def instruction_report(request, pk):
    instr = _get(request, pk)
    if not selectors.is_executor(request.user, instr):
        raise PermissionDenied
    if uploads_over(request, files=services.MAX_REPORT_FILES, each=MAX_ATTACHMENT_BYTES):
        messages.error(request, _("An attachment may be at most 20 MB."))
        return redirect("instructions:detail", pk=instr.pk)
    form = ReportForm(request.POST, request.FILES)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("instructions:detail", pk=instr.pk)
    try:
        services.instruction_report(actor=request.user, instruction=instr,
                                    text=form.cleaned_data["text"], uploads=form.cleaned_data["files"])
        messages.success(request, _("Report sent to the controller."))
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("instructions:detail", pk=instr.pk)


@login_required
@require_POST
def instruction_extend(request, pk):
    instr = _get(request, pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("instructions:detail", pk=instr.pk)
    try:
        ext = services.instruction_extension_request(
            actor=request.user, instruction=instr, **form.cleaned_data)
        messages.success(request, _("Deadline extended.") if ext.status == "granted"
                         else _("Extension requested; the controller decides."))
    except PromzonaError as exc:
        refused(request, exc)
    return redirect("instructions:detail", pk=instr.pk)


@login_required
@require_GET
def attachment_download(request, pk):
    _user_may_use(request)
    att = ReportAttachment.objects.filter(
        pk=pk, report__instruction__in=selectors.instructions_visible_to(request.user)).first()
    if att is None:
        raise Http404
    response = FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name,
                            content_type=att.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_manage(request):
    """Create (or replace) and revoke the user's secret calendar URL."""
    _user_may_use(request)
    key = None
    if request.method == "POST":
        if request.POST.get("action") == "create":
            key = calendar.feed_create(actor=request.user)
        elif request.POST.get("action") == "revoke":
            calendar.feed_revoke(actor=request.user)
            messages.success(request, _("The calendar URL is revoked."))
        else:
            messages.error(request, _("Unknown action."))
    return render(request, "instructions/calendar.html", {
        "url": request.build_absolute_uri(reverse("instructions:feed", args=[key])) if key else None,
        "active": CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first(),
    })


@require_GET
def calendar_feed(request, key):
    """The deadlines of the feed's owner, for calendar programs (no login: the URL is secret)."""
    user = calendar.feed_user(key)
    if user is None:
        raise Http404
    body = calendar.feed_ical(user, today=timezone.localdate(), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
