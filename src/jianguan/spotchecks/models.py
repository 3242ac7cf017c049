from django.conf import settings
from django.db import models
from django.db.models import Q

from jianguan.businesses.models import Business
from jianguan.inspections.models import Inspection
from jianguan.org.models import OrgUnit, Subdistrict

from .choices import PlanStatus, PoolTarget, PublicResult, TaskStatus

USER = settings.AUTH_USER_MODEL


class CheckItem(models.Model):
    """抽查事项清单: one item that may be spot-checked, with its legal basis and method."""

    code = models.CharField("事项编码", max_length=40, unique=True)
    name = models.CharField("抽查事项", max_length=200)
    legal_basis = models.CharField("法律依据", max_length=500)
    method = models.CharField("检查方式", max_length=200, blank=True, help_text="如 现场检查、书面检查、网络监测")
    key_item = models.BooleanField("重点检查事项", default=False)
    department = models.ForeignKey(OrgUnit, verbose_name="实施科室", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    disabled_on = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        verbose_name = "抽查事项"
        verbose_name_plural = "抽查事项清单"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Conflict(models.Model):
    """A declared conflict of interest: the inspector is never drawn for that business."""

    inspector = models.ForeignKey(USER, verbose_name="执法人员", on_delete=models.PROTECT, related_name="conflicts")
    business = models.ForeignKey(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="+")
    relation = models.CharField("关系", max_length=100)
    reason = models.CharField("回避理由", max_length=300, blank=True)
    declared_on = models.DateField("申报日期")

    class Meta:
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"
        constraints = [models.UniqueConstraint(fields=["inspector", "business"], name="uniq_conflict")]


class InspectorPool(models.Model):
    """执法检查人员名录库: certified users; at locking only those valid on the task's start count."""

    name = models.CharField("名录库名称", max_length=200, unique=True)
    department = models.ForeignKey(OrgUnit, verbose_name="建库单位", on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField(USER, verbose_name="执法人员", related_name="inspector_pools")
    created_on = models.DateField("建库日期")

    class Meta:
        verbose_name = "执法检查人员名录库"
        verbose_name_plural = "执法检查人员名录库"
        ordering = ["-created_on", "name"]

    def __str__(self):
        return self.name


class ObjectPool(models.Model):
    """检查对象名录库: a saved filter over businesses (or equipment operators), resolved at locking."""

    name = models.CharField("名录库名称", max_length=200, unique=True)
    target = models.CharField("对象类别", max_length=20, choices=PoolTarget.choices, default=PoolTarget.BUSINESSES)
    department = models.ForeignKey(OrgUnit, verbose_name="建库单位", on_delete=models.PROTECT, related_name="+")
    entity_types = models.JSONField("主体类型", default=list, blank=True)
    industries = models.JSONField("行业代码前缀", default=list, blank=True)
    licence_kinds = models.JSONField("许可类别", default=list, blank=True)
    equipment_types = models.JSONField("设备种类", default=list, blank=True)
    subdistricts = models.ManyToManyField(Subdistrict, verbose_name="街道", blank=True, related_name="+")
    key_units_only = models.BooleanField("仅重点单位", default=False)
    credit_classes = models.JSONField("信用风险分类", default=list, blank=True, help_text='如 ["C", "D"]；"-" 为未分类')
    created_on = models.DateField("建库日期")

    class Meta:
        verbose_name = "检查对象名录库"
        verbose_name_plural = "检查对象名录库"
        ordering = ["-created_on", "name"]

    def __str__(self):
        return self.name


class Plan(models.Model):
    """年度抽查计划."""

    year = models.PositiveIntegerField("年度")
    name = models.CharField("计划名称", max_length=200)
    department = models.ForeignKey(OrgUnit, verbose_name="制定单位", on_delete=models.PROTECT, related_name="+")
    description = models.TextField("说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_on = models.DateField("制定日期")

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"
        ordering = ["-year", "name"]
        constraints = [models.UniqueConstraint(fields=["year", "name"], name="uniq_plan_name")]

    def __str__(self):
        return self.name


class Task(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="tasks")
    number = models.CharField("任务编号", max_length=40, unique=True)
    name = models.CharField("任务名称", max_length=200)
    items = models.ManyToManyField(CheckItem, verbose_name="抽查事项", related_name="tasks")
    object_pool = models.ForeignKey(ObjectPool, verbose_name="检查对象名录库", on_delete=models.PROTECT, related_name="tasks")
    inspector_pool = models.ForeignKey(InspectorPool, verbose_name="执法检查人员名录库", on_delete=models.PROTECT, related_name="tasks")
    ratios = models.JSONField("抽取比例", default=dict, help_text='{"A": "0.03", "B": "0.05", "C": "0.10", "D": "0.30"}')
    team_size = models.PositiveIntegerField("每组人数", default=2)
    max_objects_per_inspector = models.PositiveIntegerField("每人最多承担对象数", null=True, blank=True)
    departments = models.ManyToManyField(OrgUnit, verbose_name="参与部门（联合抽查）", blank=True, related_name="+")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")
    status = models.CharField("状态", max_length=20, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    # Frozen at locking: what the draw will read, and what the public sees before the draw.
    locked_at = models.DateTimeField("锁定时间", null=True, blank=True)
    pool_snapshot = models.JSONField("锁定的对象名录", null=True, blank=True)
    inspector_snapshot = models.JSONField("锁定的人员名录", null=True, blank=True)
    pool_digest = models.CharField("对象名录摘要", max_length=64, blank=True)
    inspector_digest = models.CharField("人员名录摘要", max_length=64, blank=True)
    commitment = models.CharField("承诺值", max_length=64, blank=True)
    secret = models.CharField("密钥（抽取后公开）", max_length=64, blank=True)
    witness = models.TextField("见证文字", blank=True)
    witness_name = models.CharField("监督人员", max_length=100, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(USER, verbose_name="抽取操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    record = models.JSONField("抽取记录", null=True, blank=True)
    # Fixed at locking: the random labels that name strata and inspectors in the public record (labels.py).
    labels = models.JSONField("公开记录代号", null=True, blank=True)
    void_reason = models.TextField("作废理由", blank=True)
    voided_at = models.DateTimeField("作废时间", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="创建人", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.IntegerField("版本", default=1)

    class Meta:
        verbose_name = "抽查任务"
        verbose_name_plural = "抽查任务"
        ordering = ["-start", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(team_size__gte=2), name="task_team_of_two", violation_error_message="每组人数不得少于 2 名"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="task_end_after_start", violation_error_message="结束日期不能早于开始日期"),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"


class DrawnObject(models.Model):
    task = models.ForeignKey(Task, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="drawn")
    order = models.PositiveIntegerField("抽中顺序")
    key = models.CharField("对象标识", max_length=60)
    stratum = models.CharField("分层", max_length=10)
    rank = models.CharField("序值", max_length=64)
    business = models.ForeignKey(Business, verbose_name="市场主体", on_delete=models.PROTECT, related_name="spotchecks")
    subdistrict = models.ForeignKey(Subdistrict, verbose_name="所属街道", on_delete=models.PROTECT, related_name="+")
    team = models.JSONField("检查组（执法证号）", default=list)
    inspection = models.OneToOneField(
        Inspection, verbose_name="检查记录", null=True, blank=True, on_delete=models.PROTECT, related_name="spotcheck"
    )
    result = models.CharField("抽查结果", max_length=20, choices=PublicResult.choices, blank=True)
    result_on = models.DateField("结果日期", null=True, blank=True)
    publish_due = models.DateField("公示期限", null=True, blank=True)
    publish_due_provisional = models.BooleanField("公示期限为暂定", default=False)
    published_on = models.DateField("公示日期", null=True, blank=True)

    class Meta:
        verbose_name = "抽中对象"
        verbose_name_plural = "抽中对象"
        ordering = ["task", "order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "key"], name="uniq_drawn_key"),
            models.UniqueConstraint(fields=["task", "order"], name="uniq_drawn_order"),
        ]

    def __str__(self):
        return f"{self.task.number}:{self.key}"
