# The campaign model moves here from inspections. State only: the table inspections_campaign and its
# scope tables (inspections_campaign_subdistricts, inspections_campaign_targets), created by
# inspections 0001, stay as they are (Meta.db_table), with every row. inspections 0005 then lets go of
# the model and takes the checklist column with it (as inspections.CampaignChecklist), so the state
# here has no checklist and this app names no inspections model.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("businesses", "0007_seed_due_soon_rule"),
        ("inspections", "0004_documents"),  # the table's history: created by inspections 0001
        ("org", "0003_login_lockout"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Campaign",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=40, unique=True, verbose_name="编号")),
                        ("name", models.CharField(max_length=200, verbose_name="名称")),
                        ("start", models.DateField(verbose_name="开始日期")),
                        ("end", models.DateField(verbose_name="结束日期")),
                        ("description", models.TextField(blank=True, verbose_name="工作要求")),
                        ("entity_types", models.JSONField(blank=True, default=list, verbose_name="主体类型范围")),
                        ("industries", models.JSONField(blank=True, default=list, verbose_name="行业范围（代码前缀）")),
                        ("equipment_types", models.JSONField(blank=True, default=list, verbose_name="设备种类范围")),
                        ("goals", models.JSONField(blank=True, default=dict, help_text='如 {"businesses": 50, "devices": 100}', verbose_name="工作目标")),
                        ("status", models.CharField(choices=[("active", "进行中"), ("archived", "已归档")], default="active", max_length=10, verbose_name="状态")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("version", models.IntegerField(default=1, verbose_name="版本")),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="创建人")),
                        ("lead_department", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="campaigns", to="org.orgunit", verbose_name="牵头科室")),
                        ("subdistricts", models.ManyToManyField(blank=True, related_name="+", to="org.subdistrict", verbose_name="街道范围")),
                        ("targets", models.ManyToManyField(blank=True, related_name="campaign_targets", to="businesses.business", verbose_name="目标名单")),
                    ],
                    options={
                        "verbose_name": "专项行动",
                        "verbose_name_plural": "专项行动",
                        "db_table": "inspections_campaign",
                        "ordering": ["-start", "code"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("end__gte", models.F("start"))), name="campaign_end_after_start",
                                violation_error_message="结束日期不能早于开始日期",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
