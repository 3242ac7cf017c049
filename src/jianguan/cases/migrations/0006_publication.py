"""Publication (Order 45): the minimum period before a publication may end early on credit repair
(提前停止公示). The credit-repair measures allow it on application once the conditions are met; the
bureau reads them with a minimum of one year after publication for the 3-year publications (the
3-month ones end by themselves), which a later version of the rule may change."""

import datetime as dt

from django.db import migrations

SINCE = dt.date(2021, 9, 1)
SOURCE = "《市场监督管理行政处罚信息公示规定》（总局令第45号）；《市场监督管理信用修复管理办法》（国市监信规〔2021〕3号）"
RULES = [
    ("cases.publish_early_end_min_months", "提前停止公示（信用修复）前的最短公示期（月）", "12", "month", SOURCE),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=SINCE, defaults={"label": label, "value": value, "unit": unit, "source_document": source})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_workflow")]
    operations = [migrations.RunPython(seed, unseed)]
