from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.campaigns.models import Campaign
from jianguan.cases.models import Lead
from jianguan.core.models import Reference
from jianguan.org.models import OrgUnit, Subdistrict

from .choices import (
    Conclusion,
    DisposalStatus,
    ObjectionOutcome,
    QuickTestMode,
    QuickTestResult,
    RetestOutcome,
    SamplingType,
)

USER = settings.AUTH_USER_MODEL
QTY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}


class FoodCategory(Reference):
    """食品大类 of the national food-safety sampling classification (实施细则), plus 食用农产品."""

    class Meta(Reference.Meta):
        verbose_name = "食品大类"
        verbose_name_plural = "食品大类"


class BusinessFormat(Reference):
    """业态 of the sampled business: 生产, 批发, 超市, 农贸市场, 食杂店, 餐饮, 学校食堂, 网络销售, 其他."""

    class Meta(Reference.Meta):
        verbose_name = "业态"
        verbose_name_plural = "业态"


class SamplingPlan(models.Model):
    """年度抽检计划 of a department: batch targets by food category and 业态, and the 批次/千人 target."""

    year = models.PositiveIntegerField("年度")
    department = models.ForeignKey(OrgUnit, verbose_name="承担科室", on_delete=models.PROTECT, related_name="sampling_plans")
    title = models.CharField("计划名称", max_length=200)
    batches = models.PositiveIntegerField("计划批次")
    per_thousand_target = models.DecimalField("批次/千人目标", max_digits=6, decimal_places=2, null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(USER, verbose_name="制定人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("制定时间", auto_now_add=True)
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "抽检计划"
        verbose_name_plural = "抽检计划"
        ordering = ["-year", "department__name"]
        constraints = [models.UniqueConstraint(fields=["year", "department"], name="sampling_plan_year_department")]

    def __str__(self):
        return f"{self.year}年{self.title}"


class PlanTarget(models.Model):
    """One line of a plan: batches for a food category, a 业态, or both."""

    plan = models.ForeignKey(SamplingPlan, verbose_name="抽检计划", on_delete=models.CASCADE, related_name="targets")
    food_category = models.ForeignKey(FoodCategory, verbose_name="食品大类", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    business_format = models.ForeignKey(BusinessFormat, verbose_name="业态", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    batches = models.PositiveIntegerField("计划批次")

    class Meta:
        verbose_name = "计划分项"
        verbose_name_plural = "计划分项"
        constraints = [
            models.CheckConstraint(condition=Q(food_category__isnull=False) | Q(business_format__isnull=False),
                                   name="plan_target_has_dimension", violation_error_message="计划分项须指定食品大类或业态"),
            models.UniqueConstraint(fields=["plan", "food_category", "business_format"], name="plan_target_unique"),
        ]

    def __str__(self):
        return f"{self.food_category or ''}{self.business_format or ''} {self.batches}批次"


class Sample(models.Model):
    """抽样单: one batch sampled, tested and — when unqualified — disposed (核查处置) within its clocks.
    Counted by sampling date (批次, 合格率) and by report date (处置率)."""

    number = models.CharField("抽样单编号", max_length=60, unique=True)
    sampled_on = models.DateField("抽样日期", db_index=True)
    sampling_type = models.CharField("抽检类型", max_length=12, choices=SamplingType.choices, default=SamplingType.SUPERVISION)
    # The sampled business: linked to the registry when its code is registered; a stall or an unregistered
    # seller is kept by name. Its subdistrict decides the station that counts it.
    business = models.ForeignKey(Business, verbose_name="被抽样单位", null=True, blank=True, on_delete=models.PROTECT, related_name="samples")
    business_name = models.CharField("被抽样单位名称", max_length=200)
    business_uscc = models.CharField("被抽样单位统一社会信用代码", max_length=18, blank=True, db_index=True)
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    business_format = models.ForeignKey(BusinessFormat, verbose_name="业态", on_delete=models.PROTECT, related_name="samples")
    food_category = models.ForeignKey(FoodCategory, verbose_name="食品大类", on_delete=models.PROTECT, related_name="samples")
    sample_name = models.CharField("样品名称", max_length=200)
    specification = models.CharField("规格型号", max_length=100, blank=True)
    batch = models.CharField("生产日期或批号", max_length=100, blank=True)
    producer_name = models.CharField("标称生产者名称", max_length=200, blank=True)
    producer_uscc = models.CharField("标称生产者统一社会信用代码", max_length=18, blank=True)
    institution = models.CharField("检验机构", max_length=200, blank=True)
    campaign = models.ForeignKey(Campaign, verbose_name="专项行动", null=True, blank=True, on_delete=models.PROTECT, related_name="samples")

    # Clocks, on the versioned rules in force on the sampling date (送检, 报告) or the report date (the rest).
    sent_on = models.DateField("送检日期", null=True, blank=True)
    send_due = models.DateField("送检期限", null=True, blank=True)
    report_due = models.DateField("报告期限", null=True, blank=True)
    report_on = models.DateField("报告日期", null=True, blank=True, db_index=True)
    conclusion = models.CharField("检验结论", max_length=12, choices=Conclusion.choices, default=Conclusion.PENDING, db_index=True)
    service_due = models.DateField("送达期限", null=True, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    retest_due = models.DateField("复检申请期限", null=True, blank=True)
    retest_requested_on = models.DateField("申请复检日期", null=True, blank=True)
    retest_institution = models.CharField("复检机构", max_length=200, blank=True)
    retest_report_on = models.DateField("复检报告日期", null=True, blank=True)
    retest_outcome = models.CharField("复检结论", max_length=12, choices=RetestOutcome.choices, blank=True)
    objection_due = models.DateField("异议期限", null=True, blank=True)
    objection_on = models.DateField("提出异议日期", null=True, blank=True)
    objection_outcome = models.CharField("异议处理结果", max_length=12, choices=ObjectionOutcome.choices, blank=True)
    objection_decided_on = models.DateField("异议处理日期", null=True, blank=True)

    # 核查处置 of an unqualified product.
    disposal_due = models.DateField("处置期限", null=True, blank=True, db_index=True)
    # True when any clock above ends in a year whose official calendar is not known yet (暂定).
    dues_provisional = models.BooleanField("期限为暂定", default=False)
    disposal_status = models.CharField("处置状态", max_length=10, choices=DisposalStatus.choices, default=DisposalStatus.AWAITING, db_index=True)
    removed_qty = models.DecimalField("下架数量", **QTY)
    recalled_qty = models.DecimalField("召回数量", **QTY)
    destroyed_qty = models.DecimalField("销毁数量", **QTY)
    qty_unit = models.CharField("数量单位", max_length=10, blank=True)
    stopped_selling = models.BooleanField("责令停止经营", default=False)
    cause = models.TextField("原因排查", blank=True)
    disposal_note = models.TextField("处置情况", blank=True)
    disposed_on = models.DateField("处置完成日期", null=True, blank=True, db_index=True)
    lead = models.OneToOneField(Lead, verbose_name="案件线索", null=True, blank=True, on_delete=models.PROTECT, related_name="sample")
    no_case_reason = models.CharField("不移交立案的理由", max_length=200, blank=True)

    imported = models.BooleanField("由台账导入", default=False)
    created_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "抽检样品"
        verbose_name_plural = "抽检样品"
        ordering = ["-sampled_on", "-id"]
        indexes = [
            models.Index(fields=["disposal_status", "disposal_due"], name="sample_disposal_due"),
            models.Index(fields=["subdistrict", "sampled_on"], name="sample_subdistrict_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(conclusion=Conclusion.PROBLEM) | Q(sampling_type=SamplingType.RISK), name="sample_problem_is_risk",
                violation_error_message="“问题样品”只用于风险监测；监督抽检和评价性抽检的结论为合格或不合格",
            ),
            models.CheckConstraint(
                condition=~Q(conclusion=Conclusion.UNQUALIFIED) | ~Q(sampling_type=SamplingType.RISK), name="sample_risk_not_unqualified",
                violation_error_message="风险监测不作合格判定，发现问题的样品结论为“问题样品”",
            ),
        ]
        permissions = [("dispose_sample", "可录入不合格样品核查处置")]

    def __str__(self):
        return f"{self.number} {self.sample_name}"


class UnqualifiedItem(models.Model):
    """不合格项目 (or a 问题 item of risk monitoring): the measured value against the standard's."""

    sample = models.ForeignKey(Sample, verbose_name="样品", on_delete=models.CASCADE, related_name="items")
    name = models.CharField("项目", max_length=100)
    measured = models.CharField("检验结果", max_length=50, blank=True)
    standard = models.CharField("标准值", max_length=50, blank=True)
    unit = models.CharField("单位", max_length=20, blank=True)
    order = models.PositiveIntegerField("序号", default=0)

    class Meta:
        verbose_name = "不合格项目"
        verbose_name_plural = "不合格项目"
        ordering = ["sample", "order", "id"]

    def __str__(self):
        return self.name


class QuickTest(models.Model):
    """快检: at a market test station or by a mobile test; a positive result proposes a sample."""

    tested_on = models.DateField("检测日期", db_index=True)
    mode = models.CharField("检测方式", max_length=10, choices=QuickTestMode.choices, default=QuickTestMode.STATION)
    place = models.CharField("检测地点", max_length=200)
    business = models.ForeignKey(Business, verbose_name="受检主体", null=True, blank=True, on_delete=models.PROTECT, related_name="quick_tests")
    business_uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    product = models.CharField("样品名称", max_length=200)
    item = models.CharField("检测项目", max_length=100)
    result = models.CharField("检测结果", max_length=10, choices=QuickTestResult.choices, db_index=True)
    campaign = models.ForeignKey(Campaign, verbose_name="专项行动", null=True, blank=True, on_delete=models.PROTECT, related_name="quick_tests")
    sample = models.ForeignKey(Sample, verbose_name="跟进抽样", null=True, blank=True, on_delete=models.PROTECT, related_name="quick_tests")
    note = models.CharField("备注", max_length=200, blank=True)
    imported = models.BooleanField("由台账导入", default=False)
    created_by = models.ForeignKey(USER, verbose_name="检测人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "快检记录"
        verbose_name_plural = "快检记录"
        ordering = ["-tested_on", "-id"]
        indexes = [models.Index(fields=["subdistrict", "tested_on"], name="quicktest_subdistrict_date")]

    def __str__(self):
        return f"{self.tested_on} {self.place} {self.product} {self.item} {self.get_result_display()}"
