"""The rules of 食品安全风险分级 and of the yearly inspection plan, as versioned rules (core.Rule).

The frequencies per grade (A ≥1, B 1–2, C 2–3, D 3–4 a year) and the 24-month full inspection follow
《食品生产经营风险分级管理办法（试行）》 (原食药监总局 2016) and SAMR Order 49 as DOMAIN.md records them. The points
and the cut-offs are this bureau's working values, NOT verified against a published scoring table: they are
marked 待核实 in their source and listed as such in docs/food-risk.md. An administrator adds a version with a
later 施行日期 to change any of them.
"""

import datetime as dt

from django.db import migrations

FROM = dt.date(2020, 1, 1)
ORDER = "《食品生产经营风险分级管理办法（试行）》；DOMAIN.md“Food and drugs”"
WORKING = "本局工作取值（待核实，未经上级文件确认）"

# Static points by 许可种类 (code) and by 主体业态 (code); `default` for a kind or 业态 added later without a rule.
KIND_POINTS = {
    "food_production": 30, "food_business": 10, "food_prepack_filing": 0, "food_workshop": 20, "food_small": 10, "default": 10,
}
SECTOR_POINTS = {
    "food_production": 20, "food_workshop": 10, "supermarket": 10, "convenience": 5, "grocery": 0, "food_wholesale": 10,
    "market": 10, "catering_large": 20, "catering_medium": 15, "catering_small": 10, "snack_stall": 5,
    "school_canteen": 30, "kindergarten_canteen": 30, "care_canteen": 25, "unit_canteen": 15, "central_kitchen": 35,
    "group_catering": 35, "online": 5, "default": 10,
}
# Dynamic points: each record in the look-back, or once (see services/grading.py FACTORS).
DYNAMIC_POINTS = {
    "inspection_problems": ("检查发现问题（每次）", 5),
    "unrectified_finding": ("问题逾期未整改（每项）", 10),
    "unqualified_sample": ("抽检不合格（每批次）", 10),
    "founded_complaint": ("投诉举报查证属实（每件）", 5),
    "penalty": ("受到行政处罚（每件）", 15),
    "credit_c": ("信用风险分类为C类", 10),
    "credit_d": ("信用风险分类为D类", 20),
    "abnormal": ("列入经营异常名录（在列）", 5),
    "serious": ("列入严重违法失信名单（在列）", 20),
}
RULES = [
    ("food.risk.cutoff_b", "食品风险分级：B级分界（风险分值不低于）", "30", "count", WORKING),
    ("food.risk.cutoff_c", "食品风险分级：C级分界（风险分值不低于）", "45", "count", WORKING),
    ("food.risk.cutoff_d", "食品风险分级：D级分界（风险分值不低于）", "60", "count", WORKING),
    ("food.risk.lookback_months", "食品风险分级：动态因素回溯期", "12", "month", f"{ORDER}（上一年度监督管理情况）"),
    ("food.plan.min.A", "年度检查计划：A级最低检查次数", "1", "count", ORDER),
    ("food.plan.max.A", "年度检查计划：A级最高检查次数", "1", "count", f"{ORDER}（A级“不少于1次”，计划按1次）"),
    ("food.plan.min.B", "年度检查计划：B级最低检查次数", "1", "count", ORDER),
    ("food.plan.max.B", "年度检查计划：B级最高检查次数", "2", "count", ORDER),
    ("food.plan.min.C", "年度检查计划：C级最低检查次数", "2", "count", ORDER),
    ("food.plan.max.C", "年度检查计划：C级最高检查次数", "3", "count", ORDER),
    ("food.plan.min.D", "年度检查计划：D级最低检查次数", "3", "count", ORDER),
    ("food.plan.max.D", "年度检查计划：D级最高检查次数", "4", "count", ORDER),
    ("food.plan.full_inspection_months", "全项目监督检查周期（每家至少一次）", "24", "month", ORDER),
    *[(f"food.risk.static.kind.{code}", f"食品风险分级静态分值：许可种类 {code}", str(v), "count", WORKING)
      for code, v in KIND_POINTS.items()],
    *[(f"food.risk.static.sector.{code}", f"食品风险分级静态分值：主体业态 {code}", str(v), "count", WORKING)
      for code, v in SECTOR_POINTS.items()],
    *[(f"food.risk.points.{key}", f"食品风险分级动态分值：{label}", str(v), "count", WORKING)
      for key, (label, v) in DYNAMIC_POINTS.items()],
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=FROM,
                                   defaults={"label": label, "value": value, "unit": unit, "source_document": source})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="food.").delete()


class Migration(migrations.Migration):
    dependencies = [("food", "0001_initial"), ("core", "0003_provisional_calendar_days")]
    operations = [migrations.RunPython(seed, unseed)]
