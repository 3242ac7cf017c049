"""The 督导 frequency of each cadre level as versioned rules. The values are the lead's reading of the 2022
包保 rules (《关于建立健全分层级精准化防控末端发力终端见效工作机制推动食品安全属地管理责任落地落实的意见》 and the
企业主体责任 rules of the same year): unverified — a bureau corrects them by adding a version."""

import datetime as dt

from django.db import migrations

SOURCE = "2022年食品安全“两个责任”包保工作机制（本局理解，待核实）"
RULES = [
    ("baobao.supervision_months.county", "县级包保干部督导频次（月）", "3"),
    ("baobao.supervision_months.township", "乡镇级包保干部督导频次（月）", "1"),
    ("baobao.supervision_months.village", "村级包保干部督导频次（月）", "1"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value in RULES:
        Rule.objects.get_or_create(key=key, valid_from=dt.date(2022, 1, 1),
                                   defaults={"label": label, "value": value, "unit": "month", "source_document": SOURCE,
                                             "note": "未经核实：按层级每若干个月至少督导1次"})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="baobao.").delete()


class Migration(migrations.Migration):
    dependencies = [("baobao", "0001_initial"), ("core", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
