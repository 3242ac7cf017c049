"""学校食堂与明厨亮灶: one canteen record per canteen licence (业态 学校食堂、托幼机构食堂、养老机构食堂、单位食堂),
its 明厨亮灶 history, and the school canteens' evaluations (评价验收)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.inspections.models import Inspection
from jianguan.licences.models import Licence

from .choices import ChangeKind, EvaluationResult, MingchuStatus, SchoolLevel


class Canteen(models.Model):
    """What the register knows of a canteen beyond its licence. Created on the first thing recorded about it:
    a canteen licence without one is a canteen whose 明厨亮灶 is 未建 and that was never evaluated."""

    licence = models.OneToOneField(Licence, verbose_name="许可证", on_delete=models.PROTECT, related_name="canteen")
    school_name = models.CharField("学校（机构）名称", max_length=200, blank=True)
    school_level = models.CharField("学段", max_length=20, choices=SchoolLevel.choices, blank=True)
    diners = models.PositiveIntegerField("就餐人数", null=True, blank=True)
    mingchu_status = models.CharField("明厨亮灶", max_length=10, choices=MingchuStatus.choices, default=MingchuStatus.NONE)
    built_on = models.DateField("建成日期", null=True, blank=True)
    connected_on = models.DateField("接入日期", null=True, blank=True, help_text="首次接入监管平台的日期")
    platform = models.CharField("接入平台", max_length=100, blank=True)
    reconnected_on = models.DateField("最近改接日期", null=True, blank=True)
    version = models.IntegerField("版本", default=1)
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "食堂"
        verbose_name_plural = "食堂"
        ordering = ["licence__number"]
        indexes = [models.Index(fields=["mingchu_status"], name="canteen_mingchu")]
        constraints = [
            models.CheckConstraint(
                condition=Q(mingchu_status="none") | Q(built_on__isnull=False),
                name="canteen_built_date", violation_error_message="已建或已接入平台的须填写建成日期"),
            models.CheckConstraint(
                condition=~Q(mingchu_status="connected") | Q(connected_on__isnull=False),
                name="canteen_connected_date", violation_error_message="已接入平台的须填写接入日期"),
        ]

    def __str__(self):
        return self.school_name or str(self.licence)


class MingchuChange(models.Model):
    """One step of a canteen's 明厨亮灶 (建成、新接入、改接), kept for the figures of a period."""

    canteen = models.ForeignKey(Canteen, verbose_name="食堂", on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField("变动", max_length=20, choices=ChangeKind.choices)
    on = models.DateField("日期")
    platform = models.CharField("平台", max_length=100, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "明厨亮灶变动"
        verbose_name_plural = "明厨亮灶变动"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["kind", "on", "canteen"], name="mingchu_change_kind_on")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class Evaluation(models.Model):
    """评价验收 of a school canteen. Its problems are findings of the inspection recorded with it (inspections
    app), so that their rectification follows the inspections' loop."""

    canteen = models.ForeignKey(Canteen, verbose_name="食堂", on_delete=models.PROTECT, related_name="evaluations")
    on = models.DateField("评价日期")
    result = models.CharField("评价结果", max_length=10, choices=EvaluationResult.choices)
    evaluator = models.CharField("评价人员（单位）", max_length=200)
    problems = models.TextField("发现问题", blank=True, help_text="每行一个问题")
    inspection = models.OneToOneField(Inspection, verbose_name="检查记录", on_delete=models.PROTECT, related_name="canteen_evaluation",
                                      null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "学校食堂评价验收"
        verbose_name_plural = "学校食堂评价验收"
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["canteen", "on"], name="evaluation_canteen_on"),
                   models.Index(fields=["on"], name="evaluation_on")]

    def __str__(self):
        return f"{self.canteen} {self.on} {self.get_result_display()}"

    @property
    def problem_lines(self) -> list[str]:
        return [line.strip() for line in self.problems.splitlines() if line.strip()]
