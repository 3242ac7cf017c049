"""包保 (两个责任): 包保 grade A/B/C (apart from the food risk level), cadres, assignments and 督导 records (ADR 0003)."""
from django.apps import AppConfig


class BaobaoConfig(AppConfig):
    name = "jianguan.baobao"
    label = "baobao"
    verbose_name = "包保（两个责任）"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.GradeRecord, exclude_fields=["version"])
        auditlog.register(models.Cadre, exclude_fields=["version"], mask_fields=["phone"])
        auditlog.register(models.Assignment, exclude_fields=["version"])
        auditlog.register(models.Supervision, exclude_fields=["version"])
