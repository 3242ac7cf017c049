import datetime as dt

from django.db import migrations

from jianguan.inspections.checklists import BUILTIN

RULES = [
    ("inspections.min_inspectors", "本局实施的监督检查最少执法人员人数", "2", "count", dt.date(1996, 10, 1),
     "《中华人民共和国行政处罚法》（执法人员不得少于两人：1996年版第三十七条，2021年修订版第四十二条）"),
    ("inspections.recheck_working_days", "收到整改报告后完成复查的期限", "10", "working_day", dt.date(2000, 1, 1),
     "本局隐患整改闭环工作规范（可按新规定增加版本）"),
    ("inspections.attachment_max_kb", "检查附件（照片、PDF）单个文件大小上限（KB）", "10240", "count", dt.date(2000, 1, 1),
     "本系统设置"),
]
FORMATS = [
    ("inspection", "监督检查记录", "JC{year}{n:06d}"),
    ("rectification_notice", "责令整改通知书", "市监责改〔{year}〕{n}号"),
    ("supervision_order", "特种设备安全监察指令书", "市监特指〔{year}〕{n}号"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    Format = apps.get_model("core", "DocumentNumberFormat")
    Checklist = apps.get_model("inspections", "Checklist")
    Item = apps.get_model("inspections", "ChecklistItem")
    for key, label, value, unit, since, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=since, defaults={"label": label, "value": value, "unit": unit, "source_document": source})
    for kind, label, pattern in FORMATS:
        Format.objects.get_or_create(kind=kind, defaults={"label": label, "pattern": pattern})
    for code, name, applies_to, items in BUILTIN:
        checklist = Checklist.objects.create(code=code, name=name, applies_to=applies_to, version=1)
        for n, (point, basis, serious) in enumerate(items, 1):
            Item.objects.create(checklist=checklist, order=n, point=point, legal_basis=basis, serious=serious)


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="inspections.").delete()
    apps.get_model("core", "DocumentNumberFormat").objects.filter(kind__in=[f[0] for f in FORMATS]).delete()
    apps.get_model("inspections", "ChecklistItem").objects.all().delete()
    apps.get_model("inspections", "Checklist").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("core", "0004_audit_chain_head")]
    operations = [migrations.RunPython(seed, unseed)]
