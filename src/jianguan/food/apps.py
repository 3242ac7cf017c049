"""食品安全风险分级: a yearly grade A–D per food business from its licence, 业态 and records, and the year's
inspection plan built from the grades (ADR 0003)."""
from django.apps import AppConfig


class FoodConfig(AppConfig):
    name = "jianguan.food"
    label = "food"
    verbose_name = "食品安全风险分级"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        # Grades and plan items are written in bulk by a run (the run is the audit of that); an override or a
        # re-plan after it is a single save, which auditlog records with who and why.
        auditlog.register(models.FoodGrade, exclude_fields=["version"])
        auditlog.register(models.PlanItem, exclude_fields=["version"])
        auditlog.register(models.GradeRun)
        auditlog.register(models.PlanRun)
