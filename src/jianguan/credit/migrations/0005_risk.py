"""Credit risk class: the runs of the monthly scoring and the history of each business's effective class
(so that credit.risk_class can be counted as of a date)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CLASSES = [("A", "A类（低风险）"), ("B", "B类（一般风险）"), ("C", "C类（较高风险）"), ("D", "D类（高风险）")]


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0004_lists"),
        ("businesses", "0007_seed_due_soon_rule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="riskscore", name="signature",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="因素摘要"),
        ),
        migrations.CreateModel(
            name="RiskRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("run_on", models.DateField(db_index=True, verbose_name="评分日期")),
                ("finished_at", models.DateTimeField(auto_now_add=True, verbose_name="完成时间")),
                ("seconds", models.FloatField(default=0, verbose_name="用时（秒）")),
                ("scored", models.PositiveIntegerField(default=0, verbose_name="评分主体数")),
                ("scores_written", models.PositiveIntegerField(default=0, verbose_name="评分变动数")),
                ("classes_changed", models.PositiveIntegerField(default=0, verbose_name="分类变动数")),
                ("counts", models.JSONField(default=dict, verbose_name="各类主体数")),
                ("run_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                             to=settings.AUTH_USER_MODEL, verbose_name="执行人")),
                ("last_business_id", models.BigIntegerField(default=0, verbose_name="评分时最大主体编号")),
            ],
            options={"verbose_name": "信用风险评分批次", "verbose_name_plural": "信用风险评分批次", "ordering": ["-run_on", "-id"]},
        ),
        migrations.CreateModel(
            name="RiskClassPeriod",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("risk_class", models.CharField(choices=CLASSES, max_length=1, verbose_name="信用风险分类")),
                ("overridden", models.BooleanField(default=False, verbose_name="人工调整")),
                ("valid_from", models.DateField(verbose_name="起始日期")),
                ("valid_to", models.DateField(blank=True, null=True, verbose_name="终止日期")),
                ("business", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="credit_class_periods",
                                               to="businesses.business", verbose_name="市场主体")),
            ],
            options={
                "verbose_name": "信用风险分类记录",
                "verbose_name_plural": "信用风险分类记录",
                "ordering": ["business", "valid_from"],
                "indexes": [models.Index(fields=["valid_from", "valid_to", "risk_class"], name="risk_period_asof")],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("valid_to__isnull", True)), fields=("business",),
                                            name="uniq_open_risk_period"),
                    models.CheckConstraint(condition=models.Q(("valid_to__isnull", True), ("valid_to__gt", models.F("valid_from")),
                                                              _connector="OR"),
                                           name="risk_period_not_empty", violation_error_message="终止日期须晚于起始日期"),
                ],
            },
        ),
    ]
