"""食品安全风险分级 and the yearly inspection plan.

A grading run (GradeRun) grades every food business of one year on one date; a later run of the same year
supersedes it from its own date, so "the grade as of D" is the grade of the run of D's year in force on D. A
plan run (PlanRun) turns the grades in force when it is built into plan items, superseded the same way.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.licences.models import Licence, LicenceKind, Sector
from jianguan.org.models import Subdistrict

from .choices import Grade

USER = settings.AUTH_USER_MODEL


def grades_in_force_q(on, prefix: str = "") -> Q:
    """Grades (reached through `prefix`) of the grading run of `on`'s year in force on `on`: graded on or
    before it and not yet superseded by a later run of the year."""
    p = prefix
    return Q(**{f"{p}run__year": on.year, f"{p}run__graded_on__lte": on}) & (
        Q(**{f"{p}run__superseded_on__isnull": True}) | Q(**{f"{p}run__superseded_on__gt": on}))


def plan_in_force_q(on, prefix: str = "") -> Q:
    """Plan items (reached through `prefix`) of the plan of `on`'s year in force on `on`."""
    p = prefix
    return Q(**{f"{p}run__year": on.year, f"{p}run__built_on__lte": on}) & (
        Q(**{f"{p}run__superseded_on__isnull": True}) | Q(**{f"{p}run__superseded_on__gt": on}))


class GradeRun(models.Model):
    """One grading of every food business for a year, on a date (the rules in force that day)."""

    year = models.PositiveSmallIntegerField("分级年度", db_index=True)
    graded_on = models.DateField("评定日期")
    # The graded_on of the next run of the same year: from that day this run's grades no longer count.
    superseded_on = models.DateField("被替代日期", null=True, blank=True)
    graded = models.PositiveIntegerField("评定主体数", default=0)
    counts = models.JSONField("各等级主体数", default=dict)
    seconds = models.FloatField("用时（秒）", default=0)
    run_by = models.ForeignKey(USER, verbose_name="执行人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("执行时间", auto_now_add=True)

    class Meta:
        verbose_name = "风险分级批次"
        verbose_name_plural = "风险分级批次"
        ordering = ["-year", "-graded_on", "-id"]
        indexes = [models.Index(fields=["year", "graded_on"], name="food_graderun_year")]

    def __str__(self):
        return f"{self.year}年度风险分级（{self.graded_on}）"


class FoodGrade(models.Model):
    """The risk grade of one food business in one grading run, with the factors that made it (explanation)."""

    run = models.ForeignKey(GradeRun, verbose_name="分级批次", on_delete=models.PROTECT, related_name="grades")
    year = models.PositiveSmallIntegerField("分级年度")
    graded_on = models.DateField("评定日期")
    business = models.ForeignKey(Business, verbose_name="食品生产经营者", on_delete=models.PROTECT, related_name="food_grades")
    # The licence whose kind and 业态 gave the static points (the highest of the business's valid food licences).
    licence = models.ForeignKey(Licence, verbose_name="据以评定的许可证", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    kind = models.ForeignKey(LicenceKind, verbose_name="许可种类", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(Sector, verbose_name="主体业态", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    static_points = models.IntegerField("静态风险分值", default=0)
    dynamic_points = models.IntegerField("动态风险分值", default=0)
    points = models.IntegerField("风险分值", default=0)
    computed_grade = models.CharField("计算等级", max_length=1, choices=Grade.choices)
    grade = models.CharField("风险等级", max_length=1, choices=Grade.choices)
    # [{"key", "label", "count", "points"}, …]: static factors first, then the dynamic ones with points.
    factors = models.JSONField("评分因素", default=list)
    overridden = models.BooleanField("人工调整", default=False)
    override_reason = models.CharField("调整理由", max_length=300, blank=True)
    override_by = models.ForeignKey(USER, verbose_name="调整人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    override_on = models.DateField("调整日期", null=True, blank=True)
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "食品安全风险等级"
        verbose_name_plural = "食品安全风险等级"
        ordering = ["-year", "business"]
        indexes = [
            models.Index(fields=["business", "year"], name="food_grade_business"),
            models.Index(fields=["run", "grade"], name="food_grade_run"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["run", "business"], name="uniq_food_grade"),
            models.CheckConstraint(condition=Q(overridden=False) | ~Q(override_reason=""), name="food_grade_override_reason",
                                   violation_error_message="人工调整须写明理由"),
        ]

    def __str__(self):
        return f"{self.year}年度 {self.get_grade_display()}"


class PlanRun(models.Model):
    """One build of a year's inspection plan from the grades in force on its date."""

    year = models.PositiveSmallIntegerField("计划年度", db_index=True)
    built_on = models.DateField("编制日期")
    superseded_on = models.DateField("被替代日期", null=True, blank=True)
    grade_run = models.ForeignKey(GradeRun, verbose_name="依据的分级批次", on_delete=models.PROTECT, related_name="plans")
    items = models.PositiveIntegerField("计划主体数", default=0)
    min_total = models.PositiveIntegerField("最低检查频次合计", default=0)
    max_total = models.PositiveIntegerField("最高检查频次合计", default=0)
    run_by = models.ForeignKey(USER, verbose_name="编制人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("编制时间", auto_now_add=True)

    class Meta:
        verbose_name = "年度检查计划"
        verbose_name_plural = "年度检查计划"
        ordering = ["-year", "-built_on", "-id"]

    def __str__(self):
        return f"{self.year}年度食品安全监督检查计划（{self.built_on}）"


class PlanItem(models.Model):
    """One business of a year's plan: its grade and how many inspections it is due (min–max)."""

    run = models.ForeignKey(PlanRun, verbose_name="检查计划", on_delete=models.PROTECT, related_name="plan_items")
    year = models.PositiveSmallIntegerField("计划年度")
    business = models.ForeignKey(Business, verbose_name="食品生产经营者", on_delete=models.PROTECT, related_name="food_plan_items")
    food_grade = models.ForeignKey(FoodGrade, verbose_name="风险等级记录", on_delete=models.PROTECT, related_name="plan_items")
    grade = models.CharField("风险等级", max_length=1, choices=Grade.choices)
    min_inspections = models.PositiveSmallIntegerField("最低检查次数")
    max_inspections = models.PositiveSmallIntegerField("最高检查次数")
    # The business's subdistrict when planned: the station that carries the plan.
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", on_delete=models.PROTECT, related_name="+")
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "检查计划主体"
        verbose_name_plural = "检查计划主体"
        ordering = ["run", "business"]
        indexes = [models.Index(fields=["business", "year"], name="food_plan_business")]
        constraints = [
            models.UniqueConstraint(fields=["run", "business"], name="uniq_food_plan_item"),
            models.CheckConstraint(condition=Q(max_inspections__gte=models.F("min_inspections")), name="food_plan_min_le_max",
                                   violation_error_message="最高检查次数不能少于最低检查次数"),
        ]

    def __str__(self):
        return f"{self.year}年度 {self.grade}级 {self.min_inspections}–{self.max_inspections}次"
