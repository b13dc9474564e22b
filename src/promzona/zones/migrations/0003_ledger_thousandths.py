"""The capacity ledger in exact thousandths (issue 11, finding 3).

Capacity, committed and commitment amounts move from decimal columns (floating point on SQLite)
to whole numbers of thousandths. Each value is copied rounded to its three decimals, which
undoes the float drift SQLite left behind (31.999999999999993 becomes 32.000), and each
source's ``committed`` is recomputed as the sum of its active commitments — the ledger's
definition — before the check constraints return. It cannot be unapplied (restore a backup
taken before it instead).
"""

from decimal import Decimal

import django.core.validators
from django.db import migrations, models
from django.db.models import Sum

import promzona.zones.fields

THREE = Decimal("0.001")


def to_thousandths(apps, schema_editor):
    db = schema_editor.connection.alias  # the database being migrated
    Source = apps.get_model("zones", "UtilitySource")
    Commitment = apps.get_model("zones", "CapacityCommitment")
    for c in Commitment.objects.using(db).all().iterator():
        c.amount_exact = c.amount.quantize(THREE)
        c.save(update_fields=["amount_exact"])
    for s in Source.objects.using(db).all().iterator():
        active = Commitment.objects.using(db).filter(source=s, status="active").aggregate(t=Sum("amount_exact"))
        s.capacity_exact = s.capacity.quantize(THREE)
        s.committed_exact = active["t"] or Decimal("0")
        s.save(update_fields=["capacity_exact", "committed_exact"])


CONSTRAINTS = [
    ("capacitycommitment", models.CheckConstraint(
        condition=models.Q(("amount__gt", 0)), name="commitment_amount_positive")),
    ("utilitysource", models.CheckConstraint(
        condition=models.Q(("capacity__gte", 0)), name="source_capacity_non_negative")),
    ("utilitysource", models.CheckConstraint(
        condition=models.Q(("committed__gte", 0)), name="source_committed_non_negative")),
    ("utilitysource", models.CheckConstraint(
        condition=models.Q(("committed__lte", models.F("capacity"))),
        name="source_committed_within_capacity")),
]

NON_NEGATIVE = [django.core.validators.MinValueValidator(Decimal("0"))]
CAPACITY_HELP = "In the kind's unit: kW, m³/day, Gcal/h or m³/h."


class Migration(migrations.Migration):

    dependencies = [
        ("zones", "0002_code_character_set"),
    ]

    operations = [
        *[migrations.RemoveConstraint(model, c.name) for model, c in CONSTRAINTS],
        migrations.AddField(
            "capacitycommitment", "amount_exact",
            promzona.zones.fields.ThousandthsField(null=True, verbose_name="amount"),
        ),
        migrations.AddField(
            "utilitysource", "capacity_exact",
            promzona.zones.fields.ThousandthsField(null=True, verbose_name="capacity"),
        ),
        migrations.AddField(
            "utilitysource", "committed_exact",
            promzona.zones.fields.ThousandthsField(null=True, verbose_name="committed"),
        ),
        migrations.RunPython(to_thousandths),
        migrations.RemoveField("capacitycommitment", "amount"),
        migrations.RemoveField("utilitysource", "capacity"),
        migrations.RemoveField("utilitysource", "committed"),
        migrations.RenameField("capacitycommitment", "amount_exact", "amount"),
        migrations.RenameField("utilitysource", "capacity_exact", "capacity"),
        migrations.RenameField("utilitysource", "committed_exact", "committed"),
        migrations.AlterField(
            "capacitycommitment", "amount",
            promzona.zones.fields.ThousandthsField(verbose_name="amount"),
        ),
        migrations.AlterField(
            "utilitysource", "capacity",
            promzona.zones.fields.ThousandthsField(
                help_text=CAPACITY_HELP, validators=NON_NEGATIVE, verbose_name="capacity"),
        ),
        migrations.AlterField(
            "utilitysource", "committed",
            promzona.zones.fields.ThousandthsField(
                default=Decimal("0"), editable=False, verbose_name="committed"),
        ),
        *[migrations.AddConstraint(model, c) for model, c in CONSTRAINTS],
    ]
