"""投诉举报 (12315): one record per complaint, report or inquiry, with its clocks and its timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.cases.models import Lead
from jianguan.org.models import OrgUnit, Subdistrict

from .choices import (
    Category,
    Channel,
    FilingDecision,
    Kind,
    MediationOutcome,
    OdrOutcome,
    RefusalReason,
    Status,
)

USER = settings.AUTH_USER_MODEL


class OdrEnterprise(models.Model):
    """在线消费纠纷解决（ODR）企业: settles complaints against itself directly, within its own window."""

    business = models.OneToOneField(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="odr")
    joined_on = models.DateField("入驻日期")
    left_on = models.DateField("退出日期", null=True, blank=True)
    contact = models.CharField("纠纷处理联系人", max_length=100, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "ODR企业"
        verbose_name_plural = "ODR企业"
        ordering = ["joined_on", "id"]

    def __str__(self):
        return self.business.name

    def active_on(self, day) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


class Complaint(models.Model):
    number = models.CharField("登记编号", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    channel = models.CharField("来源渠道", max_length=10, choices=Channel.choices)
    channel_text = models.CharField("来源渠道（原文）", max_length=50, blank=True)
    received_at = models.DateTimeField("登记时间")
    received_on = models.DateField("登记日期", db_index=True)
    # The respondent as given, and as matched to the register.
    respondent_name = models.CharField("被投诉举报对象名称", max_length=200, blank=True)
    respondent_uscc = models.CharField("被投诉举报对象统一社会信用代码", max_length=18, blank=True)
    respondent_address = models.CharField("对象地址", max_length=300, blank=True)
    subdistrict_text = models.CharField("所属街道（原文）", max_length=100, blank=True)
    business = models.ForeignKey(
        Business, verbose_name="匹配的市场主体", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    # The subdistrict decides the handling station (承办单位); none yet = waiting in triage.
    subdistrict = models.ForeignKey(
        Subdistrict, verbose_name="所属街道", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handler = models.ForeignKey(USER, verbose_name="承办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    content = models.TextField("诉求内容")
    amount = models.DecimalField("涉及金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    complainant_name = models.CharField("投诉举报人姓名", max_length=50, blank=True)
    complainant_phone = models.CharField("联系电话", max_length=20, blank=True)
    category = models.CharField("所属领域", max_length=20, choices=Category.choices, default=Category.OTHER)
    category_keywords = models.JSONField("分类依据（关键词）", default=list, blank=True)
    category_set_by = models.ForeignKey(
        USER, verbose_name="人工分类人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("处理状态", max_length=20, choices=Status.choices, db_index=True)
    # A record the same person filed against the same respondent with the same text within a day.
    duplicate_of = models.ForeignKey(
        "self", verbose_name="疑似重复（原件）", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    query_digest = models.CharField("查询码摘要", max_length=64, blank=True)
    # ODR: the business settles directly; that window does not count toward the bureau's clocks.
    odr_enterprise = models.ForeignKey(
        OdrEnterprise, verbose_name="ODR企业", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    odr_started_on = models.DateField("转ODR日期", null=True, blank=True)
    odr_ended_on = models.DateField("ODR结束日期", null=True, blank=True)
    odr_outcome = models.CharField("ODR结果", max_length=10, choices=OdrOutcome.choices, blank=True)
    odr_working_days = models.PositiveIntegerField("ODR占用工作日", default=0)
    # Clocks: the date and whether it reached a year without a published calendar (暂定).
    accept_due = models.DateField("受理期限", null=True, blank=True)
    accept_due_provisional = models.BooleanField("受理期限为暂定", default=False)
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    refusal_reason = models.CharField("不予受理理由", max_length=30, choices=RefusalReason.choices, blank=True)
    mediation_due = models.DateField("调解期限", null=True, blank=True)
    mediation_due_provisional = models.BooleanField("调解期限为暂定", default=False)
    paused_working_days = models.PositiveIntegerField("检测鉴定暂停工作日", default=0)
    paused_since = models.DateField("暂停起始日", null=True, blank=True)
    mediation_outcome = models.CharField("调解结果", max_length=12, choices=MediationOutcome.choices, blank=True)
    recovered_amount = models.DecimalField("挽回经济损失（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    mediation_ended_on = models.DateField("调解终结日期", null=True, blank=True)
    filing_due = models.DateField("立案决定期限", null=True, blank=True)
    filing_due_provisional = models.BooleanField("立案决定期限为暂定", default=False)
    extended = models.BooleanField("已延长立案决定期限", default=False)
    extension_approved_by = models.CharField("延期批准人", max_length=50, blank=True)
    extension_reason = models.CharField("延期理由", max_length=300, blank=True)
    filing_decision = models.CharField("立案决定", max_length=10, choices=FilingDecision.choices, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    case_lead = models.OneToOneField(
        Lead, verbose_name="立案线索", null=True, blank=True, on_delete=models.PROTECT, related_name="complaint"
    )
    notify_due = models.DateField("告知期限", null=True, blank=True)
    notify_due_provisional = models.BooleanField("告知期限为暂定", default=False)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    answer = models.TextField("答复内容", blank=True)
    transferred_to = models.CharField("移送机关", max_length=200, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True, db_index=True)
    closed_on_time = models.BooleanField("按时办结", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "投诉举报"
        verbose_name_plural = "投诉举报"
        ordering = ["-received_at", "number"]
        permissions = [("view_personal_info", "查看投诉举报人个人信息")]
        indexes = [
            models.Index(fields=["subdistrict", "status"], name="complaint_subdistrict_status"),
            models.Index(fields=["kind", "received_on"], name="complaint_kind_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0), name="complaint_amount_nonneg",
                violation_error_message="涉及金额不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(recovered_amount__isnull=True) | Q(recovered_amount__gte=0), name="complaint_recovered_nonneg",
                violation_error_message="挽回经济损失不能为负数",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    @property
    def station(self):
        return self.subdistrict.station if self.subdistrict_id else None

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.CLOSED, Status.TRANSFERRED)


class Event(models.Model):
    """The timeline: every step, by whom, when, with the reason (re-assignment, transfer, decisions)."""

    complaint = models.ForeignKey(Complaint, verbose_name="投诉举报", on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("时间")
    on = models.DateField("业务日期")
    actor = models.ForeignKey(USER, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("环节", max_length=40)
    from_status = models.CharField("原状态", max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField("新状态", max_length=20, choices=Status.choices, blank=True)
    from_station = models.ForeignKey(OrgUnit, verbose_name="原承办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_station = models.ForeignKey(OrgUnit, verbose_name="新承办单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["complaint", "at", "id"]


class Disclosure(models.Model):
    """Every time someone saw a complainant's unmasked name and phone (PIPL): who, when, where."""

    complaint = models.ForeignKey(Complaint, verbose_name="投诉举报", on_delete=models.PROTECT, related_name="disclosures")
    user = models.ForeignKey(USER, verbose_name="查看人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("查看时间", auto_now_add=True)
    purpose = models.CharField("用途", max_length=100)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        ordering = ["-at"]
