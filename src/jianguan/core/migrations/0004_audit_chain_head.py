from django.db import migrations

GENESIS = "0" * 64


def create_head(apps, schema_editor):
    """The chain head must exist before the first audit row, so parallel first writers lock one row."""
    head = apps.get_model("core", "AuditChainHead")
    head.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})


class Migration(migrations.Migration):
    dependencies = [("core", "0003_provisional_calendar_days")]

    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
