"""Where the illustrative demo is loaded already, it gets its named contacts on upgrade."""

from django.db import migrations

from promzona.demo.accounts import DEMO_ZONE_SLUG
from promzona.demo.contacts import CONTACTS


def forwards(apps, schema_editor):
    Zone = apps.get_model("zones", "Zone")
    Contact = apps.get_model("enquiries", "Contact")
    for zone in Zone.objects.filter(slug=DEMO_ZONE_SLUG, is_illustrative=True):
        if not Contact.objects.filter(zone=zone).exists():
            Contact.objects.bulk_create([Contact(zone=zone, **c) for c in CONTACTS])


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
