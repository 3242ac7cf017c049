"""案件类别 (a reference table a bureau can extend), the number formats of cases and their documents, and
the publication rules of Order 45 (市场监督管理行政处罚信息公示规定)."""

import datetime as dt

from django.db import migrations

CATEGORIES = [
    ("food", "食品"), ("drug", "药品"), ("cosmetic", "化妆品"), ("device", "医疗器械"), ("special_equipment", "特种设备"),
    ("product_quality", "产品质量"), ("metrology", "计量"), ("standardisation", "标准化"), ("certification", "认证认可"),
    ("price", "价格"), ("advertising", "广告"), ("unfair_competition", "反不正当竞争"), ("trademark", "商标"),
    ("patent", "专利"), ("online_trade", "网络交易"), ("consumer_rights", "消费者权益保护"), ("registration", "登记注册"),
    ("other", "其他"),
]
FORMATS = [
    ("case", "行政处罚案件编号", "市监立〔{year}〕{n}号"),
    ("case_filing_approval", "立案审批表", "市监立审〔{year}〕{n}号"),
    ("lead_not_filing_approval", "不予立案审批表", "市监不立〔{year}〕{n}号"),
    ("penalty_notice", "行政处罚告知书", "市监罚告〔{year}〕{n}号"),
    ("hearing_notice", "听证告知书", "市监听告〔{year}〕{n}号"),
    ("penalty_decision", "行政处罚决定书", "市监处罚〔{year}〕{n}号"),
    ("no_penalty_decision", "不予行政处罚决定书", "市监不罚〔{year}〕{n}号"),
    ("case_closing_approval", "结案审批表", "市监结〔{year}〕{n}号"),
]
ORDER_45 = "《市场监督管理行政处罚信息公示规定》（总局令第45号）"
SINCE = dt.date(2021, 9, 1)
RULES = [
    ("cases.min_officers", "办案人员（持有效执法证）的最少人数", "2", "count", "《中华人民共和国行政处罚法》第四十二条"),
    ("cases.publish_light_months", "警告、通报批评或较低数额罚款的公示期（月）", "3", "month", ORDER_45),
    ("cases.publish_months", "其他行政处罚信息的公示期（月）", "36", "month", ORDER_45),
    ("cases.publish_light_fine_limit", "公示期按3个月计的“较低数额罚款”上限（元）", "3000", "amount",
     f"{ORDER_45}；数额由省级市场监管部门确定，本地标准不同时新增版本"),
    ("cases.withdraw_working_days", "处罚决定被撤销后撤下公示信息的期限", "3", "working_day", ORDER_45),
]


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "CaseCategory")
    Format = apps.get_model("core", "DocumentNumberFormat")
    Rule = apps.get_model("core", "Rule")
    for order, (code, name) in enumerate(CATEGORIES, 1):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for kind, label, pattern in FORMATS:
        Format.objects.get_or_create(kind=kind, defaults={"label": label, "pattern": pattern})
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=SINCE, defaults={"label": label, "value": value, "unit": unit, "source_document": source})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__in=[r[0] for r in RULES]).delete()
    apps.get_model("core", "DocumentNumberFormat").objects.filter(kind__in=[f[0] for f in FORMATS]).delete()
    apps.get_model("cases", "CaseCategory").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_cases_and_leads"), ("core", "0008_schedule")]
    operations = [migrations.RunPython(seed, unseed)]
