from django.apps import AppConfig


class SamplingConfig(AppConfig):
    name = "jianguan.sampling"
    label = "sampling"
    verbose_name = "抽检"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, services  # noqa: F401  (services register their calendar callbacks)

        auditlog.register(models.Sample, exclude_fields=["version"])
        auditlog.register(models.SamplingPlan, exclude_fields=["version"])
        for model in (models.PlanTarget, models.UnqualifiedItem, models.QuickTest, models.FoodCategory, models.BusinessFormat):
            auditlog.register(model)
