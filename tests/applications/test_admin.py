"""Applications and reservations are visible to staff in the admin but changed only by services."""

import pytest
from django.urls import reverse

from promzona.accounts.models import User
from promzona.applications import services
from promzona.applications.models import Reservation
from promzona.zones.models import Plot

pytestmark = pytest.mark.django_db


@pytest.fixture
def reservation(demo):
    investor, staff = (User.objects.get(username=u) for u in ("demo-investor", "demo-staff"))
    app = services.application_create(actor=investor, project_name="Admin view", sector="C25",
                                      investment_kzt=1, jobs_planned=1, needs={"power_kw": 5})
    services.application_submit(actor=investor, application=app)
    plot = Plot.objects.filter(zone=demo, status="published").order_by("code").first()
    return services.plot_reserve(actor=staff, plot=plot, application=app)


@pytest.mark.parametrize("model", ["application", "reservation", "comment", "attachment"])
def test_staff_see_the_lists(staff_client, reservation, model):
    assert staff_client.get(reverse(f"admin:applications_{model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:applications_{model}_add")).status_code == 403


def test_a_reservation_cannot_be_changed_or_deleted_in_the_admin(staff_client, reservation):
    page = staff_client.get(reverse("admin:applications_reservation_change", args=[reservation.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    r = staff_client.post(reverse("admin:applications_reservation_delete", args=[reservation.pk]),
                          {"post": "yes"})
    assert r.status_code == 403
    assert Reservation.objects.get(pk=reservation.pk).status == Reservation.Status.ACTIVE


def test_investors_have_no_admin(investor_client, reservation):
    r = investor_client.get(reverse("admin:applications_application_changelist"))
    assert r.status_code == 302
