import datetime as dt

from django.db import migrations

SINCE = dt.date(2019, 2, 15)  # 国发〔2019〕5号 部门联合“双随机、一公开”监管
RULES = [
    ("spotchecks.ratio.A", "A类（低风险）默认抽取比例", "0.03", "ratio", "本局年度抽查工作方案（按信用风险分类差异化抽查，可修改）"),
    ("spotchecks.ratio.B", "B类（一般风险）默认抽取比例", "0.05", "ratio", "本局年度抽查工作方案（可修改）"),
    ("spotchecks.ratio.C", "C类（较高风险）默认抽取比例", "0.10", "ratio", "本局年度抽查工作方案（可修改）"),
    ("spotchecks.ratio.D", "D类（高风险）默认抽取比例", "0.30", "ratio", "本局年度抽查工作方案（可修改）"),
    ("spotchecks.min_team_size", "每个抽查对象派出的最少执法人员数", "2", "count", "《中华人民共和国行政处罚法》（执法人员不得少于两人）"),
    ("spotchecks.publish_working_days", "抽查结果自产生之日起公示期限", "20", "working_day",
     "《企业信息公示暂行条例》及国发〔2019〕5号（抽查检查结果20个工作日内公示）"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    Format = apps.get_model("core", "DocumentNumberFormat")
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=SINCE, defaults={"label": label, "value": value, "unit": unit, "source_document": source})
    Format.objects.get_or_create(kind="spotcheck_task", defaults={"label": "双随机抽查任务", "pattern": "SJ{year}{n:04d}"})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="spotchecks.").delete()
    apps.get_model("core", "DocumentNumberFormat").objects.filter(kind="spotcheck_task").delete()


class Migration(migrations.Migration):
    dependencies = [("spotchecks", "0001_initial"), ("core", "0004_audit_chain_head")]
    operations = [migrations.RunPython(seed, unseed)]
