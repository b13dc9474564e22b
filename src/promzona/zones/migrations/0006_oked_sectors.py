"""Ship the OKED sectors (``promzona.zones.oked``) with every database, not only the demo's."""

from django.db import migrations


def add_sectors(apps, schema_editor):
    from promzona.zones import oked

    Sector = apps.get_model("zones", "Sector")
    db = schema_editor.connection.alias
    present = set(Sector.objects.using(db).values_list("code", flat=True))
    Sector.objects.using(db).bulk_create([Sector(code=code, name_ru=ru, name_kk=kk, name_en=en)
                                for code, ru, kk, en in oked.missing(present)])


class Migration(migrations.Migration):

    dependencies = [
        ("zones", "0005_translated_contacts_and_verbose_names"),
    ]

    # Reversing keeps the rows: plots and applications may name them.
    operations = [migrations.RunPython(add_sectors, migrations.RunPython.noop)]
