"""Reports built on the worker: one job for every PDF or XLSX a user asks for.

An app describes what it builds as a :class:`Kind` (named in :data:`KINDS`): who may ask,
how to build the file from the request's parameters, the data version it is built from.
:func:`report_ask` queues a request (or answers it with the same request waiting, or with a
report already built from the same data); the worker runs :func:`report_build`; the page
``ops:report`` shows the state and then the download; files older than :data:`KEEP` are
removed after each build and by ``promzona reports clean``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from promzona.accounts.types import Actor
from promzona.core.errors import Forbidden, InputError, NotFound

from .models import Report

log = logging.getLogger(__name__)
S = Report.Status
CONTENT_TYPES = {"pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
#: Finished reports are kept this long (and unfinished requests given up after as long).
KEEP = dt.timedelta(days=1)


@dataclass(frozen=True)
class Kind:
    """What one kind of report is: ``build(params, fmt)`` gives the file's bytes in the active
    language; ``title(params)`` its heading and ``filename(params)`` its name without the
    extension; ``version()`` the version of the data it reads (a report built from the same
    version is served again); ``roles`` may ask and download; ``back`` is the page it is asked
    from (a URL name)."""

    build: Callable[[dict[str, Any], str], bytes]
    title: Callable[[dict[str, Any]], str]
    filename: Callable[[dict[str, Any]], str]
    version: Callable[[], str]
    roles: tuple[str, ...]
    back: str


#: Each kind's :class:`Kind`, by dotted path (the apps that build reports import this module).
KINDS = {"sectors": "promzona.sectors.reports.KIND",
         "dashboard.monthly": "promzona.dashboard.jobs.MONTHLY",
         "dashboard.register": "promzona.dashboard.jobs.REGISTER"}


def kind_of(name: str) -> Kind:
    if name not in KINDS:
        raise NotFound(_("Unknown report."))
    return import_string(KINDS[name])


def may_ask(user, kind: Kind) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) in kind.roles)


def reports_dir() -> Path:
    return Path(settings.PROMZONA_VAR_DIR) / "reports"


def _key(kind: str, params: dict[str, Any], fmt: str, language: str) -> str:
    text = json.dumps([kind, params, fmt, language], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def report_ask(*, actor: Actor, kind: str, params: dict[str, Any], fmt: str,
               now: dt.datetime | None = None) -> Report:
    """The report ``kind`` with ``params`` as ``fmt`` in the active language for ``actor``:
    the same request still waiting or being built, or one built from the data as it is now;
    otherwise a new request, queued for the worker after commit. The caller has checked
    ``params``. A read of the data: the report's row is the record of who asked and when."""
    from .tasks import report_build_task

    spec = kind_of(kind)
    if actor is None or not may_ask(actor, spec):
        raise Forbidden(_("You may not ask for this report."))
    if fmt not in CONTENT_TYPES:
        raise InputError(_("No such format."), field="fmt")
    language = translation.get_language() or settings.LANGUAGE_CODE
    key, version = _key(kind, params, fmt, language), spec.version()
    mine = Report.objects.filter(user=actor, key=key)
    with transaction.atomic():
        # One ask of a user at a time (a double click, two tabs): the second finds the first.
        list(get_user_model().objects.select_for_update().filter(pk=actor.pk).values("pk"))
        same = (mine.filter(status__in=[S.QUEUED, S.RUNNING]).first()
                or mine.filter(status=S.DONE, version=version).first())
        if same is not None and (same.status != S.DONE or (reports_dir() / same.file).is_file()):
            return same
        job = Report.objects.create(user=actor, kind=kind, params=params, fmt=fmt,
                                    language=language, key=key, version=version,
                                    created_at=now or timezone.now())
        transaction.on_commit(lambda: report_build_task.enqueue(job.pk))
    return job


def report_build(job_id: int, *, now: dt.datetime | None = None) -> str:
    """Build a queued report once (a second call finds it taken); its final status. A failure
    is shown to the asker in plain words and logged with its details for staff."""
    if not Report.objects.filter(pk=job_id, status=S.QUEUED).update(status=S.RUNNING):
        return "taken"
    job = Report.objects.get(pk=job_id)
    status, name, error = S.DONE, f"{job.pk}-{secrets.token_hex(8)}.{job.fmt}", ""
    try:
        with translation.override(job.language):
            body = kind_of(job.kind).build(job.params, job.fmt)
        folder = reports_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial = folder / f"{name}.part"
        partial.write_bytes(body)
        partial.replace(folder / name)
    except Exception:  # the asker sees a plain message; the details go to the log
        log.exception("report %s (%s %s) failed", job_id, job.kind, job.params)
        status, name, error = S.FAILED, "", _("The report could not be prepared. Staff have "
                                              "been told; try again later.")
    now = now or timezone.now()
    Report.objects.filter(pk=job_id).update(status=status, file=name, error=error,
                                            finished_at=now)
    reports_clean(now=now)
    return status


def reports_clean(*, now: dt.datetime | None = None) -> int:
    """Remove the reports finished more than :data:`KEEP` ago, rows and files, and requests
    still unfinished after as long (a dead worker's); how many."""
    now = now or timezone.now()
    old = list(Report.objects.filter(Q(finished_at__lt=now - KEEP) | Q(
        finished_at__isnull=True, created_at__lt=now - KEEP)))
    for job in old:
        if job.file:
            (reports_dir() / job.file).unlink(missing_ok=True)
    Report.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)


def report_of(user, pk: int) -> Report:
    """``user``'s report ``pk``, while its kind is still theirs to read; :class:`NotFound` for
    another's."""
    job = Report.objects.filter(pk=pk, user=user).first()
    if job is None or not may_ask(user, kind_of(job.kind)):
        raise NotFound(_("No such report."))
    return job
