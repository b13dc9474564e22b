"""The demo's instruction chain: the public part and illustrative children in every condition."""

import pytest
from django.utils import timezone

from promzona.core import instructions as rules
from promzona.instructions import selectors
from promzona.instructions.models import Extension, Instruction

pytestmark = pytest.mark.django_db


def test_chain_runs_from_the_prime_minister_to_the_zone_office(demo):
    governor = Instruction.objects.get(issued_on="2025-09-08", title__contains="сети")
    assert governor.issuer.kind == "region" and governor.parent.issuer.kind == "government"
    assert "8 сентября 2025" in governor.text and "иллюстратив" in governor.text
    airport = Instruction.objects.get(title__contains="аэропорта")
    assert airport.extensions.get().old_deadline.isoformat() == "2025-12-31"
    children = governor.children.all()
    assert children.count() >= 5 and all(c.issuer.kind == "city" for c in children)
    assert all(selectors.chain(c)[0].issuer.kind == "government" for c in children)


def test_children_are_overdue_extended_and_accepted_on_time_and_late(demo):
    today = timezone.localdate()
    children = list(Instruction.objects.filter(parent__issued_on="2025-09-08"))
    assert any(c.overdue(today) for c in children)
    assert Extension.objects.filter(instruction__in=children, status="granted").exists()
    assert Extension.objects.filter(instruction__in=children, status="refused").exists()
    closed = [c for c in children if c.status == "accepted"]
    on_time = [rules.accepted_on_time(deadline=c.deadline, accepted_on=timezone.localdate(c.accepted_at))
               for c in closed]
    assert True in on_time and False in on_time
    assert any(c.status == "reported" for c in children)
