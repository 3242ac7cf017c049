"""The to-do home's 即将到期 window, a versioned rule (the pages of every app read it through
jianguan.core.panels.due_soon_until). Seeded here because core's migration chain is reserved."""

import datetime as dt

from django.db import migrations

KEY = "workbench.due_soon_days"
SINCE = dt.date(2014, 1, 1)  # before any record the bureau keeps


def seed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.get_or_create(
        key=KEY,
        valid_from=SINCE,
        defaults={
            "label": "工作台“即将到期”提醒期（距期限天数，含当日）",
            "value": "3",
            "unit": "calendar_day",
            # The lists colour a clock amber from 3 days before its deadline; the to-do counts match them.
            "source_document": "本局设置（与各清单“即将到期”标识一致，可修改）",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("businesses", "0006_credit_risk_class"), ("core", "0004_audit_chain_head")]
    operations = [migrations.RunPython(seed, unseed)]
