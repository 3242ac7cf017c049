"""The reference tables of the licence register — 许可种类 and 主体业态 — and the expiry warning as a versioned rule.
The kinds that the register knew before (食品经营许可证 …) keep their codes, so spot-check pools that name them
still do. An administrator adds rows, and disables (never deletes) them."""

import datetime as dt

from django.db import migrations

# (code, name, domain, item codes kept as a catalogue)
KINDS = [
    ("food_production", "食品生产许可证", "food", False),
    ("food_business", "食品经营许可证", "food", False),
    ("food_prepack_filing", "仅销售预包装食品备案", "food", False),
    ("food_workshop", "食品小作坊登记", "food", False),
    ("food_small", "小餐饮/食品摊贩登记", "food", False),
    ("drug_production", "药品生产许可证", "drug", False),
    ("drug_wholesale", "药品经营许可证（批发）", "drug", False),
    ("drug_chain", "药品经营许可证（零售连锁）", "drug", False),
    ("drug_retail", "药品经营许可证（零售）", "drug", False),
    ("device_production", "医疗器械生产许可证", "device", False),
    ("device_class2_filing", "第二类医疗器械经营备案", "device", False),
    ("medical_device", "第三类医疗器械经营许可证", "device", False),
    ("cosmetic_production", "化妆品生产许可证", "cosmetic", False),
    ("industrial_product", "工业产品生产许可证", "industrial", False),
    ("special_equipment", "特种设备生产许可证", "special_equipment", True),
    ("other", "其他许可", "other", False),
]
# (code, name, domain, canteen)
SECTORS = [
    ("food_production", "食品生产", "food", ""),
    ("food_workshop", "食品小作坊", "food", ""),
    ("supermarket", "超市", "food", ""),
    ("convenience", "便利店", "food", ""),
    ("grocery", "食杂店", "food", ""),
    ("food_wholesale", "食品批发", "food", ""),
    ("market", "农贸市场", "food", ""),
    ("catering_large", "大型餐饮", "food", ""),
    ("catering_medium", "中型餐饮", "food", ""),
    ("catering_small", "小型餐饮", "food", ""),
    ("snack_stall", "小餐饮/食品摊贩", "food", ""),
    ("school_canteen", "学校食堂", "food", "school"),
    ("kindergarten_canteen", "托幼机构食堂", "food", "school"),
    ("care_canteen", "养老机构食堂", "food", "other"),
    ("unit_canteen", "单位食堂", "food", "other"),
    ("central_kitchen", "中央厨房", "food", ""),
    ("group_catering", "集体用餐配送", "food", ""),
    ("online", "网络经营", "food", ""),
    ("drug_production", "药品生产", "drug", ""),
    ("drug_wholesale", "药品批发", "drug", ""),
    ("drug_chain", "药品零售连锁", "drug", ""),
    ("drug_retail", "药品零售", "drug", ""),
    ("medical_institution", "医疗机构", "drug", ""),
    ("device_production", "医疗器械生产", "device", ""),
    ("device_trade", "医疗器械经营", "device", ""),
    ("cosmetic_production", "化妆品生产", "cosmetic", ""),
    ("cosmetic_trade", "化妆品经营", "cosmetic", ""),
    ("industrial", "工业产品生产", "industrial", ""),
    ("special_equipment", "特种设备生产", "special_equipment", ""),
    ("other", "其他", "other", ""),
]
RULES = [
    ("licences.expiry_warning_days", "许可证到期预警提前天数", "90", "calendar_day",
     "《食品经营许可和备案管理办法》第四十三条（有效期届满三十个工作日前申请延续）；本局工作安排"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=dt.date(2020, 1, 1),
                                   defaults={"label": label, "value": value, "unit": unit, "source_document": source})
    LicenceKind = apps.get_model("licences", "LicenceKind")
    for n, (code, name, domain, catalogue) in enumerate(KINDS, 1):
        LicenceKind.objects.get_or_create(code=code, defaults={"name": name, "order": n, "domain": domain, "has_item_codes": catalogue})
    Sector = apps.get_model("licences", "Sector")
    for n, (code, name, domain, canteen) in enumerate(SECTORS, 1):
        Sector.objects.get_or_create(code=code, defaults={"name": name, "order": n, "domain": domain, "canteen": canteen})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__startswith="licences.").delete()


class Migration(migrations.Migration):
    dependencies = [("licences", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
