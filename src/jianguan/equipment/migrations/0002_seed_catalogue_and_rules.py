import datetime as dt

from django.db import migrations

from jianguan.equipment.catalogue import CATALOGUE, EXAM_CYCLE_MONTHS, RULES

SINCE = dt.date(2014, 10, 30)  # 特种设备目录 (质检总局 2014年第114号公告)


def seed(apps, schema_editor):
    Entry = apps.get_model("equipment", "CatalogueEntry")
    Rule = apps.get_model("core", "Rule")
    by_code = {}
    for code, name, parent, registrable in CATALOGUE:
        level = "type" if parent is None else ("category" if by_code[parent].level == "type" else "variety")
        rule_key = f"equipment.exam_cycle.{code}" if code in EXAM_CYCLE_MONTHS else ""
        by_code[code] = Entry.objects.create(
            code=code, name=name, level=level, parent=by_code.get(parent), registrable=registrable, exam_cycle_rule=rule_key
        )
    for code, (months, source) in EXAM_CYCLE_MONTHS.items():
        Rule.objects.create(
            key=f"equipment.exam_cycle.{code}",
            label=f"{by_code[code].name}定期检验周期（估算用）",
            value=str(months),
            unit="month",
            valid_from=SINCE,
            source_document=source,
        )
    for key, label, value, unit, source in RULES:
        Rule.objects.create(key=key, label=label, value=value, unit=unit, valid_from=SINCE, source_document=source)


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="equipment.").delete()
    apps.get_model("equipment", "CatalogueEntry").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("equipment", "0001_initial"), ("core", "0004_audit_chain_head")]
    operations = [migrations.RunPython(seed, unseed)]
