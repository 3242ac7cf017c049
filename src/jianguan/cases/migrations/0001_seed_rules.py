"""The statutory periods and thresholds of enforcement cases, as versioned rules (DOMAIN.md, Enforcement
cases): SAMR Order 2 (市场监督管理行政处罚程序规定, as amended 2021/2022) and the Administrative Penalty Law
(行政处罚法, revised 2021, in force 2021-07-15). An administrator adds a version when a rule changes."""

import datetime as dt

from django.db import migrations

SINCE = dt.date(2021, 7, 15)
ORDER_2 = "《市场监督管理行政处罚程序规定》（总局令第2号，2021年、2022年修订）"
PENALTY_LAW = "《中华人民共和国行政处罚法》（2021年修订）"
RULES = [
    ("cases.lead_decision_working_days", "线索核查、决定是否立案的期限", "15", "working_day", ORDER_2),
    ("cases.lead_extension_working_days", "立案期限经批准延长一次的天数", "15", "working_day", ORDER_2),
    ("cases.decision_days", "自立案之日起作出处理决定的期限", "90", "calendar_day", ORDER_2),
    ("cases.decision_extension_days", "处理期限经批准延长的天数", "30", "calendar_day", ORDER_2),
    ("cases.preservation_working_days", "先行登记保存后作出处理决定的期限", "7", "working_day", ORDER_2),
    ("cases.seizure_days", "查封、扣押的期限", "30", "calendar_day", "《中华人民共和国行政强制法》第二十五条"),
    ("cases.seizure_extension_days", "查封、扣押经批准延长的天数", "30", "calendar_day", "《中华人民共和国行政强制法》第二十五条"),
    ("cases.review_working_days", "法制审核期限", "10", "working_day", ORDER_2),
    ("cases.statement_working_days", "当事人陈述、申辩或要求听证的期限（自收到告知书）", "5", "working_day",
     f"{PENALTY_LAW}第六十四条；{ORDER_2}"),
    ("cases.hearing_notice_working_days", "举行听证前通知当事人的提前天数", "7", "working_day", f"{PENALTY_LAW}第六十四条；{ORDER_2}"),
    ("cases.hearing_fine_person", "听证：对自然人罚款的较大数额", "10000", "amount",
     "《市场监督管理行政处罚听证办法》（地方另有规定的，按地方标准新增版本）"),
    ("cases.hearing_fine_organisation", "听证：对法人或其他组织罚款的较大数额", "100000", "amount",
     "《市场监督管理行政处罚听证办法》（地方另有规定的，按地方标准新增版本）"),
    ("cases.simple_fine_person", "简易程序：对自然人罚款的上限", "200", "amount", f"{PENALTY_LAW}第五十一条"),
    ("cases.simple_fine_organisation", "简易程序：对法人或其他组织罚款的上限", "3000", "amount", f"{PENALTY_LAW}第五十一条"),
    ("cases.simple_filing_working_days", "简易程序当场处罚决定书报所属机关备案的期限", "7", "working_day", ORDER_2),
    ("cases.payment_days", "当事人缴纳罚款的期限（自收到决定书）", "15", "calendar_day", f"{PENALTY_LAW}第六十七条"),
    ("cases.surcharge_daily_ratio", "到期不缴纳罚款，每日加处罚款的比例", "0.03", "ratio", f"{PENALTY_LAW}第七十二条"),
    ("cases.closing_working_days", "执行完毕后结案的期限", "15", "working_day", ORDER_2),
    ("cases.publish_working_days", "行政处罚决定作出后公示的期限", "20", "working_day",
     "《市场监督管理行政处罚信息公示规定》（总局令第45号）"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=SINCE, defaults={"label": label, "value": value, "unit": unit, "source_document": source})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="cases.").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_chain_head")]
    operations = [migrations.RunPython(seed, unseed)]
