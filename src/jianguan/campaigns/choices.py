from django.db import models


class CampaignStatus(models.TextChoices):
    ACTIVE = "active", "进行中"
    ARCHIVED = "archived", "已归档"


class CampaignGoal(models.TextChoices):
    """The quantified goals a campaign may set (Campaign.goals keys); the apps that count a campaign's
    work measure each against one of their figures (inspections: metrics.GOAL_FIGURES)."""

    INSPECTIONS = "inspections", "检查户次"
    BUSINESSES = "businesses", "检查户数"
    DEVICES = "devices", "抽查设备台数"
    INSPECTOR_VISITS = "inspector_visits", "出动执法人员人次"


GOAL_KEYS = dict(CampaignGoal.choices)
