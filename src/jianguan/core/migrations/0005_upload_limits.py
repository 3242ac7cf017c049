"""Upload limits of the web import (and of every ledger file read) as versioned rules."""

import datetime as dt

from django.db import migrations

SINCE = dt.date(2020, 1, 1)  # in force for every file, whatever its date
RULES = [
    ("imports.upload_max_mb", "导入文件大小上限（MB）", "20", "count", "本局信息系统安全要求（防止超大文件占满服务器，可修改）"),
    ("imports.xlsx_uncompressed_max_mb", "Excel 文件解压后大小上限（MB）", "200", "count",
     "本局信息系统安全要求（.xlsx 为压缩文件，防止“压缩炸弹”，可修改）"),
    ("imports.cell_max_chars", "单元格内容长度上限（字符）", "32767", "count", "Microsoft Excel 规格：单元格最多 32767 个字符"),
    ("imports.unconfirmed_keep_hours", "未确认的导入文件保留时长（小时）", "24", "count",
     "本局信息系统安全要求（上传后未确认导入的文件到期删除，可修改）"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(
            key=key, valid_from=SINCE, defaults={"label": label, "value": value, "unit": unit, "source_document": source}
        )


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__in=[key for key, *_ in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_chain_head")]

    operations = [migrations.RunPython(seed, unseed)]
