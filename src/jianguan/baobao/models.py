"""包保 (两个责任): a food subject's 包保 grade (kept apart from its food risk level), the cadres who 包保, who
包保 whom from when to when, and the cadres' 督导 records."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from jianguan.businesses.models import Business
from jianguan.org.models import Subdistrict

from .choices import BaobaoGrade, CadreLevel


class GradeRecord(models.Model):
    """A subject's 包保 grade over a span of days: the spans of one subject never overlap, so the grade on any
    day is one row (the figures as of a date count those rows)."""

    business = models.ForeignKey(Business, verbose_name="包保主体", on_delete=models.PROTECT, related_name="baobao_grades")
    grade = models.CharField("包保等级", max_length=1, choices=BaobaoGrade.choices)
    valid_from = models.DateField("起始日期")
    valid_until = models.DateField("截止日期", null=True, blank=True, help_text="空为现行等级")
    reason = models.CharField("确定依据", max_length=300, blank=True)
    version = models.IntegerField("版本", default=1)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "包保等级"
        verbose_name_plural = "包保等级"
        ordering = ["business", "-valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_until", "grade"], name="baobao_grade_span")]
        constraints = [
            models.UniqueConstraint(fields=["business"], condition=Q(valid_until__isnull=True), name="baobao_one_current_grade"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                                   name="baobao_grade_dates", violation_error_message="截止日期不能早于起始日期"),
        ]

    def __str__(self):
        return f"{self.business} {self.grade}"


class Cadre(models.Model):
    """包保干部. A township or village cadre belongs to a subdistrict (乡镇、街道); a county cadre to none."""

    name = models.CharField("姓名", max_length=50)
    level = models.CharField("层级", max_length=10, choices=CadreLevel.choices)
    unit = models.CharField("工作单位", max_length=200)
    post = models.CharField("职务", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属乡镇（街道）", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    disabled_on = models.DateField("停用日期", null=True, blank=True)
    version = models.IntegerField("版本", default=1)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "包保干部"
        verbose_name_plural = "包保干部"
        ordering = ["level", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(level="county") | Q(subdistrict__isnull=False), name="baobao_cadre_subdistrict",
                                   violation_error_message="乡镇级、村级包保干部须填写所属乡镇（街道）"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_level_display()}）"

    def masked_phone(self) -> str:
        from jianguan.complaints.privacy import mask_phone  # the one phone mask of the project

        return mask_phone(self.phone)


class Assignment(models.Model):
    """A cadre 包保 a subject from one day until another (open while it lasts)."""

    business = models.ForeignKey(Business, verbose_name="包保主体", on_delete=models.PROTECT, related_name="baobao_assignments")
    cadre = models.ForeignKey(Cadre, verbose_name="包保干部", on_delete=models.PROTECT, related_name="assignments")
    start_on = models.DateField("包保起始日期")
    end_on = models.DateField("包保终止日期", null=True, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    version = models.IntegerField("版本", default=1)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "包保关系"
        verbose_name_plural = "包保关系"
        ordering = ["business", "start_on", "pk"]
        indexes = [models.Index(fields=["start_on", "end_on"], name="baobao_assignment_span"),
                   models.Index(fields=["cadre", "start_on"], name="baobao_assignment_cadre")]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")), name="baobao_assignment_dates",
                                   violation_error_message="包保终止日期不能早于起始日期"),
        ]

    def __str__(self):
        return f"{self.cadre} 包保 {self.business}"


class Supervision(models.Model):
    """督导 by the assignment's cadre: what was checked, the problems found, and whether they were rectified."""

    assignment = models.ForeignKey(Assignment, verbose_name="包保关系", on_delete=models.PROTECT, related_name="supervisions")
    on = models.DateField("督导日期")
    checked = models.TextField("督导内容")
    problems = models.TextField("发现问题", blank=True)
    problem_count = models.PositiveIntegerField("问题数", default=0)
    rectified = models.BooleanField("已整改", null=True, blank=True, help_text="未发现问题的为空")
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    version = models.IntegerField("版本", default=1)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "督导记录"
        verbose_name_plural = "督导记录"
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["assignment", "on"], name="baobao_supervision_on")]

    def __str__(self):
        return f"{self.assignment} {self.on}"
