"""Where the illustrative demo is loaded already, it gets its named contacts on upgrade."""

from django.db import migrations

from promzona.demo.accounts import DEMO_ZONE_SLUG
from promzona.demo.contacts import CONTACTS


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    Zone = apps.get_model("zones", "Zone")
    Contact = apps.get_model("enquiries", "Contact")
    for zone in Zone.objects.using(db).filter(slug=DEMO_ZONE_SLUG, is_illustrative=True):
        if not Contact.objects.using(db).filter(zone=zone).exists():
            Contact.objects.using(db).bulk_create([Contact(zone=zone, **c) for c in CONTACTS])


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
