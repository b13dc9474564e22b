"""The ops app's task: build a report on the worker."""

from __future__ import annotations

from django_tasks import task

from . import reports


@task()
def report_build_task(job_id: int) -> str:
    """Build the report's file; its final status."""
    return reports.report_build(job_id)
