from django.db import models


class OrgKind(models.TextChoices):
    BUREAU = "bureau", "市场监督管理局"
    DEPARTMENT = "department", "业务科室"
    STATION = "station", "市场监管所"


class Role(models.TextChoices):
    LEADERSHIP = "leadership", "局领导"
    DEPARTMENT = "department", "科室人员"
    STATION = "station", "监管所人员"
    ADMIN = "admin", "系统管理员"
