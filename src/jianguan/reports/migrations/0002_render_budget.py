# The render budget of report templates as versioned rules (issue 12: a 10^5 x 10^5 loop ran unbounded).
import datetime as dt

from django.db import migrations

SINCE = dt.date(2000, 1, 1)  # in force for every report, whatever its period
SOURCE = "本系统运行参数（防止模板失控占用服务器，可修改）"
RULES = [
    ("reports.render_max_iterations", "报表模板渲染：循环次数上限（每次渲染合计）", "100000", "count"),
    ("reports.render_max_output", "报表模板渲染：输出及单个值的字数上限", "1000000", "count"),
    ("reports.render_max_ms", "报表模板渲染：时间上限（毫秒）", "2000", "count"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit in RULES:
        Rule.objects.get_or_create(key=key, valid_from=SINCE, defaults={"label": label, "value": value, "unit": unit,
                                                                        "source_document": SOURCE})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial"), ("core", "0004_audit_chain_head")]

    operations = [migrations.RunPython(seed, unseed)]
