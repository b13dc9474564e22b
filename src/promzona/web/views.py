"""Public pages. Thin: call a selector, render."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from promzona.accounts.forms import ThrottledAuthenticationForm
from promzona.demo.accounts import DEMO_ACCOUNTS, demo_loaded
from promzona.zones import selectors
from promzona.zones.models import Zone


def home(request):
    zones = Zone.objects.prefetch_related("anchors", "directions__sectors")
    plots = selectors.plots_visible_to(request.user).order_by("zone__slug", "code")
    sources = [s for z in zones for s in selectors.sources_of_zone(z)]
    return render(request, "web/home.html", {"zones": zones, "plots": plots, "sources": sources})


class LoginView(auth_views.LoginView):
    """Django's login (throttled), listing the demo accounts while the demo is loaded."""

    authentication_form = ThrottledAuthenticationForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["demo_accounts"] = DEMO_ACCOUNTS if demo_loaded() else []
        return ctx
