"""学校食堂与明厨亮灶: canteen status per licence, 明厨亮灶 (未建、已建、已接入平台) and school canteen evaluations
(ADR 0003)."""
from django.apps import AppConfig


class CanteensConfig(AppConfig):
    name = "jianguan.canteens"
    label = "canteens"
    verbose_name = "学校食堂与明厨亮灶"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Canteen, exclude_fields=["version", "updated_at"])
        auditlog.register(models.MingchuChange)
        auditlog.register(models.Evaluation)
