# Backups: the retention of the daily backup as a versioned rule (backups themselves are files, each
# described by its own manifest; a row here would not be in the backup it describes).
import datetime as dt

from django.db import migrations

SINCE = dt.date(2020, 1, 1)


def seed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.get_or_create(
        key="backup.keep_days", valid_from=SINCE,
        defaults={"label": "每日备份保留天数", "value": "30", "unit": "calendar_day",
                  "source_document": "本局数据备份制度（可修改；超过天数的每日备份自动删除，最新一份始终保留）"},
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key="backup.keep_days").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_documents")]

    operations = [migrations.RunPython(seed, unseed)]
