"""Account pages: registration with email verification, invitations, join requests and the zone
office's registrations queue. Thin: form, throttle, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from promzona.core.errors import Conflict, Forbidden, InputError, PromzonaError
from promzona.web.feedback import message_of, refused

from . import selectors, services, throttle
from .forms import (
    EmailForm,
    InviteForm,
    JoinForm,
    JoinRequestForm,
    NoteForm,
    OutboxPasswordResetForm,
    RegistrationForm,
    too_many,
)
from .models import JoinRequest, Organisation


def _form_page(request, form, title, button, status=200, **extra):
    return render(request, "accounts/form.html",
                  {"form": form, "title": title, "button": button, **extra}, status=status)


def _throttled(request, form, scope, account, limits, title, button):
    """A rate-limit refusal (429) on the form, or ``None`` to go ahead."""
    minutes = throttle.rate_limit(scope, account=account, limits=limits,
                                  address=throttle.client_address(request))
    if not minutes:
        return None
    form.add_error(None, too_many(minutes))
    return _form_page(request, form, title, button, status=429)


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    title, button = _("Register your organisation"), _("Register")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        refused = _throttled(request, form, "register", d["email"], throttle.REGISTER,
                             title, button)
        if refused:
            return refused
        services.investor_register(
            organisation_name=d["organisation_name"], country=d["country"], number=d["number"],
            username=d["username"], email=d["email"], password=d["password1"])
        return render(request, "accounts/message.html", {
            "title": _("Check your email"),
            "text": _("We sent a message to %(email)s. Follow its link to confirm your address; "
                      "the zone office then confirms your registration.") % {"email": d["email"]},
            "resend": True,
        })
    return _form_page(request, form, title, button, intro=_(
        "A company registered in Kazakhstan gives its BIN; a foreign company chooses its country "
        "and gives its number in that country's company register. Once you have confirmed your "
        "email address, the zone office checks that you represent the organisation and confirms "
        "you; then you can apply for plots."))


@require_GET
def verify(request, token: str):
    try:
        user = services.user_verify(token=token, now=timezone.now())
    except (InputError, Forbidden) as exc:
        return render(request, "accounts/message.html",
                      {"title": _("Link not valid"), "text": message_of(exc)},
                      status=exc.http_status)
    if user.organisation_id is None:
        messages.success(request, _("Your email address is confirmed. The zone office will "
                                    "confirm your registration and email you; meanwhile you "
                                    "may log in and look around."))
    else:
        messages.success(request, _("Your account is active. Please log in."))
    return redirect("login")


@require_http_methods(["GET", "POST"])
def verify_resend(request):
    """A fresh verification link; the answer is the same whether an account waits or not."""
    form = EmailForm(request.POST or None)
    title, button = _("Send the confirmation link again"), _("Send the link")
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        refused = _throttled(request, form, "verify.resend", email, throttle.MAIL, title, button)
        if refused:
            return refused
        services.verification_resend(email=email)
        return render(request, "accounts/message.html", {
            "title": _("Check your email"),
            "text": _("If an account at this address waits for confirmation, a new link is on "
                      "its way."),
        })
    return _form_page(request, form, title, button)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, rate-limited per address and per email (it sends mail)."""

    http_method_names = ["get", "post"]

    template_name = "accounts/password_reset_form.html"
    form_class = OutboxPasswordResetForm

    def form_valid(self, form):
        minutes = throttle.rate_limit(
            "password.reset", account=form.cleaned_data["email"], limits=throttle.MAIL,
            address=throttle.client_address(self.request))
        if minutes:
            form.add_error(None, too_many(minutes))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's new-password form from the emailed link; saving it (audited) lifts every login
    throttle on the account."""

    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form):
        services.user_password_set(user=form.user, password=form.cleaned_data["new_password1"],
                                   address=throttle.client_address(self.request))
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change for a logged-in user, through the same audited service."""

    http_method_names = ["get", "post"]

    def form_valid(self, form):
        user = services.user_password_set(user=form.user,
                                          password=form.cleaned_data["new_password1"],
                                          address=throttle.client_address(self.request))
        update_session_auth_hash(self.request, user)
        return redirect(self.get_success_url())


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    if not request.user.acts_for_organisation:
        raise PermissionDenied
    form = InviteForm(request.POST or None)
    title, button = _("Invite a colleague"), _("Send invitation")
    if request.method == "POST" and form.is_valid():
        refused = _throttled(request, form, "invite", request.user.get_username(),
                             throttle.MEMBER, title, button)
        if refused:
            return refused
        services.colleague_invite(
            actor=request.user, email=form.cleaned_data["email"], now=timezone.now())
        messages.success(request, _("Invitation sent."))
        return redirect("accounts:invite")
    return _form_page(request, form, title, button)


@require_http_methods(["GET", "POST"])
def join(request, token: str):
    try:
        org, email = services.invitation_read(token)
    except InputError as exc:
        return render(request, "accounts/message.html",
                      {"title": _("Link not valid"), "text": message_of(exc)}, status=400)
    form = JoinForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token=token, username=form.cleaned_data["username"],
                                       password=form.cleaned_data["password1"],
                                       now=timezone.now())
        except Conflict as exc:
            return render(request, "accounts/message.html",
                          {"title": _("Link not valid"), "text": message_of(exc)}, status=409)
        messages.success(request, _("Welcome! Please log in."))
        return redirect("login")
    return _form_page(request, form, _("Join %(org)s as %(email)s")
                      % {"org": org.name, "email": email}, _("Join"))


@login_required
@require_http_methods(["GET", "POST"])
def organisation(request):
    """An investor's organisation, or their requests to the zone office and a form for one."""
    user = request.user
    if user.role != "investor":
        raise PermissionDenied
    pending = user.join_requests.filter(status=JoinRequest.Status.PENDING).exists()
    form = None
    if user.organisation_id is None and not pending:
        form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        title, button = _("Your organisation"), _("Send the request")
        refused = _throttled(request, form, "join.request", user.get_username(),
                             throttle.MEMBER, title, button)
        if refused:
            return refused
        try:
            services.join_request_create(actor=user, organisation_name=d["organisation_name"],
                                         country=d["country"], number=d["number"])
        except PromzonaError as exc:
            messages.error(request, message_of(exc))
        else:
            messages.success(request, _("Your request is with the zone office."))
        return redirect("accounts:organisation")
    return render(request, "accounts/organisation.html", {
        "organisation": user.organisation, "form": form,
        "requests": user.join_requests.order_by("-created_at")})


@login_required
@require_GET
def queue(request):
    """Registrations waiting for the zone office (staff decide; managers see them)."""
    if not request.user.oversees_zones:
        raise PermissionDenied
    return render(request, "accounts/queue.html", {
        "requests": selectors.join_requests_waiting(),
        "unverified": selectors.join_requests_unverified_count(),
        "organisations": selectors.organisations_unconfirmed(),
        "decided": selectors.join_requests_decided()[:20],
        "can_decide": request.user.is_zone_staff, "note_form": NoteForm(auto_id=False),
    })


def _decide(request, action, **kwargs):
    form = NoteForm(request.POST)
    try:
        action(actor=request.user, note=form.cleaned_data["note"] if form.is_valid() else "",
               **kwargs)
    except PromzonaError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("accounts:queue")


@login_required
@require_POST
def join_request_decide(request, pk: int, decision: str):
    if not request.user.is_zone_staff:
        raise PermissionDenied
    actions = {"approve": services.join_request_approve, "reject": services.join_request_reject}
    if decision not in actions:
        raise Http404
    return _decide(request, actions[decision],
                   join_request=get_object_or_404(JoinRequest, pk=pk))


@login_required
@require_POST
def organisation_confirm(request, pk: int):
    if not request.user.is_zone_staff:
        raise PermissionDenied
    return _decide(request, services.organisation_confirm,
                   organisation=get_object_or_404(Organisation, pk=pk))
