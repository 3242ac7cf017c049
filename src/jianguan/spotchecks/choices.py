from django.db import models


class PoolTarget(models.TextChoices):
    BUSINESSES = "businesses", "市场主体"
    OPERATORS = "operators", "特种设备使用单位"
    EQUIPMENT = "equipment", "特种设备"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    ACTIVE = "active", "执行中"
    DONE = "done", "已完成"


# 下达 (issue) a draft plan, then complete it once its tasks are finished; a completed plan is a
# record of the year and never reopens (its figures are reported upward).
PLAN_TRANSITIONS = {
    PlanStatus.DRAFT: {PlanStatus.ACTIVE},
    PlanStatus.ACTIVE: {PlanStatus.DONE},
    PlanStatus.DONE: set(),
}


class TaskStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    LOCKED = "locked", "已锁定"
    DRAWN = "drawn", "已抽取"
    IN_PROGRESS = "in_progress", "检查中"
    PUBLISHED = "published", "已公示"
    VOIDED = "voided", "已作废"


# A drawn task is immutable; voiding needs a reason and keeps it visible.
TASK_TRANSITIONS = {
    TaskStatus.DRAFT: {TaskStatus.LOCKED, TaskStatus.VOIDED},
    TaskStatus.LOCKED: {TaskStatus.DRAWN, TaskStatus.VOIDED},
    TaskStatus.DRAWN: {TaskStatus.IN_PROGRESS, TaskStatus.VOIDED},
    TaskStatus.IN_PROGRESS: {TaskStatus.PUBLISHED, TaskStatus.VOIDED},
    TaskStatus.PUBLISHED: set(),
    TaskStatus.VOIDED: set(),
}


class PublicResult(models.TextChoices):
    """抽查结果 as published (一公开), in the national credit publicity system's wording."""

    NO_PROBLEM = "no_problem", "未发现问题"
    CORRECTED = "corrected", "发现问题已责令改正"
    NOT_DISCLOSED = "not_disclosed", "未按规定公示应当公示的信息"
    NOT_FOUND = "not_found", "通过登记的住所（经营场所）无法联系"
    REFUSED = "refused", "不配合检查情节严重"
    CASE = "case", "发现问题待后续处理"
    CLOSED_DOWN = "closed_down", "已关闭停业或正在组织清算"
