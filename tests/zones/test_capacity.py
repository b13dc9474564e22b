from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# --- exactness (issue 11, finding 3): amounts are thousandths on every database -------------


@pytest.fixture
def fresh_source(demo):
    """A source of its own with nothing committed, capacity set per test."""

    def make(capacity: str) -> UtilitySource:
        src = UtilitySource.objects.get(code="TEC-1")
        src.pk, src.code, src.committed, src.capacity = None, "LEDGER-T", Decimal(0), Decimal(capacity)
        src.save()
        return src

    return make


def stored(src: UtilitySource) -> tuple:
    """The raw column values, as the database holds them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT capacity, committed FROM zones_utilitysource WHERE id = %s", [src.pk])
        return cursor.fetchone()


def test_the_last_thousandth_can_be_committed(fresh_source):
    src = fresh_source("8.5")
    capacity_commit(actor=None, source=src, amount=Decimal("0.001"), holder="t")
    capacity_commit(actor=None, source=src, amount=Decimal("8.499"), holder="t")
    src.refresh_from_db()
    assert src.committed == src.capacity == Decimal("8.5") and src.free == 0


def test_releases_in_any_order_return_to_exactly_zero(fresh_source):
    src = fresh_source("10")
    small = capacity_commit(actor=None, source=src, amount=Decimal("0.001"), holder="t")
    large = capacity_commit(actor=None, source=src, amount=Decimal("1.002"), holder="t")
    capacity_release(actor=None, commitment=large)
    capacity_release(actor=None, commitment=small)
    src.refresh_from_db()
    assert src.committed == 0 and stored(src) == (10_000, 0)


def test_commit_release_cycles_leave_no_drift(fresh_source):
    src = fresh_source("40")
    keep = capacity_commit(actor=None, source=src, amount=Decimal("31.8"), holder="keep")
    for _ in range(40):
        for amount in ("0.1", "0.7", "0.2"):
            capacity_release(actor=None, commitment=capacity_commit(
                actor=None, source=src, amount=Decimal(amount), holder="cycle"))
    src.refresh_from_db()
    assert src.committed == keep.amount == Decimal("31.8")
    assert stored(src) == (40_000, 31_800)  # whole thousandths, not 31.799999999999997


@pytest.mark.parametrize("amount", [Decimal("0.0001"), Decimal("1.2345"), 0.1, "NaN", "Infinity",
                                    "x", True])
def test_amount_beyond_three_decimals_or_not_a_number_is_refused(fresh_source, amount):
    src = fresh_source("10")
    with pytest.raises(InputError):
        capacity_commit(actor=None, source=src, amount=amount, holder="t")
    src.refresh_from_db()
    assert src.committed == 0 and not src.commitments.exists()


def test_capacity_with_four_decimals_is_a_validation_error(fresh_source):
    src = fresh_source("10")
    src.capacity = Decimal("10.0005")
    with pytest.raises(ValidationError, match="capacity"):
        src.full_clean()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(capacity=st.decimals(min_value=0, max_value=50, places=3),
       steps=st.lists(st.one_of(
           st.tuples(st.just("commit"), st.decimals(min_value=Decimal("0.001"), max_value=20,
                                                    places=3)),
           st.tuples(st.just("release"), st.integers(min_value=0, max_value=50))), max_size=25))
def test_random_commits_and_releases_keep_the_ledger_exact(fresh_source, capacity, steps):
    with transaction.atomic():
        src = fresh_source(str(capacity))
        active: list[CapacityCommitment] = []
        for op, arg in steps:
            if op == "commit":
                src.refresh_from_db()
                try:
                    active.append(capacity_commit(actor=None, source=src, amount=arg, holder="p"))
                except CapacityExceeded:
                    assert arg > src.free  # refused only when it really does not fit
            elif active:
                capacity_release(actor=None, commitment=active.pop(arg % len(active)))
            src.refresh_from_db()
            assert src.committed == sum((c.amount for c in active), Decimal(0))
            assert 0 <= src.committed <= src.capacity
        for c in active:
            capacity_release(actor=None, commitment=c)
        src.refresh_from_db()
        assert src.committed == 0
        transaction.set_rollback(True)
