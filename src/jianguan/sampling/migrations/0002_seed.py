"""The periods of sampling as versioned rules (SAMR Order 15, 食品安全抽样检验管理办法, as amended 2022) and
the reference tables: 食品大类 of the national sampling classification (国家食品安全监督抽检实施细则) plus
食用农产品, and the 业态 of the sampled business. An administrator adds a rule version when a period
changes, and disables (never deletes) a reference row."""

import datetime as dt

from django.db import migrations

SINCE = dt.date(2019, 10, 1)
ORDER_15 = "《食品安全抽样检验管理办法》（总局令第15号，2022年修订）"
RULES = [
    ("sampling.send_working_days", "抽样后将样品送达检验机构的期限", "5", "working_day", ORDER_15),
    ("sampling.report_working_days", "检验机构自收到样品之日起出具检验报告的期限", "20", "working_day", f"{ORDER_15}第二十七条"),
    ("sampling.service_working_days", "自收到不合格检验结论之日起送达被抽样单位的期限", "5", "working_day", f"{ORDER_15}第三十二条"),
    ("sampling.retest_working_days", "被抽样单位自收到检验结论之日起申请复检的期限", "7", "working_day", f"{ORDER_15}第三十五条"),
    ("sampling.objection_working_days", "被抽样单位对抽样过程、样品真实性或检验方法提出异议的期限", "7", "working_day", f"{ORDER_15}第四十三条"),
    ("sampling.disposal_days", "自收到不合格检验结论之日起完成核查处置的期限", "90", "calendar_day", f"{ORDER_15}第四十七条"),
    ("sampling.per_thousand_target", "食品抽检量目标（批次/千人·年）", "4", "ratio", "《关于深化改革加强食品安全工作的意见》"),
]
# (code, name): the 大类 of the national sampling classification, in its order; 食用农产品 last.
FOOD_CATEGORIES = [
    "粮食加工品", "食用油、油脂及其制品", "调味品", "肉制品", "乳制品", "饮料", "方便食品", "饼干", "罐头", "冷冻饮品",
    "速冻食品", "薯类和膨化食品", "糖果制品", "茶叶及相关制品", "酒类", "蔬菜制品", "水果制品", "炒货食品及坚果制品",
    "蛋制品", "可可及焙烤咖啡产品", "食糖", "水产制品", "淀粉及淀粉制品", "糕点", "豆制品", "蜂产品", "保健食品",
    "特殊膳食食品", "婴幼儿配方食品", "特殊医学用途配方食品", "餐饮食品", "食品添加剂", "其他食品", "食用农产品",
]
FORMATS = ["生产", "批发", "超市", "农贸市场", "食杂店", "餐饮", "学校食堂", "网络销售", "其他"]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=SINCE, defaults={"label": label, "value": value, "unit": unit, "source_document": source})
    FoodCategory = apps.get_model("sampling", "FoodCategory")
    for n, name in enumerate(FOOD_CATEGORIES, 1):
        FoodCategory.objects.get_or_create(code=f"{n:02d}", defaults={"name": name, "order": n})
    BusinessFormat = apps.get_model("sampling", "BusinessFormat")
    for n, name in enumerate(FORMATS, 1):
        BusinessFormat.objects.get_or_create(code=f"{n:02d}", defaults={"name": name, "order": n})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="sampling.").delete()


class Migration(migrations.Migration):
    dependencies = [("sampling", "0001_initial"), ("core", "0004_audit_chain_head")]
    operations = [migrations.RunPython(seed, unseed)]
