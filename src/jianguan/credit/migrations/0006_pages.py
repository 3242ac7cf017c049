"""One open abnormal-list entry per business and reason (and report year) as two partial unique constraints,
so that SQLite enforces it too (it has no NULLS NOT DISTINCT)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("credit", "0005_risk")]
    operations = [
        migrations.RemoveConstraint(model_name="abnormalentry", name="uniq_open_abnormal_entry"),
        migrations.AddConstraint(
            model_name="abnormalentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["proposed", "listed"]), ("report_year__isnull", False)),
                fields=("business", "reason", "report_year"), name="uniq_open_abnormal_entry"),
        ),
        migrations.AddConstraint(
            model_name="abnormalentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["proposed", "listed"]), ("report_year__isnull", True)),
                fields=("business", "reason"), name="uniq_open_abnormal_entry_no_year"),
        ),
    ]
