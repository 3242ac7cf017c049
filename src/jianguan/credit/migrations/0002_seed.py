"""The periods of credit supervision and the weights of the credit risk class as versioned rules, and
the number formats of its decisions. An administrator adds a rule version when a number changes.

Sources as we know them (DOMAIN.md, Credit): the filing window and the 3-year escalation are statute
(企业信息公示暂行条例); the 10 and 5 working days of listing and removal, the periods of Order 44 and of
the credit-repair measures are marked unverified there. The risk weights and cut-offs are the bureau's
own choice under the 2022 SAMR opinion on credit risk classification, not national numbers."""

import datetime as dt

from django.db import migrations

DISCLOSURE = "《企业信息公示暂行条例》"
ABNORMAL = "《企业经营异常名录管理暂行办法》"
ORDER_44 = "《市场监督管理严重违法失信名单管理办法》（总局令第44号）"
REPAIR = "《市场监督管理信用修复管理办法》"
RISK = "《关于推进企业信用风险分类管理进一步提升监管效能的意见》（国市监信发〔2022〕6号）；分值与分界为本局设定"
RULES = [
    ("credit.annual_report_deadline_months", "年度报告报送期限：自次年1月1日起的月数（6 即至6月30日）", "6", "month",
     f"{DISCLOSURE}第八条", dt.date(2014, 10, 1)),
    ("credit.abnormal_decision_working_days", "提出列入（标记）经营异常名录后作出决定的期限", "10", "working_day", ABNORMAL,
     dt.date(2014, 10, 1)),
    ("credit.abnormal_removal_working_days", "收到移出经营异常名录申请后作出决定的期限", "5", "working_day", ABNORMAL,
     dt.date(2014, 10, 1)),
    ("credit.abnormal_escalation_months", "列入经营异常名录届满该月数仍未移出的，提出列入严重违法失信名单", "36", "month",
     f"{DISCLOSURE}第十七条", dt.date(2014, 10, 1)),
    ("credit.serious_list_months", "列入严重违法失信名单的期限（月），期满移出", "36", "month", ORDER_44, dt.date(2021, 9, 1)),
    ("credit.serious_repair_min_months", "列入严重违法失信名单满该月数后，可申请提前移出", "12", "month", ORDER_44, dt.date(2021, 9, 1)),
    ("credit.repair_decision_working_days", "受理信用修复申请后作出决定的期限", "15", "working_day", REPAIR, dt.date(2021, 9, 1)),
    ("credit.risk.lookback_months", "信用风险评分：处罚、抽检、投诉、检查等记录的回溯期（月）", "24", "month", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.no_annual_report", "信用风险评分：未报送上一年度年度报告（分）", "20", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.abnormal", "信用风险评分：列入（标记）经营异常名录，每条（分）", "30", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.serious", "信用风险评分：列入严重违法失信名单（分）", "60", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.penalty", "信用风险评分：回溯期内受到行政处罚，每件（分）", "10", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.unqualified_sample", "信用风险评分：回溯期内抽检不合格，每批次（分）", "10", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.overdue_examination", "信用风险评分：特种设备超期未检，每台（分）", "5", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.valid_complaint", "信用风险评分：回溯期内投诉举报查证属实，每件（分）", "3", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.unrectified_finding", "信用风险评分：检查发现问题逾期未整改，每项（分）", "10", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.points.new_business", "信用风险评分：成立不满规定月数的新设主体（分）", "5", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.new_business_months", "信用风险评分：新设主体的月数", "12", "month", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.cutoff_b", "信用风险分类：分值达到该数为B类（一般风险）", "10", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.cutoff_c", "信用风险分类：分值达到该数为C类（较高风险）", "30", "count", RISK, dt.date(2022, 1, 1)),
    ("credit.risk.cutoff_d", "信用风险分类：分值达到该数为D类（高风险）", "60", "count", RISK, dt.date(2022, 1, 1)),
]
FORMATS = [
    ("credit_abnormal_list", "列入经营异常名录决定书", "市监经异列〔{year}〕{n}号"),
    ("credit_abnormal_mark", "标记经营异常状态决定书", "市监经异标〔{year}〕{n}号"),
    ("credit_abnormal_remove", "移出经营异常名录决定书", "市监经异移〔{year}〕{n}号"),
    ("credit_serious_list", "列入严重违法失信名单决定书", "市监严失列〔{year}〕{n}号"),
    ("credit_serious_remove", "移出严重违法失信名单决定书", "市监严失移〔{year}〕{n}号"),
    ("credit_repair", "信用修复决定书", "市监信修〔{year}〕{n}号"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit, source, since in RULES:
        Rule.objects.get_or_create(key=key, valid_from=since, defaults={"label": label, "value": value, "unit": unit, "source_document": source})
    Format = apps.get_model("core", "DocumentNumberFormat")
    for kind, label, pattern in FORMATS:
        Format.objects.get_or_create(kind=kind, defaults={"label": label, "pattern": pattern})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="credit.").delete()
    apps.get_model("core", "DocumentNumberFormat").objects.filter(kind__in=[f[0] for f in FORMATS]).delete()


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial"), ("core", "0004_audit_chain_head")]
    operations = [migrations.RunPython(seed, unseed)]
