"""The sector reports join every other report built on the worker (``ops.Report``): each
waiting, ready or failed one is copied there with its file, then the old table goes."""

import hashlib
import json

from django.db import migrations


def copy(apps, schema_editor):
    old, new = apps.get_model("sectors", "ReportJob"), apps.get_model("ops", "Report")
    db = schema_editor.connection.alias
    for job in old.objects.using(db).all():
        params = {"table": job.table}
        key = json.dumps(["sectors", params, job.fmt, job.language], sort_keys=True)
        new.objects.using(db).create(user_id=job.user_id, kind="sectors", params=params, fmt=job.fmt,
                           language=job.language, key=hashlib.sha256(key.encode()).hexdigest(),
                           status=job.status, file=job.file, error=job.error,
                           created_at=job.created_at, finished_at=job.finished_at)


def back(apps, schema_editor):
    old, new = apps.get_model("sectors", "ReportJob"), apps.get_model("ops", "Report")
    db = schema_editor.connection.alias
    for job in new.objects.using(db).filter(kind="sectors"):
        old.objects.using(db).create(user_id=job.user_id, table=job.params["table"], fmt=job.fmt,
                           language=job.language,
                           status="queued" if job.status == "running" else job.status,
                           file=job.file, error=job.error, created_at=job.created_at,
                           finished_at=job.finished_at)


class Migration(migrations.Migration):

    dependencies = [
        ("sectors", "0001_initial"),
        ("ops", "0002_report"),
    ]

    operations = [
        migrations.RunPython(copy, back),
        migrations.DeleteModel(name="ReportJob"),
    ]
