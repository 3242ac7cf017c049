from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.org.models import OrgUnit, Subdistrict

from .choices import CatalogueLevel, DueState, EquipmentStatus, ExamConclusion, TaskKind, TaskStatus


class CatalogueEntry(models.Model):
    """特种设备目录 (2014): 种类 / 类别 / 品种, codes as strings (letters occur: 4A00, 23T0)."""

    code = models.CharField("代码", max_length=10, unique=True)
    name = models.CharField("名称", max_length=100)
    level = models.CharField("层级", max_length=10, choices=CatalogueLevel.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    registrable = models.BooleanField("办理使用登记", default=True, help_text="压力管道元件（7000）只许可、不登记使用")
    exam_cycle_rule = models.CharField("检验周期规则键", max_length=100, blank=True)
    disabled_on = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "特种设备目录"
        verbose_name_plural = "特种设备目录"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class Equipment(models.Model):
    reg_code = models.CharField("设备注册代码", max_length=40, unique=True)
    type = models.ForeignKey(
        CatalogueEntry, verbose_name="设备种类", to_field="code", db_column="type_code", on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        CatalogueEntry, verbose_name="设备类别", to_field="code", db_column="category_code", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    variety = models.ForeignKey(
        CatalogueEntry, verbose_name="设备品种", to_field="code", db_column="variety_code", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    operator = models.ForeignKey(Business, verbose_name="使用单位", on_delete=models.PROTECT, related_name="equipment")
    address = models.CharField("使用地点", max_length=300, blank=True)
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", on_delete=models.PROTECT, related_name="equipment")
    use_cert_no = models.CharField("使用登记证编号", max_length=60, blank=True)
    registered_on = models.DateField("登记日期")
    status = models.CharField("设备状态", max_length=20, choices=EquipmentStatus.choices, default=EquipmentStatus.IN_USE)
    status_date = models.DateField("状态日期", null=True, blank=True)
    maintainer = models.ForeignKey(
        Business, verbose_name="维保单位", null=True, blank=True, on_delete=models.PROTECT, related_name="maintained_equipment"
    )
    insurance_until = models.DateField("电梯安全责任保险截止日期", null=True, blank=True)
    next_due = models.DateField("下次检验日期", null=True, blank=True)
    next_due_estimated = models.BooleanField("下次检验日期为估算", default=False)
    last_conclusion = models.CharField("最近检验结论", max_length=20, choices=ExamConclusion.choices, blank=True)
    due_state = models.CharField("检验状态", max_length=10, choices=DueState.choices, default=DueState.NOT_APPLICABLE)
    due_state_on = models.DateField("检验状态计算日", null=True, blank=True)
    sealed = models.BooleanField("已查封", default=False)
    version = models.IntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "特种设备"
        verbose_name_plural = "特种设备"
        ordering = ["reg_code"]
        indexes = [
            # Covers what the ledger's figures read, so a report is one index-only pass.
            models.Index(
                fields=["type", "status", "registered_on", "status_date", "next_due", "subdistrict", "insurance_until"],
                name="equipment_report_pass",
            ),
            # Covers "each operator's first registered device" for the operator count.
            models.Index(fields=["operator", "registered_on", "status", "status_date", "subdistrict"], name="equipment_operator"),
            # The refresh reads index ranges only: (in use, state, due date) and the rare failed devices.
            models.Index(fields=["status", "due_state", "next_due"], name="equipment_due_state"),
            models.Index(fields=["last_conclusion", "status"], name="equipment_last_conclusion"),
            models.Index(fields=["subdistrict", "status"], name="equipment_subdistrict"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="in_use") | Q(status_date__isnull=False),
                name="equipment_status_date_required",
                violation_error_message="设备状态不是在用时必须填写状态日期",
            ),
        ]

    def __str__(self):
        return self.reg_code


class Examination(models.Model):
    """定期检验 by an inspection institute (not an inspection by the bureau)."""

    equipment = models.ForeignKey(Equipment, verbose_name="设备", on_delete=models.PROTECT, related_name="examinations")
    date = models.DateField("检验日期")
    institution = models.CharField("检验机构", max_length=200, blank=True)
    conclusion = models.CharField("检验结论", max_length=20, choices=ExamConclusion.choices)
    report_no = models.CharField("报告编号", max_length=60, blank=True)
    next_due = models.DateField("下次检验日期", null=True, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "定期检验"
        verbose_name_plural = "定期检验"
        ordering = ["equipment", "-date"]
        # Covers the period figures (due date, device, examination date) so they read no report rows.
        indexes = [models.Index(fields=["next_due", "equipment", "date"], name="exam_next_due")]
        constraints = [
            models.UniqueConstraint(fields=["equipment", "date"], name="uniq_exam_per_day"),
            models.CheckConstraint(
                condition=Q(next_due__isnull=True) | Q(next_due__gt=models.F("date")),
                name="exam_next_due_after_date",
                violation_error_message="下次检验日期必须晚于检验日期",
            ),
        ]

    def __str__(self):
        return f"{self.equipment_id} {self.date} {self.get_conclusion_display()}"


class FollowUpTask(models.Model):
    """Work for a station: here, a device whose periodic examination went overdue."""

    kind = models.CharField("任务类型", max_length=30, choices=TaskKind.choices)
    equipment = models.ForeignKey(Equipment, verbose_name="设备", on_delete=models.PROTECT, related_name="tasks")
    station = models.ForeignKey(OrgUnit, verbose_name="责任监管所", on_delete=models.PROTECT, related_name="equipment_tasks")
    reference_due = models.DateField("超期的检验日期")
    opened_on = models.DateField("生成日期")
    due_on = models.DateField("办理期限")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    note = models.TextField("办理情况", blank=True)

    class Meta:
        verbose_name = "跟进任务"
        verbose_name_plural = "跟进任务"
        ordering = ["status", "due_on"]
        constraints = [
            # One task per device per overdue due date: the daily job may run any number of times.
            models.UniqueConstraint(fields=["kind", "equipment", "reference_due"], name="uniq_followup_task"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.equipment_id}"
