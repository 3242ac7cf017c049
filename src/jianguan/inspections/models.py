from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.campaigns.models import Campaign
from jianguan.equipment.models import Equipment
from jianguan.org.models import Subdistrict

from .choices import (
    DocumentKind,
    Escalation,
    FindingStatus,
    InspectionKind,
    InspectionResult,
    InspectionStatus,
    ItemOutcome,
    Severity,
)

USER = settings.AUTH_USER_MODEL


class Checklist(models.Model):
    """A checklist template. Editing makes a new version (same code); an inspection keeps the one it started with."""

    code = models.CharField("检查表编码", max_length=40)
    version = models.PositiveIntegerField("版本", default=1)
    name = models.CharField("名称", max_length=200)
    applies_to = models.CharField("适用对象", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    disabled_on = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "检查表"
        verbose_name_plural = "检查表"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="uniq_checklist_version")]

    def __str__(self):
        return f"{self.name}（第{self.version}版）"


class ChecklistItem(models.Model):
    checklist = models.ForeignKey(Checklist, verbose_name="检查表", on_delete=models.PROTECT, related_name="items")
    order = models.PositiveIntegerField("序号")
    point = models.CharField("检查要点", max_length=500)
    legal_basis = models.CharField("法律依据", max_length=500, blank=True)
    serious = models.BooleanField("不符合即为重大问题", default=False)

    class Meta:
        verbose_name = "检查要点"
        verbose_name_plural = "检查要点"
        ordering = ["checklist", "order"]
        constraints = [models.UniqueConstraint(fields=["checklist", "order"], name="uniq_checklist_item_order")]

    def __str__(self):
        return f"{self.order}. {self.point}"


class CampaignChecklist(models.Model):
    """The checklist a campaign's inspections start from (an inspection may still pick another). Kept
    here, not on the campaign, because checklists belong to inspections and campaigns sit below them."""

    campaign = models.OneToOneField(
        Campaign, verbose_name="专项行动", primary_key=True, on_delete=models.CASCADE, related_name="inspection_setup"
    )
    checklist = models.ForeignKey(Checklist, verbose_name="检查表", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "专项行动检查表"
        verbose_name_plural = "专项行动检查表"

    def __str__(self):
        return f"{self.campaign}：{self.checklist}"


class Inspection(models.Model):
    number = models.CharField("检查编号", max_length=40, unique=True)
    kind = models.CharField("检查类型", max_length=20, choices=InspectionKind.choices)
    business = models.ForeignKey(Business, verbose_name="检查对象", on_delete=models.PROTECT, related_name="inspections")
    # The business's subdistrict when inspected: the jurisdiction that counts it, even if it moves later.
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", on_delete=models.PROTECT, related_name="+")
    equipment = models.ManyToManyField(Equipment, verbose_name="检查设备", blank=True, related_name="inspections")
    date = models.DateField("检查日期")
    status = models.CharField("状态", max_length=20, choices=InspectionStatus.choices, default=InspectionStatus.SCHEDULED)
    inspectors = models.ManyToManyField(USER, verbose_name="检查人员", blank=True, related_name="inspections")
    # Stored so that 出动执法人员人次 is one SUM; kept equal to the inspectors by the services.
    inspector_count = models.PositiveIntegerField("检查人数", default=0)
    performed_by = models.CharField("实施人（企业/网格员/第三方）", max_length=200, blank=True)
    checklist = models.ForeignKey(Checklist, verbose_name="检查表", null=True, blank=True, on_delete=models.PROTECT)
    result = models.CharField("检查结果", max_length=20, choices=InspectionResult.choices, blank=True)
    summary = models.TextField("检查情况", blank=True)
    campaign = models.ForeignKey(
        Campaign, verbose_name="专项行动", null=True, blank=True, on_delete=models.PROTECT, related_name="inspections"
    )
    source = models.CharField("来源", max_length=20, default="manual")  # manual | import | task | recheck | spotcheck
    created_by = models.ForeignKey(USER, verbose_name="录入人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "监督检查"
        verbose_name_plural = "监督检查"
        ordering = ["-date", "-id"]
        indexes = [
            # The business last: the figures by 业态 and 许可种类 join each inspection of a pass to its subject's
            # licences, and read the period's (or the campaign's) inspections from the index alone.
            models.Index(fields=["date", "status", "kind", "subdistrict", "business"], name="inspection_period_pass"),
            models.Index(fields=["campaign", "status", "date", "kind", "subdistrict", "business"], name="inspection_campaign_pass"),
            models.Index(fields=["business", "date"], name="inspection_business"),
        ]

    def __str__(self):
        return self.number

    @property
    def is_done(self) -> bool:
        return self.status in (InspectionStatus.COMPLETED, InspectionStatus.ARCHIVED)


class ItemResult(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.PROTECT, related_name="item_results")
    item = models.ForeignKey(ChecklistItem, verbose_name="检查要点", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField("结果", max_length=20, choices=ItemOutcome.choices)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "检查要点结果"
        verbose_name_plural = "检查要点结果"
        ordering = ["inspection", "item__order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="uniq_item_result")]


class Amendment(models.Model):
    """The only way to change a completed inspection: what changed, and why."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField("更正理由")
    changes = models.JSONField("更正内容", default=dict)
    by = models.ForeignKey(USER, verbose_name="更正人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "检查更正记录"
        verbose_name_plural = "检查更正记录"
        ordering = ["inspection", "at"]


class Finding(models.Model):
    """隐患/问题: found by an inspection, closed only by a passed re-check, or escalated."""

    inspection = models.ForeignKey(Inspection, verbose_name="发现于检查", on_delete=models.PROTECT, related_name="findings")
    business = models.ForeignKey(Business, verbose_name="责任单位", on_delete=models.PROTECT, related_name="findings")
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", on_delete=models.PROTECT, related_name="+")
    equipment = models.ForeignKey(
        Equipment, verbose_name="涉及设备", null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name="检查要点", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    severity = models.CharField("隐患等级", max_length=10, choices=Severity.choices, default=Severity.GENERAL)
    description = models.TextField("问题描述")
    legal_basis = models.CharField("法律依据", max_length=500, blank=True)
    found_on = models.DateField("发现日期")
    deadline = models.DateField("整改期限")
    status = models.CharField("状态", max_length=20, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    reported_on = models.DateField("整改报告日期", null=True, blank=True)
    recheck_due = models.DateField("复查期限", null=True, blank=True)
    recheck_due_provisional = models.BooleanField("复查期限为暂定", default=False)
    closed_on = models.DateField("整改完成日期", null=True, blank=True)
    escalation = models.CharField("升级处置方式", max_length=20, choices=Escalation.choices, blank=True)
    escalated_on = models.DateField("升级处置日期", null=True, blank=True)
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "隐患问题"
        verbose_name_plural = "隐患问题"
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["found_on", "status", "subdistrict"], name="finding_report_pass"),
            models.Index(fields=["status", "deadline"], name="finding_clock"),
            models.Index(fields=["status", "recheck_due"], name="finding_recheck_clock"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("found_on")), name="finding_deadline_after_found",
                violation_error_message="整改期限不能早于检查日期",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(closed_on__isnull=False), name="finding_closed_has_date",
                violation_error_message="整改完成的问题必须有完成日期",
            ),
        ]

    def __str__(self):
        return f"{self.business.name}：{self.description[:30]}"


class Document(models.Model):
    """责令整改通知书 / 特种设备安全监察指令书, numbered by the foundation's gap-free numbering."""

    kind = models.CharField("文书种类", max_length=30, choices=DocumentKind.choices)
    number = models.CharField("文号", max_length=60, unique=True)
    inspection = models.ForeignKey(Inspection, verbose_name="检查", on_delete=models.PROTECT, related_name="documents")
    business = models.ForeignKey(Business, verbose_name="当事单位", on_delete=models.PROTECT, related_name="+")
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", on_delete=models.PROTECT, related_name="+")
    findings = models.ManyToManyField(Finding, verbose_name="涉及问题", related_name="documents")
    issued_on = models.DateField("下达日期")
    deadline = models.DateField("整改期限")
    issued_by = models.ForeignKey(USER, verbose_name="签发人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The Word file as issued (core's document engine); empty for documents issued before it existed.
    rendered = models.OneToOneField(
        "core.IssuedDocument", verbose_name="文书文件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
        ordering = ["-issued_on", "number"]
        indexes = [models.Index(fields=["issued_on", "kind", "subdistrict"], name="document_report_pass")]

    def __str__(self):
        return self.number


class RectificationReport(models.Model):
    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="reports")
    submitted_on = models.DateField("报告日期")
    text = models.TextField("整改情况")
    submitted_by = models.ForeignKey(USER, verbose_name="报告人账号", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitter_name = models.CharField("报告人", max_length=100, blank=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改报告"
        verbose_name_plural = "整改报告"
        ordering = ["finding", "submitted_on"]


class Recheck(models.Model):
    finding = models.ForeignKey(Finding, verbose_name="问题", on_delete=models.PROTECT, related_name="rechecks")
    inspection = models.ForeignKey(Inspection, verbose_name="复查检查", on_delete=models.PROTECT, related_name="rechecks")
    date = models.DateField("复查日期")
    passed = models.BooleanField("整改到位")
    note = models.TextField("复查意见", blank=True)
    by = models.ForeignKey(USER, verbose_name="复查人", on_delete=models.PROTECT, related_name="+")
    new_deadline = models.DateField("新整改期限", null=True, blank=True)

    class Meta:
        verbose_name = "复查记录"
        verbose_name_plural = "复查记录"
        ordering = ["finding", "date"]


class Sealing(models.Model):
    """查封 of a device; lifted only by filling in the unsealing part (解除查封)."""

    equipment = models.ForeignKey(Equipment, verbose_name="设备", on_delete=models.PROTECT, related_name="sealings")
    finding = models.ForeignKey(Finding, verbose_name="来源问题", null=True, blank=True, on_delete=models.PROTECT, related_name="sealings")
    sealed_on = models.DateField("查封日期")
    reason = models.TextField("查封理由")
    sealed_by = models.ForeignKey(USER, verbose_name="查封人", on_delete=models.PROTECT, related_name="+")
    lifted_on = models.DateField("解封日期", null=True, blank=True)
    lift_reason = models.TextField("解封理由", blank=True)
    lifted_by = models.ForeignKey(USER, verbose_name="解封人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "查封记录"
        verbose_name_plural = "查封记录"
        ordering = ["-sealed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["equipment"], condition=Q(lifted_on__isnull=True), name="one_open_sealing_per_device"),
            models.CheckConstraint(
                condition=Q(lifted_on__isnull=True) | Q(lifted_on__gte=models.F("sealed_on")), name="sealing_lift_after_seal",
                violation_error_message="解封日期不能早于查封日期",
            ),
        ]


def attachment_path(instance, filename):
    return f"inspections/{instance.inspection_id or 0}/{filename}"


class Attachment(models.Model):
    inspection = models.ForeignKey(Inspection, verbose_name="检查", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments")
    report = models.ForeignKey(
        RectificationReport, verbose_name="整改报告", null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField("文件", upload_to=attachment_path)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(USER, verbose_name="上传人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.name
