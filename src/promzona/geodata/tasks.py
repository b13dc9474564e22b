"""The geodata app's task: run a confirmed import on the worker."""

from __future__ import annotations

from django_tasks import task

from . import jobs


@task()
def import_run(job_id: int) -> str:
    """Import the job's file, all or nothing; its final status."""
    return jobs.import_job_run(job_id)
