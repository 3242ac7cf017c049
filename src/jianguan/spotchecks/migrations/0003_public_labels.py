# Public draw record labels: the random labels, fixed at locking, that name strata (credit risk
# classes) and inspectors in the public record (spotchecks/labels.py). Tasks locked before this
# have none: their record names classes and certificate numbers and is shown to staff only.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("spotchecks", "0002_seed_rules")]

    operations = [
        migrations.AddField(
            model_name="task",
            name="labels",
            field=models.JSONField(blank=True, null=True, verbose_name="公开记录代号"),
        ),
    ]
