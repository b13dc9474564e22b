from decimal import Decimal

import pytest

from promzona.audit.models import AuditEntry
from promzona.core.errors import CapacityExceeded, Conflict, InputError
from promzona.zones.models import CapacityCommitment, UtilitySource
from promzona.zones.services import capacity_commit, capacity_release

pytestmark = pytest.mark.django_db


def test_commit_up_to_capacity_then_refuse_with_free_amount(demo):
    src = UtilitySource.objects.get(code="PS-1")  # 6,300 kW, 5,000 committed
    capacity_commit(actor=None, source=src, amount=1300, holder="t")
    src.refresh_from_db()
    assert src.committed == src.capacity
    with pytest.raises(CapacityExceeded, match="PS-1 has 0\xa0kW free; 1\xa0kW requested"):
        capacity_commit(actor=None, source=src, amount=1, holder="t")


def test_committed_equals_sum_of_active_commitments_after_release(demo):
    src = UtilitySource.objects.get(code="VZ-1")
    c = capacity_commit(actor=None, source=src, amount=Decimal("250.5"), holder="t")
    capacity_release(actor=None, commitment=c)
    src.refresh_from_db()
    active = sum(x.amount for x in src.commitments.filter(status=CapacityCommitment.Status.ACTIVE))
    assert src.committed == active == Decimal("1900")
    with pytest.raises(Conflict):
        capacity_release(actor=None, commitment=c)


@pytest.mark.parametrize("amount", [0, -5])
def test_non_positive_commitment_is_refused(demo, amount):
    with pytest.raises(InputError):
        capacity_commit(actor=None, source=UtilitySource.objects.get(code="VZ-1"), amount=amount, holder="t")


def test_commit_and_release_are_audited(demo):
    src = UtilitySource.objects.get(code="KNS-1")
    n = AuditEntry.objects.filter(action__startswith="capacity.").count()
    capacity_release(actor=None, commitment=capacity_commit(actor=None, source=src, amount=5, holder="h"))
    actions = list(AuditEntry.objects.filter(action__startswith="capacity.").values_list("action", flat=True))
    assert len(actions) == n + 2 and {"capacity.committed", "capacity.released"} <= set(actions)
