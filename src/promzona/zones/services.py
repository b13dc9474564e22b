"""Writes for zones, plots, utilities and the capacity ledger. Each runs in one transaction and
writes its audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import numpy as np
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona import l10n
from promzona.accounts.types import Actor
from promzona.audit.services import (
    audit_bulk_record,
    audit_record,
    changed,
    deletion_entries,
    related_snapshot,
    snapshot,
)
from promzona.core import geometry as geo
from promzona.core.errors import CapacityExceeded, Conflict, InputError
from promzona.news.events import article_draft_from_event
from promzona.validation import validated

from .fields import ThousandthsField, from_thousandths, to_thousandths
from .models import CapacityCommitment, GeoFeature, MapFeature, Plot, UtilitySource, Zone


def _fill_bbox(obj: GeoFeature, shape) -> None:
    obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat = geo.BBox.of(shape).as_tuple()


#: The plot field each kind of reference feature gives the distance to.
DISTANCE_FIELDS = {MapFeature.Kind.RAIL: "dist_rail_m", MapFeature.Kind.ROAD: "dist_road_m",
                   MapFeature.Kind.AIRPORT: "dist_airport_m",
                   MapFeature.Kind.TOWN_CENTRE: "dist_town_centre_m"}


def plots_derive(zone: Zone, plots: list[Plot], shapes: list,
                 computed_ha: np.ndarray | None = None) -> None:
    """Fill each plot's computed area, the 5% mismatch flag and the distances to the zone's
    reference features (:func:`promzona.core.geometry.plot_measures`), for one plot (a save)
    or many (an import, which gives the areas it measured as ``computed_ha``) alike."""
    if not plots:
        return
    targets: dict[str, list] = {field: [] for field in DISTANCE_FIELDS.values()}
    for f in MapFeature.objects.filter(zone=zone, kind__in=list(DISTANCE_FIELDS)):
        targets[DISTANCE_FIELDS[f.kind]].append(f.shape())
    shapes = np.array(shapes, dtype=object)
    epsg = geo.metric_epsg_for(zone.shape() if zone.geometry else shapes[0])
    declared = [None if p.declared_area_ha is None else float(p.declared_area_ha) for p in plots]
    measures = geo.plot_measures(shapes, declared, targets, epsg, computed_ha)
    for plot, m in zip(plots, measures, strict=True):
        plot.computed_area_ha = Decimal(f"{m.computed_area_ha:.4f}")
        plot.area_mismatch = m.area_mismatch
        for field, d in m.distances_m.items():
            setattr(plot, field, d)


@transaction.atomic
def feature_save(*, actor: Actor, obj: GeoFeature | models.Model, now: dt.datetime | None = None):
    """Validate, derive and save any zone-app object; audit ``<model>.created|updated``.

    Used by the admin, the importers and the demo loader alike. Raises :class:`InputError`
    (nothing saved) when the object is invalid.
    """
    model = type(obj)
    # Locked until the save, so the checks below see what the save overwrites (e.g. a plot
    # reserved meanwhile is not put back on offer).
    before = None if obj._state.adding else snapshot(
        model.objects.select_for_update().get(pk=obj.pk))
    validated(obj)
    if isinstance(obj, GeoFeature):
        shape = obj.validated_shape()
        obj.geometry = geo.to_geojson(shape)
        _fill_bbox(obj, shape)
        if isinstance(obj, Plot):
            plots_derive(obj.zone, [obj], [shape])
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict(f"{model._meta.verbose_name}: {exc}") from exc
    after = snapshot(obj)
    name = model._meta.model_name
    if before is None:
        audit_record(actor=actor, action=f"{name}.created", obj=obj, after=after, now=now)
    else:
        b, a = changed(before, after)
        if a:
            audit_record(actor=actor, action=f"{name}.updated", obj=obj, before=b, after=a, now=now)
    if isinstance(obj, Plot) and obj.status == Plot.Status.PUBLISHED and (
            before is None or before["status"] != Plot.Status.PUBLISHED):
        _plot_published(actor=actor, plot=obj, now=now)
    return obj


@transaction.atomic
def feature_save_related(*, actor: Actor, obj: models.Model, save: Callable[[], None],
                         now: dt.datetime | None = None) -> None:
    """Run ``save`` (a form's ``save_m2m``) on a saved object and audit what it changed in the
    many-to-many fields as ``<model>.updated`` (none before a creation)."""
    before = related_snapshot(obj)
    save()
    b, a = changed(before, related_snapshot(obj))
    if a:
        audit_record(actor=actor, action=f"{obj._meta.model_name}.updated", obj=obj,
                     before=b, after=a, now=now)


def _plot_published(*, actor: Actor, plot: Plot, now: dt.datetime | None) -> None:
    """A plot put on offer is news: the newsroom gets a draft (once per plot)."""
    article_draft_from_event(event="plot.published", obj=plot, now=now or timezone.now(),
                             actor=actor)


@transaction.atomic
def feature_delete(*, actor: Actor, obj: models.Model, now: dt.datetime | None = None) -> None:
    """Delete ``obj`` and what the deletion cascades to, auditing every row removed and every
    many-to-many link lost (:func:`~promzona.audit.services.deletion_entries`); a
    :class:`Conflict`, nothing deleted, while a row still refers to it."""
    try:
        with transaction.atomic():
            audit_bulk_record(actor=actor, entries=deletion_entries(obj),
                              now=now or timezone.now())
            obj.delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        raise Conflict(f"{obj} is still referenced and cannot be deleted.") from exc


@transaction.atomic
def plot_set_status(*, actor: Actor, plot: Plot, status: str,
                    now: dt.datetime | None = None) -> Plot:
    before = plot.status
    if status not in Plot.Status.values:
        raise InputError(f"Unknown plot status {status!r}.", field="status")
    updated = Plot.objects.filter(pk=plot.pk, status=before).update(status=status)
    if not updated:
        raise Conflict("The plot changed meanwhile; reload and try again.")
    plot.status = status
    audit_record(
        actor=actor, action=f"plot.status.{status}", obj=plot, now=now,
        before={"status": before}, after={"status": status},
    )
    if status == Plot.Status.PUBLISHED:
        _plot_published(actor=actor, plot=plot, now=now)
    return plot


def _exact_amount(amount: Decimal | int | str) -> Decimal:
    """A positive ledger amount with at most three decimals, or :class:`InputError`."""
    try:
        exact = from_thousandths(to_thousandths(amount))
    except ValueError:
        raise InputError("A commitment is a number with at most three decimals.",
                         field="amount") from None
    if exact <= 0:
        raise InputError("A commitment must be a positive amount.", field="amount")
    return exact


@transaction.atomic
def capacity_commit(
    *,
    actor: Actor,
    source: UtilitySource,
    amount: Decimal | int | str,
    holder: str,
    now: dt.datetime | None = None,
) -> CapacityCommitment:
    """Commit ``amount`` of ``source``'s capacity, or raise :class:`CapacityExceeded`.

    A single conditional UPDATE decides, so concurrent commits can never over-commit; the
    check constraint on the table is the second line of defence. Amounts are exact thousandths.
    """
    amount = _exact_amount(amount)
    now = now or timezone.now()
    value = Value(amount, output_field=ThousandthsField())
    rows = UtilitySource.objects.filter(
        pk=source.pk, committed__lte=F("capacity") - value
    ).update(committed=F("committed") + value)
    if rows == 0:
        source.refresh_from_db()
        raise CapacityExceeded(
            _("%(source)s has %(free)s free; %(requested)s requested.") % {
                "source": source.code, "free": l10n.qty(source.free, source.unit),
                "requested": l10n.qty(amount, source.unit)},
            details={"source": source.code, "free": str(source.free), "requested": str(amount)},
        )
    commitment = CapacityCommitment.objects.create(
        source=source, amount=amount, holder=holder, created_at=now
    )
    source.refresh_from_db(fields=["committed"])
    audit_record(
        actor=actor, action="capacity.committed", obj=source, now=now,
        after={"amount": str(amount), "holder": holder, "committed": str(source.committed)},
    )
    return commitment


@transaction.atomic
def capacity_release(
    *, actor: Actor, commitment: CapacityCommitment, now: dt.datetime | None = None
) -> CapacityCommitment:
    """Release an active commitment; releasing twice is refused."""
    now = now or timezone.now()
    rows = CapacityCommitment.objects.filter(
        pk=commitment.pk, status=CapacityCommitment.Status.ACTIVE
    ).update(status=CapacityCommitment.Status.RELEASED, released_at=now)
    if rows == 0:
        raise Conflict("This commitment was already released.")
    commitment.refresh_from_db()
    UtilitySource.objects.filter(pk=commitment.source_id).update(
        committed=F("committed") - Value(commitment.amount, output_field=ThousandthsField())
    )
    source = commitment.source
    source.refresh_from_db(fields=["committed"])
    audit_record(
        actor=actor, action="capacity.released", obj=source, now=now,
        after={"amount": str(commitment.amount), "holder": commitment.holder,
               "committed": str(source.committed)},
    )
    return commitment
