from django.core.management import call_command
from django.db import migrations, models


def cache_tables(apps, schema_editor):
    """The database cache's tables (``CACHES``): shared by every app server."""
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Heartbeat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("worker", models.CharField(max_length=64, unique=True, verbose_name="worker")),
                ("at", models.DateTimeField(verbose_name="last seen")),
            ],
            options={"verbose_name": "worker heartbeat", "verbose_name_plural": "worker heartbeats"},
        ),
        migrations.RunPython(cache_tables, migrations.RunPython.noop),
    ]
