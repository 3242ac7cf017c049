import datetime as dt

from django.db import migrations

SINCE = dt.date(2020, 1, 1)
SOURCE = "《信息安全技术 网络安全等级保护基本要求》（GB/T 22239—2019）身份鉴别：登录失败处理（本局可调整）"
RULES = [
    ("org.login_failure_limit", "登录失败锁定：连续失败次数（同一账号、同一地址）", "5", "count"),
    # unit "count" = minutes: the rule table has no minute unit, the label says so
    ("org.login_lockout_minutes", "登录失败锁定：锁定时长及失败计数时段（分钟）", "15", "count"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit in RULES:
        Rule.objects.get_or_create(
            key=key, valid_from=SINCE, defaults={"label": label, "value": value, "unit": unit, "source_document": SOURCE}
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__in=[key for key, *_ in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0002_user_cert_no_user_cert_valid_until"), ("core", "0004_audit_chain_head")]

    operations = [migrations.RunPython(seed, unseed)]
