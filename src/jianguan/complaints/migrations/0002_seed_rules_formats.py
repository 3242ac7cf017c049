import datetime as dt

from django.db import migrations

ORDER_20 = "《市场监督管理投诉举报处理暂行办法》（国家市场监督管理总局令第20号）"
ORDER_20_FROM = dt.date(2020, 1, 1)
# Order 121 replaced Order 20 on 2026-04-15; its periods are not yet verified, so the Order 20 values
# stay in force here until an administrator adds a version (valid_from 2026-04-15) with the new ones.
RULES = [
    ("complaints.accept_working_days", "投诉：收到投诉后作出受理或不予受理决定的期限", "7", "working_day", ORDER_20_FROM,
     ORDER_20),
    ("complaints.mediation_working_days", "投诉：自受理之日起调解未达成协议即终止调解的期限（检测鉴定时间不计）", "45", "working_day",
     ORDER_20_FROM, ORDER_20),
    ("complaints.notify_working_days", "投诉：终止调解后告知投诉人和被投诉人的期限", "7", "working_day", ORDER_20_FROM,
     ORDER_20),
    ("reports.filing_working_days", "举报：收到举报后核查并作出是否立案决定的期限", "15", "working_day", ORDER_20_FROM,
     f"{ORDER_20}；《市场监督管理行政处罚程序规定》第十八条"),
    ("reports.filing_extension_working_days", "举报：特殊情况经批准可延长立案决定期限（限一次）", "15", "working_day", ORDER_20_FROM,
     f"{ORDER_20}；《市场监督管理行政处罚程序规定》第十八条"),
    ("reports.notify_working_days", "举报：作出是否立案决定后告知具名举报人的期限", "5", "working_day", ORDER_20_FROM,
     ORDER_20),
    ("complaints.duplicate_window_hours", "同一人对同一对象的相同诉求在此小时数内再次登记时标记为疑似重复", "24", "count",
     dt.date(2000, 1, 1), "本系统设置"),
    ("complaints.content_max_chars", "诉求内容最大字数", "2000", "count", dt.date(2000, 1, 1), "本系统设置"),
]
FORMATS = [("complaint", "投诉举报登记编号（本平台登记）", "TJ{year}{n:07d}")]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    Format = apps.get_model("core", "DocumentNumberFormat")
    for key, label, value, unit, since, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=since, defaults={"label": label, "value": value, "unit": unit, "source_document": source})
    for kind, label, pattern in FORMATS:
        Format.objects.get_or_create(kind=kind, defaults={"label": label, "pattern": pattern})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__in=[r[0] for r in RULES]).delete()
    apps.get_model("core", "DocumentNumberFormat").objects.filter(kind__in=[f[0] for f in FORMATS]).delete()


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("core", "0004_audit_chain_head")]
    operations = [migrations.RunPython(seed, unseed)]
