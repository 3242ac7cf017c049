from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.businesses.choices import CreditRiskClass
from jianguan.businesses.models import Business
from jianguan.cases.choices import SeriousCategory
from jianguan.cases.models import Case

from .choices import (
    AbnormalReason,
    DecisionKind,
    EntryKind,
    EntryStatus,
    RemovalReason,
    RepairStatus,
    RepairTarget,
    SeriousSource,
)

USER = settings.AUTH_USER_MODEL
ACTIVE = Q(status__in=[EntryStatus.PROPOSED, EntryStatus.LISTED])


class AnnualReport(models.Model):
    """年度报告 of one business for one report year, as the national publicity system records it."""

    # No index of its own: the unique (business, year) constraint's index serves lookups by business.
    business = models.ForeignKey(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="annual_reports",
                                 db_index=False)
    year = models.PositiveSmallIntegerField("年度")
    filed_on = models.DateField("报送日期")
    published = models.BooleanField("已公示", default=True)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"
        ordering = ["-year", "business"]
        constraints = [models.UniqueConstraint(fields=["business", "year"], name="uniq_annual_report")]
        # 年报率 reads the year's filings from this index alone and looks their businesses up in the register's
        # order (by the year's filings, not by the million businesses); the risk scoring probes it per business.
        # The monthly scoring finds the filings entered or changed since its last run by `updated_at`.
        indexes = [
            models.Index(fields=["year", "business", "filed_on"], name="annual_report_year_business"),
            models.Index(fields=["updated_at"], name="annual_report_updated"),
        ]

    def __str__(self):
        return f"{self.business_id} {self.year}年度报告（{self.filed_on}）"


class Decision(models.Model):
    """A numbered decision taken on a batch of entries (列入、标记、移出…), with its Word document."""

    kind = models.CharField("决定种类", max_length=30, choices=DecisionKind.choices, db_index=True)
    number = models.CharField("文号", max_length=60, blank=True, db_index=True)
    decided_on = models.DateField("决定日期", db_index=True)
    approved_by = models.CharField("审批人", max_length=50)
    note = models.TextField("说明", blank=True)
    document = models.ForeignKey("core.IssuedDocument", verbose_name="决定书", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    decided_by = models.ForeignKey(USER, verbose_name="经办人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "信用监管决定"
        verbose_name_plural = "信用监管决定"
        ordering = ["-decided_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()


class AbnormalEntry(models.Model):
    """经营异常名录: one proposal, and once decided one listing (enterprise, cooperative) or mark
    (individual business) for one reason; removed on application, by filing (a mark) or on escalation."""

    business = models.ForeignKey(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="abnormal_entries")
    kind = models.CharField("处理方式", max_length=8, choices=EntryKind.choices)
    reason = models.CharField("列入事由", max_length=20, choices=AbnormalReason.choices)
    # The report year not filed (未按规定报送年度报告), so that each year's omission is one entry.
    report_year = models.PositiveSmallIntegerField("未报年度", null=True, blank=True)
    # "app_label.model:pk" of the record that gave the reason (an inspection that found nobody…).
    source_ref = models.CharField("来源记录", max_length=100, blank=True, db_index=True)
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.PROPOSED, db_index=True)
    proposed_on = models.DateField("提出日期", db_index=True)
    decision_due = models.DateField("决定期限", null=True, blank=True)
    decision = models.ForeignKey(Decision, verbose_name="列入（标记）决定", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="abnormal_listed")
    listed_on = models.DateField("列入（标记）日期", null=True, blank=True, db_index=True)
    declined_reason = models.CharField("不予列入理由", max_length=300, blank=True)
    removal_applied_on = models.DateField("申请移出日期", null=True, blank=True)
    removal_due = models.DateField("移出决定期限", null=True, blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True, db_index=True)
    removal_reason = models.CharField("移出原因", max_length=12, choices=RemovalReason.choices, blank=True)
    removal_decision = models.ForeignKey(Decision, verbose_name="移出决定", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="abnormal_removed")
    created_by = models.ForeignKey(USER, verbose_name="提出人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "经营异常名录记录"
        verbose_name_plural = "经营异常名录"
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["status", "listed_on"], name="abnormal_status_listed")]
        constraints = [
            # One open entry per business, reason and report year (per business and reason for the reasons
            # without a year): proposing twice adds nothing. Two partial constraints rather than one with
            # nulls_distinct=False, which SQLite does not support.
            models.UniqueConstraint(fields=["business", "reason", "report_year"], condition=ACTIVE & Q(report_year__isnull=False),
                                    name="uniq_open_abnormal_entry"),
            models.UniqueConstraint(fields=["business", "reason"], condition=ACTIVE & Q(report_year__isnull=True),
                                    name="uniq_open_abnormal_entry_no_year"),
            models.CheckConstraint(condition=~Q(status=EntryStatus.LISTED) | Q(listed_on__isnull=False),
                                   name="abnormal_listed_has_date", violation_error_message="列入（标记）须有日期"),
            models.CheckConstraint(condition=~Q(status=EntryStatus.REMOVED) | (Q(removed_on__isnull=False) & ~Q(removal_reason="")),
                                   name="abnormal_removed_has_date", violation_error_message="移出须有日期和原因"),
            models.CheckConstraint(condition=Q(removed_on__isnull=True) | Q(removed_on__gte=models.F("listed_on")),
                                   name="abnormal_removed_after_listed", violation_error_message="移出日期不能早于列入日期"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.get_reason_display()}"


class SeriousEntry(models.Model):
    """严重违法失信名单 (SAMR Order 44): proposed from a penalty decision flagged serious or from an abnormal
    listing still in force after 3 years; listed by a decision, shown until `list_until`."""

    business = models.ForeignKey(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="serious_entries")
    source = models.CharField("列入依据", max_length=10, choices=SeriousSource.choices)
    category = models.CharField("严重违法失信行为类别", max_length=20, choices=SeriousCategory.choices[1:])
    case = models.ForeignKey(Case, verbose_name="行政处罚案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    abnormal_entry = models.ForeignKey(AbnormalEntry, verbose_name="经营异常名录记录", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="serious_entries")
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.PROPOSED, db_index=True)
    proposed_on = models.DateField("提出日期", db_index=True)
    decision = models.ForeignKey(Decision, verbose_name="列入决定", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="serious_listed")
    listed_on = models.DateField("列入日期", null=True, blank=True, db_index=True)
    list_until = models.DateField("列入期满日期", null=True, blank=True)
    declined_reason = models.CharField("不予列入理由", max_length=300, blank=True)
    removed_on = models.DateField("移出日期", null=True, blank=True, db_index=True)
    removal_reason = models.CharField("移出原因", max_length=12, choices=RemovalReason.choices, blank=True)
    removal_decision = models.ForeignKey(Decision, verbose_name="移出决定", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="serious_removed")
    created_by = models.ForeignKey(USER, verbose_name="提出人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "严重违法失信名单记录"
        verbose_name_plural = "严重违法失信名单"
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=ACTIVE & Q(case__isnull=False), name="uniq_open_serious_case"),
            models.UniqueConstraint(fields=["abnormal_entry"], condition=ACTIVE & Q(abnormal_entry__isnull=False),
                                    name="uniq_open_serious_abnormal"),
            models.CheckConstraint(condition=Q(case__isnull=False) | Q(abnormal_entry__isnull=False), name="serious_has_source",
                                   violation_error_message="严重违法失信名单记录须有来源（处罚案件或经营异常名录记录）"),
            models.CheckConstraint(condition=~Q(status=EntryStatus.LISTED) | Q(listed_on__isnull=False, list_until__isnull=False),
                                   name="serious_listed_has_dates", violation_error_message="列入须有列入日期和期满日期"),
            models.CheckConstraint(condition=~Q(status=EntryStatus.REMOVED) | (Q(removed_on__isnull=False) & ~Q(removal_reason="")),
                                   name="serious_removed_has_date", violation_error_message="移出须有日期和原因"),
        ]

    def __str__(self):
        return f"严重违法失信名单：{self.get_category_display()}"


class RepairApplication(models.Model):
    """信用修复 application: end a penalty publication early, or leave the abnormal or the serious list."""

    business = models.ForeignKey(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="repair_applications")
    target = models.CharField("修复事项", max_length=12, choices=RepairTarget.choices)
    case = models.ForeignKey(Case, verbose_name="行政处罚案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    abnormal_entry = models.ForeignKey(AbnormalEntry, verbose_name="经营异常名录记录", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="repairs")
    serious_entry = models.ForeignKey(SeriousEntry, verbose_name="严重违法失信名单记录", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="repairs")
    applied_on = models.DateField("申请日期", db_index=True)
    due = models.DateField("决定期限", null=True, blank=True)
    statement = models.TextField("申请理由（纠正情况）")
    # The conditions the approver attests (keys of rules.REPAIR_CONDITIONS); those the system can see are checked.
    conditions = models.JSONField("已核实条件", default=list, blank=True)
    status = models.CharField("状态", max_length=10, choices=RepairStatus.choices, default=RepairStatus.PENDING, db_index=True)
    decided_on = models.DateField("决定日期", null=True, blank=True, db_index=True)
    decision = models.ForeignKey(Decision, verbose_name="决定", null=True, blank=True, on_delete=models.PROTECT, related_name="repairs")
    refusal_reason = models.CharField("不予修复理由", max_length=300, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "信用修复申请"
        verbose_name_plural = "信用修复申请"
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target=RepairTarget.PUBLICATION, case__isnull=False)
                           | Q(target=RepairTarget.ABNORMAL, abnormal_entry__isnull=False)
                           | Q(target=RepairTarget.SERIOUS, serious_entry__isnull=False)),
                name="repair_has_target", violation_error_message="修复申请须指明所涉处罚案件或名录记录"),
            models.CheckConstraint(condition=~Q(status=RepairStatus.REFUSED) | ~Q(refusal_reason=""), name="repair_refusal_has_reason",
                                   violation_error_message="不予修复须写明理由"),
        ]

    def __str__(self):
        return f"{self.get_target_display()}（{self.applied_on}）"


class RiskScore(models.Model):
    """The latest computed 信用风险分类 of a business, with the factors that made it (internal, never public)."""

    business = models.OneToOneField(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="credit_score")
    scored_on = models.DateField("评分日期")
    points = models.PositiveIntegerField("风险分值")
    computed_class = models.CharField("计算分类", max_length=1, choices=CreditRiskClass.choices)
    # [{"key", "label", "count", "points"}, …] in the order of the factor table: what the page shows.
    factors = models.JSONField("评分因素", default=list)
    # The factors as "key:count" words (and the report year missed): a run compares this, not the JSON.
    signature = models.CharField("因素摘要", max_length=200, blank=True, default="")
    changed_on = models.DateField("分类变动日期")

    class Meta:
        verbose_name = "信用风险评分"
        verbose_name_plural = "信用风险评分"
        indexes = [models.Index(fields=["computed_class"], name="risk_score_class")]


class RiskOverride(models.Model):
    """A manual 信用风险分类 that replaces the computed one until ended; the reason is required (audited)."""

    business = models.ForeignKey(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="credit_overrides")
    risk_class = models.CharField("人工分类", max_length=1, choices=CreditRiskClass.choices)
    reason = models.CharField("调整理由", max_length=300)
    set_on = models.DateField("调整日期")
    set_by = models.ForeignKey(USER, verbose_name="调整人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField("撤销日期", null=True, blank=True)
    ended_by = models.ForeignKey(USER, verbose_name="撤销人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "信用风险分类人工调整"
        verbose_name_plural = "信用风险分类人工调整"
        ordering = ["-set_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["business"], condition=Q(ended_on__isnull=True), name="uniq_open_risk_override")]

    def __str__(self):
        return f"人工调整为{self.get_risk_class_display()}（{self.set_on}）"


class RiskRun(models.Model):
    """One run of the monthly scoring: when, on which date, by whom, and what it changed (the audit of a run;
    the businesses whose class changed are in RiskClassPeriod)."""

    run_on = models.DateField("评分日期", db_index=True)
    # When the run began: the classes it sets carry this time as the business's updated_at, so the next run
    # re-checks exactly the businesses and filings changed after it began (null: an older run, re-check all).
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    # Written when the run ends: the next run re-checks the businesses edited after it.
    finished_at = models.DateTimeField("完成时间", auto_now_add=True)
    seconds = models.FloatField("用时（秒）", default=0)
    scored = models.PositiveIntegerField("评分主体数", default=0)
    scores_written = models.PositiveIntegerField("评分变动数", default=0)
    classes_changed = models.PositiveIntegerField("分类变动数", default=0)
    # {"A": n, "B": n, "C": n, "D": n}: the effective classes of the businesses scored, after the run.
    counts = models.JSONField("各类主体数", default=dict)
    run_by = models.ForeignKey(USER, verbose_name="执行人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The highest business id when the run ended: the next run gives the businesses registered since a class.
    last_business_id = models.BigIntegerField("评分时最大主体编号", default=0)

    class Meta:
        verbose_name = "信用风险评分批次"
        verbose_name_plural = "信用风险评分批次"
        ordering = ["-run_on", "-id"]

    def __str__(self):
        return f"{self.run_on} 信用风险评分"


class RiskClassPeriod(models.Model):
    """The effective 信用风险分类 of a business from `valid_from` until the day before `valid_to` (open: still
    in force): the history that credit.risk_class counts as of a date. Written only when the class changes."""

    business = models.ForeignKey(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="credit_class_periods")
    risk_class = models.CharField("信用风险分类", max_length=1, choices=CreditRiskClass.choices)
    overridden = models.BooleanField("人工调整", default=False)
    valid_from = models.DateField("起始日期")
    valid_to = models.DateField("终止日期", null=True, blank=True)

    class Meta:
        verbose_name = "信用风险分类记录"
        verbose_name_plural = "信用风险分类记录"
        ordering = ["business", "valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to", "risk_class"], name="risk_period_asof")]
        constraints = [
            models.UniqueConstraint(fields=["business"], condition=Q(valid_to__isnull=True), name="uniq_open_risk_period"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                                   name="risk_period_not_empty", violation_error_message="终止日期须晚于起始日期"),
        ]

    def __str__(self):
        return f"{self.risk_class}类 {self.valid_from}—{self.valid_to or ''}"
