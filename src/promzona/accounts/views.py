"""Account pages: self-registration with email verification, invitations. Thin: form, service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from promzona.core.errors import Conflict, Forbidden, InputError

from . import services
from .forms import InviteForm, JoinForm, RegistrationForm


@require_http_methods(["GET", "POST"])
def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.investor_register(
                organisation_name=d["organisation_name"], bin=d["bin"], username=d["username"],
                email=d["email"], password=d["password1"],
                verify_url=lambda t: request.build_absolute_uri(
                    reverse("accounts:verify", args=[t])),
            )
        except (ValidationError, IntegrityError):
            # Lost a race with a simultaneous registration of the same BIN or user name.
            form.add_error(None, _("This organisation or user name was registered just now."))
            return render(request, "accounts/form.html", {
                "form": form, "title": _("Register your organisation"), "button": _("Register"),
            })
        return render(request, "accounts/message.html", {
            "title": _("Check your email"),
            "text": _("We sent a link to %(email)s. Follow it to activate your account.")
            % {"email": d["email"]},
        })
    return render(request, "accounts/form.html", {
        "form": form, "title": _("Register your organisation"), "button": _("Register"),
    })


def verify(request, token: str):
    try:
        services.user_verify(token=token)
    except (InputError, Forbidden) as exc:
        return render(request, "accounts/message.html",
                      {"title": _("Link not valid"), "text": exc.message},
                      status=exc.http_status)
    messages.success(request, _("Your account is active. Please log in."))
    return redirect("login")


@login_required
@require_http_methods(["GET", "POST"])
def invite(request):
    if request.user.role != "investor" or not request.user.organisation_id:
        raise PermissionDenied
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.colleague_invite(
                actor=request.user, email=form.cleaned_data["email"],
                join_url=lambda t: request.build_absolute_uri(reverse("accounts:join", args=[t])),
            )
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from exc
        messages.success(request, _("Invitation sent."))
        return redirect("accounts:invite")
    return render(request, "accounts/form.html", {
        "form": form, "title": _("Invite a colleague"), "button": _("Send invitation"),
    })


@require_http_methods(["GET", "POST"])
def join(request, token: str):
    try:
        org, email = services.invitation_read(token)
    except InputError as exc:
        return render(request, "accounts/message.html",
                      {"title": _("Link not valid"), "text": exc.message}, status=400)
    form = JoinForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(token=token, username=form.cleaned_data["username"],
                                       password=form.cleaned_data["password1"])
        except Conflict as exc:
            return render(request, "accounts/message.html",
                          {"title": _("Link not valid"), "text": exc.message}, status=409)
        messages.success(request, _("Welcome! Please log in."))
        return redirect("login")
    return render(request, "accounts/form.html", {
        "form": form, "button": _("Join"),
        "title": _("Join %(org)s as %(email)s") % {"org": org.name, "email": email},
    })
