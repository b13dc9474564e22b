"""Confirmed imports on the task queue: queued by the staff page, run by the worker with their
progress on disk, their report kept for the status page."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.audit.services import audit_record
from promzona.core.errors import InputError, PromzonaError
from promzona.zones.models import Zone

from .models import ImportJob
from .services import ImportRefused, layer_import
from .uploads import UPLOADS, progress_write

log = logging.getLogger(__name__)
S = ImportJob.Status


def import_job_start(*, actor: Actor, token: str, preview: dict[str, Any],
                     now: dt.datetime | None = None) -> ImportJob:
    """Queue the import of upload ``token`` as previewed (``preview``: the dry run's choices);
    the worker runs it after commit."""
    from .tasks import import_run

    now = now or timezone.now()
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=actor, name=preview["name"][:255], layer=preview["layer"], created_at=now,
            options={"token": token, **{k: preview.get(k) for k in (
                "zone", "crs", "repair", "mapping", "source_layer")}})
        audit_record(actor=actor, action="import.queued", obj=job, now=now,
                     after={"file": job.name, "layer": job.layer, "zone": preview.get("zone")})
        progress_write(token, 0, None)
        transaction.on_commit(lambda: import_run.enqueue(job.pk))
    return job


def import_job_run(job_id: int, *, now: dt.datetime | None = None) -> str:
    """Run a queued import once (a second call does nothing); its final status."""
    if not ImportJob.objects.filter(pk=job_id, status=S.QUEUED).update(status=S.RUNNING):
        return "taken"
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    opts = job.options
    token = opts["token"]
    path = UPLOADS / token
    done = {"rows": 0, "total": None, "shown": 0}

    def on_total(total: int) -> None:
        done["total"] = total
        progress_write(token, 0, total)

    def progress(n: int) -> None:  # written at every hundredth of the file
        done["rows"] += n
        if done["rows"] - done["shown"] >= max(1, (done["total"] or 0) // 100):
            done["shown"] = done["rows"]
            progress_write(token, done["rows"], done["total"])

    status, report, error = S.DONE, None, ""
    try:
        if not path.is_file():
            raise InputError(_("The uploaded file is gone (kept for an hour); upload it "
                                "again."))
        report = layer_import(
            actor=job.user, path=path, name=job.name, layer=job.layer,
            zone=Zone.objects.filter(slug=opts["zone"]).first() if opts["zone"] else None,
            crs=opts["crs"] or None, repair=bool(opts["repair"]), mapping=opts["mapping"],
            source_layer=opts["source_layer"], progress=progress, on_total=on_total,
            now=now).as_dict()
    except ImportRefused as exc:
        status, report = S.REFUSED, exc.report.as_dict()
    except PromzonaError as exc:
        status, error = S.FAILED, exc.message
    except Exception:  # reported to staff; the details go to the log
        log.exception("import %s failed", job_id)
        status, error = S.FAILED, _("The import failed unexpectedly; nothing was imported.")
    finally:
        path.unlink(missing_ok=True)
    ImportJob.objects.filter(pk=job_id).update(status=status, report=report, error=error,
                                               finished_at=now or timezone.now())
    return status
