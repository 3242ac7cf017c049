from django.db import models


class CalendarDay(models.Model):
    """An official working-day fact that overrides chinesecalendar (or fills a year it does not know)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=50, blank=True, help_text="如 春节、国庆节调休上班")
    source_document = models.CharField("依据文件", max_length=200)

    class Meta:
        verbose_name = "工作日历调整"
        verbose_name_plural = "工作日历调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_workday else '休息'}"


class ProvisionalDeadline(models.Model):
    """A deadline computed on plain weekdays because its year's official calendar was unknown.

    Modules register theirs here so that administrators see them and `jianguan calendar refresh`
    can recompute them once the year is entered.
    """

    app_label = models.CharField("模块", max_length=50)
    object_ref = models.CharField("对象", max_length=100)
    field_name = models.CharField("字段", max_length=50)
    start = models.DateField("起算日")
    working_days = models.IntegerField("工作日数", null=True, blank=True, help_text="按工作日计算的期限填此项")
    calendar_days = models.IntegerField("自然日数", null=True, blank=True, help_text="按自然日计算的期限填此项")
    due = models.DateField("期限（暂定）")
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    resolved_at = models.DateTimeField("重算时间", null=True, blank=True)

    class Meta:
        verbose_name = "暂定期限"
        verbose_name_plural = "暂定期限"
        ordering = ["due"]
        constraints = [
            models.UniqueConstraint(fields=["app_label", "object_ref", "field_name"], name="uniq_provisional_deadline"),
            models.CheckConstraint(
                condition=(
                    models.Q(working_days__isnull=False, calendar_days__isnull=True)
                    | models.Q(working_days__isnull=True, calendar_days__isnull=False)
                ),
                name="provisional_deadline_one_unit",
            ),
        ]

    def __str__(self):
        return f"{self.app_label}:{self.object_ref}.{self.field_name} → {self.due}（暂定）"


class RuleUnit(models.TextChoices):
    CALENDAR_DAY = "calendar_day", "日（自然日）"
    WORKING_DAY = "working_day", "工作日"
    MONTH = "month", "月"
    RATIO = "ratio", "比例"
    AMOUNT = "amount", "金额（元）"
    COUNT = "count", "数量"


class Rule(models.Model):
    """A statutory number (deadline, cycle, ratio, threshold), versioned by the date it takes effect."""

    key = models.CharField("规则键", max_length=100, db_index=True)
    label = models.CharField("名称", max_length=200)
    value = models.CharField("取值", max_length=50, help_text="数值按字符串保存，比例如 0.05")
    unit = models.CharField("单位", max_length=20, choices=RuleUnit.choices)
    valid_from = models.DateField("施行日期")
    source_document = models.CharField("依据文件", max_length=300)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "规则参数"
        verbose_name_plural = "规则参数"
        ordering = ["key", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["key", "valid_from"], name="uniq_rule_version")]

    def __str__(self):
        return f"{self.key}={self.value}（{self.valid_from}起）"


class DocumentNumberFormat(models.Model):
    """How numbers of one document kind are written, e.g. `X市监特指〔{year}〕{n}号`."""

    kind = models.CharField("文书种类", max_length=50, unique=True)
    label = models.CharField("名称", max_length=100)
    pattern = models.CharField("文号格式", max_length=100, help_text="可用 {year} 与 {n}")

    class Meta:
        verbose_name = "文号格式"
        verbose_name_plural = "文号格式"

    def __str__(self):
        return f"{self.label}：{self.pattern}"


class DocumentSequence(models.Model):
    kind = models.CharField("文书种类", max_length=50)
    year = models.IntegerField("年度")
    last = models.IntegerField("已用至", default=0)

    class Meta:
        verbose_name = "文号序列"
        verbose_name_plural = "文号序列"
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="uniq_document_sequence")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class AuditChainLink(models.Model):
    """One link per auditlog LogEntry: the entry's digest chained to the previous link's hash.

    log_entry_id is deliberately not a foreign key: deleting an audit row must leave the link
    behind as evidence.
    """

    seq = models.BigIntegerField("序号", unique=True)
    log_entry_id = models.BigIntegerField("审计记录", unique=True)
    prev_hash = models.CharField("前一哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = "审计链"
        verbose_name_plural = "审计链"
        ordering = ["seq"]

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"


class ImportBatch(models.Model):
    """One accepted ledger import: who, which file, what it changed. Rejected files write nothing."""

    ledger = models.CharField("台账", max_length=50)
    file_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField("文件SHA-256", max_length=64)
    actor = models.ForeignKey("org.User", verbose_name="操作人", null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    created_count = models.IntegerField("新增", default=0)
    updated_count = models.IntegerField("更新", default=0)
    unchanged_count = models.IntegerField("未变", default=0)
    changes = models.JSONField("变更明细", default=dict, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.ledger} {self.file_name} {self.created_at:%Y-%m-%d %H:%M}"


class AuditChainHead(models.Model):
    """The single row that serialises appends to the audit chain (locked with SELECT … FOR UPDATE)."""

    seq = models.BigIntegerField("最后序号", default=0)
    hash = models.CharField("最后哈希", max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"


class CalendarYear(models.Model):
    """A year whose official holiday schedule an administrator has entered in full (CalendarDay rows)."""

    year = models.IntegerField("年度", unique=True)
    source_document = models.CharField("依据文件", max_length=300)
    entered_on = models.DateField("录入日期", auto_now_add=True)

    class Meta:
        verbose_name = "已录入日历年度"
        verbose_name_plural = "已录入日历年度"
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class PeriodicJobState(models.Model):
    """When a periodic job (core.schedule) last ran, so that a restart neither repeats nor skips it."""

    key = models.CharField("任务键", max_length=100, unique=True)
    last_started_at = models.DateTimeField("最近开始", null=True, blank=True)
    last_finished_at = models.DateTimeField("最近结束", null=True, blank=True)
    last_ok = models.BooleanField("最近是否成功", null=True)
    last_error = models.TextField("最近错误", blank=True)

    class Meta:
        verbose_name = "定时任务状态"
        verbose_name_plural = "定时任务状态"
        ordering = ["key"]

    def __str__(self):
        return self.key


class WorkerHeartbeat(models.Model):
    """The background processes' sign of life, read by /healthz: one row per host and role."""

    name = models.CharField("进程", max_length=200, unique=True, help_text="主机名:角色，如 app1:worker")
    pid = models.IntegerField("进程号")
    beat_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = "后台进程心跳"
        verbose_name_plural = "后台进程心跳"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} {self.beat_at:%Y-%m-%d %H:%M:%S}"


# The document engine keeps its model in its own package (core.documents).
from .documents.models import IssuedDocument  # noqa: E402, F401


class Reference(models.Model):
    """A reference table a bureau may extend (disable, never delete: old records keep theirs): 食品大类, 许可种类,
    主体业态 …"""

    code = models.CharField("编码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveIntegerField("排序", default=0)
    disabled_on = models.DateField("停用日期", null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return self.name
