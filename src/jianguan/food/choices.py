from django.db import models


class Grade(models.TextChoices):
    """食品安全风险等级 (A lowest risk). Not the 包保 grade nor the credit class: the letters mean different things."""

    A = "A", "A级（低风险）"
    B = "B", "B级（一般风险）"
    C = "C", "C级（较高风险）"
    D = "D", "D级（高风险）"


GRADES = tuple(Grade.values)


class Progress(models.TextChoices):
    """Where a planned business stands in its year (rules.progress)."""

    BEHIND = "behind", "未达最低频次"
    MORE = "more", "可再检查一次"
    DONE = "done", "已完成"


class DueFilter(models.TextChoices):
    """The to-do's lists (panels.plan_due): behind by last month's end or lapsed 24 months; due by this month's end."""

    OVERDUE = "overdue", "已逾期"
    MONTH = "month", "本月应检"
    ALL = "all", "本月及以前应检"
