"""The case workflow: the legal review's due date, what the notice proposed and whether a hearing may be
asked for, the hearing's notification, 催告 and the court application, the simple procedure's record
(备案), the document each step issued; and the period between 催告 and the court application."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

MONEY = {"max_digits": 16, "decimal_places": 2}
RULES = [
    ("cases.court_after_reminder_working_days", "催告书送达后当事人仍未履行、可申请人民法院强制执行的期间", "10", "working_day",
     "《中华人民共和国行政强制法》第五十四条、第六十九条"),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("core", "Rule")
    for key, label, value, unit, source in RULES:
        Rule.objects.get_or_create(key=key, valid_from=dt.date(2012, 1, 1),
                                   defaults={"label": label, "value": value, "unit": unit, "source_document": source})


def unseed(apps, schema_editor):
    apps.get_model("core", "Rule").objects.filter(key__in=[r[0] for r in RULES]).delete()


def date(label):
    return models.DateField(blank=True, null=True, verbose_name=label)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_campaign_links"), ("core", "0008_schedule")]
    operations = [
        migrations.AddField("case", "review_due", date("法制审核期限")),
        migrations.AddField("case", "proposed_penalty_kinds", models.JSONField(blank=True, default=list, verbose_name="拟处罚种类")),
        migrations.AddField("case", "proposed_fine", models.DecimalField(default=0, verbose_name="拟罚款金额（元）", **MONEY)),
        migrations.AddField("case", "proposed_confiscated_income",
                            models.DecimalField(default=0, verbose_name="拟没收违法所得金额（元）", **MONEY)),
        migrations.AddField("case", "proposed_confiscated_value", models.DecimalField(default=0, verbose_name="拟没收物品货值（元）", **MONEY)),
        migrations.AddField("case", "hearing_available", models.BooleanField(default=False, verbose_name="当事人可以要求听证")),
        migrations.AddField("case", "hearing_notified_on", date("听证通知日期")),
        migrations.AddField("case", "hearing_scheduled_on", date("通知举行听证日期")),
        migrations.AddField("case", "reminded_on", date("催告日期")),
        migrations.AddField("case", "court_applied_on", date("申请法院强制执行日期")),
        migrations.AddField("case", "record_due", date("备案期限")),
        migrations.AddField("case", "recorded_on", date("备案日期")),
        migrations.AddField("casestep", "document", models.ForeignKey(
            blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="core.issueddocument",
            verbose_name="文书")),
        migrations.RunPython(seed, unseed),
    ]
