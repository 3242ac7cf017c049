from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from jianguan.org.models import Subdistrict

from .choices import UNCLASSIFIED_LABEL, CreditRiskClass, EntityType, KeyUnitKind, RegStatus


class Business(models.Model):
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    name = models.CharField("名称", max_length=200, db_index=True)
    entity_type = models.CharField("主体类型", max_length=20, choices=EntityType.choices, db_index=True)
    legal_rep = models.CharField("法定代表人（经营者）", max_length=100, blank=True)
    address = models.CharField("住所", max_length=300, blank=True)
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", on_delete=models.PROTECT, related_name="businesses")
    industry_code = models.CharField("行业代码", max_length=10, blank=True, help_text="GB/T 4754")
    established_on = models.DateField("成立日期")
    reg_status = models.CharField("登记状态", max_length=20, choices=RegStatus.choices, default=RegStatus.ACTIVE)
    status_date = models.DateField("状态日期", null=True, blank=True)
    key_unit = models.CharField(
        "重点单位类别", max_length=20, choices=KeyUnitKind.choices, blank=True,
        help_text="学校、医院、车站、商场、公园等人员密集场所（特种设备重点监管）",
    )
    # Entered by hand or imported until a credit module computes it; blank is 未分类.
    credit_risk_class = models.CharField(
        "信用风险分类", max_length=1, choices=CreditRiskClass.choices, blank=True, default="",
        help_text="A类（低风险）至D类（高风险），空为未分类；双随机抽查按分类确定抽查比例",
    )
    credit_risk_class_on = models.DateField("分类日期", null=True, blank=True, help_text="作出该分类的日期；未分类时为空")
    needs_verification = models.BooleanField("待核实", default=False, help_text="由其他台账导入时自动建立，登记信息尚待核实")
    version = models.IntegerField("版本", default=1)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "市场主体"
        verbose_name_plural = "市场主体"
        ordering = ["uscc"]
        indexes = [
            models.Index(fields=["subdistrict", "entity_type"], name="business_subdistrict_type"),
            models.Index(fields=["established_on"], name="business_established"),
            models.Index(fields=["reg_status", "status_date"], name="business_status"),
            models.Index(fields=["reg_status", "subdistrict", "entity_type"], name="business_active_counts"),
            # Covers every column the registry's report figures read, so a report is one index-only pass.
            models.Index(
                fields=["entity_type", "established_on", "reg_status", "status_date", "subdistrict"],
                name="business_report_pass",
            ),
            # Spot-check object pools: the businesses of some classes (C、D) in some subdistricts.
            models.Index(fields=["credit_risk_class", "subdistrict"], name="business_credit_class"),
            # The monthly credit scoring re-checks the businesses changed since its last run.
            models.Index(fields=["updated_at"], name="business_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reg_status="active") | Q(status_date__isnull=False),
                name="business_status_date_required",
                violation_error_message="登记状态不是存续时必须填写状态日期",
            ),
            models.CheckConstraint(
                condition=~Q(credit_risk_class="") | Q(credit_risk_class_on__isnull=True),
                name="business_credit_class_date",
                violation_error_message="未分类时不能填写分类日期",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.credit_risk_class and self.credit_risk_class_on:
            raise ValidationError({"credit_risk_class_on": "未分类时不能填写分类日期"})

    @property
    def credit_risk_class_label(self) -> str:
        return self.get_credit_risk_class_display() if self.credit_risk_class else UNCLASSIFIED_LABEL
