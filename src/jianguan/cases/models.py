from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.campaigns.models import Campaign
from jianguan.org.models import Subdistrict

from .choices import (
    CaseStatus,
    EvidenceKind,
    LeadSource,
    LeadStatus,
    Measure,
    NoPenaltyReason,
    Procedure,
    PublicationStatus,
    RespondentKind,
    SeriousCategory,
    StepKind,
    SuspensionReason,
    TransferTarget,
)

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 16, "decimal_places": 2}


class CaseCategory(models.Model):
    """案件类别: a reference table (disable, never delete), so a bureau can add its own."""

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveIntegerField("排序", default=0)
    disabled_on = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "案件类别"
        verbose_name_plural = "案件类别"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class Respondent(models.Model):
    """当事人 fields shared by a lead and a case: a registered business, or a person / unregistered party
    named with an ID number (shown masked, like a complainant)."""

    business = models.ForeignKey(Business, verbose_name="当事单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    respondent_kind = models.CharField("当事人类型", max_length=12, choices=RespondentKind.choices, default=RespondentKind.ORGANISATION)
    respondent_name = models.CharField("当事人名称", max_length=200)
    respondent_uscc = models.CharField("当事人统一社会信用代码", max_length=18, blank=True, db_index=True)
    respondent_id_no = models.CharField("当事人身份证件号码", max_length=30, blank=True)
    # The respondent's subdistrict when the record opened: the jurisdiction (and station) that counts it.
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Lead(Respondent):
    """线索: one inbox for every source; each lead is counted once, by its source."""

    source = models.CharField("线索来源", max_length=12, choices=LeadSource.choices, db_index=True)
    # "app_label.model:pk" of the source record (a complaint, a finding, an inspection…): a generic
    # reference, so cases never imports the apps that open leads.
    source_ref = models.CharField("来源记录", max_length=100, blank=True, db_index=True)
    source_label = models.CharField("来源说明", max_length=200, blank=True)
    received_on = models.DateField("受理日期", db_index=True)
    summary = models.TextField("线索内容")
    category = models.ForeignKey(CaseCategory, verbose_name="案件类别", null=True, blank=True, on_delete=models.PROTECT, related_name="leads")
    campaign = models.ForeignKey(Campaign, verbose_name="专项行动", null=True, blank=True, on_delete=models.PROTECT, related_name="leads")
    status = models.CharField("状态", max_length=12, choices=LeadStatus.choices, default=LeadStatus.PENDING, db_index=True)
    decision_due = models.DateField("立案决定期限", null=True, blank=True)
    decision_due_provisional = models.BooleanField("立案决定期限为暂定", default=False)
    paused_working_days = models.PositiveIntegerField("检测鉴定等不计入的工作日", default=0)
    extended = models.BooleanField("已延长", default=False)
    extension_approved_by = models.CharField("延期批准人", max_length=50, blank=True)
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True, db_index=True)
    decided_by = models.ForeignKey(USER, verbose_name="决定人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    not_filed_reason = models.CharField("不予立案理由", max_length=20, choices=NoPenaltyReason.choices, blank=True)
    transfer_target = models.CharField("移送对象", max_length=10, choices=TransferTarget.choices, blank=True)
    transfer_body = models.CharField("接收机关", max_length=200, blank=True)
    decision_note = models.TextField("核查意见", blank=True)
    created_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "案件线索"
        verbose_name_plural = "案件线索"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status", "decision_due"], name="lead_status_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=LeadStatus.NOT_FILED) | ~Q(not_filed_reason=""), name="lead_not_filed_has_reason",
                violation_error_message="不予立案须选择理由",
            ),
            models.CheckConstraint(
                condition=~Q(status=LeadStatus.TRANSFERRED) | ~Q(transfer_target=""), name="lead_transfer_has_target",
                violation_error_message="移送须选择移送对象",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()}线索：{self.respondent_name}（{self.received_on}）"


class Case(Respondent):
    """行政处罚案件. Counted by filing date (立案), decision date (决定) and closing date (结案)."""

    number = models.CharField("案件编号", max_length=60, unique=True)
    lead = models.OneToOneField(Lead, verbose_name="来源线索", null=True, blank=True, on_delete=models.PROTECT, related_name="case")
    source = models.CharField("案件来源", max_length=12, choices=LeadSource.choices, db_index=True)
    filed_on = models.DateField("立案日期", db_index=True)
    category = models.ForeignKey(CaseCategory, verbose_name="案件类别", on_delete=models.PROTECT, related_name="cases")
    cause = models.CharField("案由", max_length=300)
    violated_articles = models.TextField("违反的条款", blank=True)
    penalising_articles = models.TextField("处罚依据", blank=True)
    procedure = models.CharField("程序类型", max_length=10, choices=Procedure.choices, default=Procedure.GENERAL)
    campaigns = models.ManyToManyField(Campaign, verbose_name="专项行动", blank=True, related_name="cases")
    goods_value = models.DecimalField("货值（元）", null=True, blank=True, **MONEY)
    officers = models.ManyToManyField(USER, verbose_name="承办人员", blank=True, related_name="cases")
    # As recorded (imports name officers by certificate number, who need not be users of this system).
    officer_cert_nos = models.CharField("承办人员执法证号", max_length=200, blank=True)
    status = models.CharField("状态", max_length=16, choices=CaseStatus.choices, default=CaseStatus.FILED, db_index=True)

    # The decision clock: stored so that the list sorts by it; recomputed by the services on every
    # suspension, resumption and extension.
    suspended_days = models.PositiveIntegerField("中止天数", default=0)
    extended = models.BooleanField("已延长（+30日）", default=False)
    extension_approved_by = models.CharField("延期批准人", max_length=50, blank=True)
    collective_extension_days = models.PositiveIntegerField("集体讨论再延长天数", default=0)
    collective_decision = models.TextField("集体讨论决定", blank=True)
    decision_due = models.DateField("办案期限", null=True, blank=True, db_index=True)
    decision_due_provisional = models.BooleanField("办案期限为暂定", default=False)

    review_due = models.DateField("法制审核期限", null=True, blank=True)
    reviewed_on = models.DateField("法制审核日期", null=True, blank=True)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    # What the 行政处罚告知书 proposed: the decision may not be heavier (Penalty Law art. 45) without a new notice.
    proposed_penalty_kinds = models.JSONField("拟处罚种类", default=list, blank=True)
    proposed_fine = models.DecimalField("拟罚款金额（元）", default=0, **MONEY)
    proposed_confiscated_income = models.DecimalField("拟没收违法所得金额（元）", default=0, **MONEY)
    proposed_confiscated_value = models.DecimalField("拟没收物品货值（元）", default=0, **MONEY)
    hearing_available = models.BooleanField("当事人可以要求听证", default=False)
    statement_due = models.DateField("陈述申辩期限", null=True, blank=True)
    hearing_requested_on = models.DateField("申请听证日期", null=True, blank=True)
    hearing_notified_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_scheduled_on = models.DateField("通知举行听证日期", null=True, blank=True)
    # The day the hearing was held (counted by `cases.hearings`); empty while only scheduled.
    hearing_on = models.DateField("听证日期", null=True, blank=True)

    decision_number = models.CharField("处罚决定书文号", max_length=60, blank=True, db_index=True)
    decided_on = models.DateField("决定日期", null=True, blank=True, db_index=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", default=0, **MONEY)
    confiscated_income = models.DecimalField("没收违法所得金额（元）", default=0, **MONEY)
    confiscated_value = models.DecimalField("没收物品货值（元）", default=0, **MONEY)
    # A decision the deciders find to be a 严重违法失信行为 (SAMR Order 44) carries its category: the credit
    # module proposes the business for the serious violation list from it. Blank: not flagged.
    serious_category = models.CharField("严重违法失信行为", max_length=20, choices=SeriousCategory.choices, blank=True, default="")
    exempt = models.BooleanField("不予行政处罚", default=False)
    exempt_reason = models.CharField("不予处罚理由", max_length=20, choices=NoPenaltyReason.choices, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    paid_on = models.DateField("缴款日期", null=True, blank=True)
    paid_amount = models.DecimalField("已缴金额（元）", default=0, **MONEY)
    surcharge = models.DecimalField("加处罚款（元）", default=0, **MONEY)
    reminded_on = models.DateField("催告日期", null=True, blank=True)
    court_applied_on = models.DateField("申请法院强制执行日期", null=True, blank=True)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)
    closing_due = models.DateField("结案期限", null=True, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True, db_index=True)
    transferred_on = models.DateField("移送日期", null=True, blank=True, db_index=True)
    transfer_target = models.CharField("移送对象", max_length=10, choices=TransferTarget.choices, blank=True)
    transfer_body = models.CharField("接收机关", max_length=200, blank=True)
    # 简易程序: the on-the-spot decision is reported to the bureau for the record (备案) within 7 working days.
    record_due = models.DateField("备案期限", null=True, blank=True)
    recorded_on = models.DateField("备案日期", null=True, blank=True)

    # Publication (Order 45): due 20 working days after the decision, shown 3 months or 3 years.
    publish_due = models.DateField("公示期限", null=True, blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True, db_index=True)
    publish_until = models.DateField("公示截止日期", null=True, blank=True)
    publication_status = models.CharField("公示状态", max_length=10, choices=PublicationStatus.choices, blank=True, default="")
    publication_ended_on = models.DateField("公示撤下/停止日期", null=True, blank=True)
    publication_end_reason = models.CharField("撤下/停止理由", max_length=300, blank=True)

    imported = models.BooleanField("历史导入", default=False)
    created_by = models.ForeignKey(USER, verbose_name="录入人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"
        ordering = ["-filed_on", "-id"]
        permissions = [("view_personal_info", "查看当事人个人信息")]
        indexes = [models.Index(fields=["status", "decision_due"], name="case_status_due"),
                   # the figures of a period read the period's hearings and publications through these (0007)
                   models.Index(fields=["hearing_on"], name="case_hearing_on"),
                   models.Index(fields=["publish_due"], name="case_publish_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(exempt=True) | ~Q(exempt_reason=""), name="case_exempt_has_reason",
                violation_error_message="不予行政处罚须选择理由",
            ),
            models.CheckConstraint(
                condition=Q(fine_amount__gte=0) & Q(confiscated_income__gte=0) & Q(confiscated_value__gte=0),
                name="case_amounts_not_negative", violation_error_message="金额不能为负数",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("filed_on")), name="case_decided_after_filed",
                violation_error_message="决定日期不能早于立案日期",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("filed_on")), name="case_closed_after_filed",
                violation_error_message="结案日期不能早于立案日期",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.respondent_name}"

    @property
    def penalty_amount(self):
        """罚没款: the fine plus the confiscated illegal income."""
        return (self.fine_amount or 0) + (self.confiscated_income or 0)

    @property
    def is_open(self) -> bool:
        return self.decided_on is None and self.status not in (CaseStatus.CLOSED, CaseStatus.TRANSFERRED)


class Suspension(models.Model):
    """中止: the decision clock stands still from `start` until `end` (the day it runs again)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="suspensions")
    reason = models.CharField("中止事由", max_length=20, choices=SuspensionReason.choices)
    start = models.DateField("中止日期")
    end = models.DateField("恢复日期", null=True, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "案件中止"
        verbose_name_plural = "案件中止"
        ordering = ["case", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="suspension_end_after_start",
                violation_error_message="恢复日期不能早于中止日期",
            ),
        ]

    @property
    def days(self) -> int | None:
        return None if self.end is None else (self.end - self.start).days


class Evidence(models.Model):
    """证据: with 先行登记保存 (decided within 7 working days) or 查封扣押 (≤ 30 days, +30 once)."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField("证据种类", max_length=12, choices=EvidenceKind.choices)
    description = models.CharField("证据名称及内容", max_length=500)
    collected_on = models.DateField("取证日期")
    measure = models.CharField("强制措施", max_length=12, choices=Measure.choices, blank=True, default="")
    measure_due = models.DateField("措施处理期限", null=True, blank=True)
    measure_extended = models.BooleanField("查封扣押已延长", default=False)
    measure_ended_on = models.DateField("措施解除/处理日期", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="取证人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "证据"
        verbose_name_plural = "证据"
        ordering = ["case", "collected_on", "id"]


class CaseStep(models.Model):
    """The case's timeline: each act or approval with who, when and the opinion."""

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="steps")
    kind = models.CharField("环节", max_length=20, choices=StepKind.choices)
    on = models.DateField("日期")
    actor = models.ForeignKey(USER, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_by = models.CharField("审批人", max_length=50, blank=True)
    opinion = models.TextField("意见", blank=True)
    old_status = models.CharField("原状态", max_length=16, blank=True)
    new_status = models.CharField("新状态", max_length=16, blank=True)
    # The numbered document this act issued (立案审批表, 告知书, 决定书, 结案审批表), kept by core's engine.
    document = models.ForeignKey("core.IssuedDocument", verbose_name="文书", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "办案环节"
        verbose_name_plural = "办案环节"
        ordering = ["case", "on", "id"]
