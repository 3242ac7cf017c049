# The figures of a period (cases/indicators.py) read a period's cases through the indexes of their
# dates in one pass (SQLite: a multi-index OR); hearings and publication deadlines had none, so that
# pass scanned the whole table.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_publication")]
    operations = [
        migrations.AddIndex(model_name="case", index=models.Index(fields=["hearing_on"], name="case_hearing_on")),
        migrations.AddIndex(model_name="case", index=models.Index(fields=["publish_due"], name="case_publish_due")),
    ]
