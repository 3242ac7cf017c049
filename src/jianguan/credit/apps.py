from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "jianguan.credit"
    label = "credit"
    verbose_name = "信用监管"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, services  # noqa: F401  (services register their calendar callback)

        for model in (models.AbnormalEntry, models.SeriousEntry, models.RepairApplication):
            auditlog.register(model, exclude_fields=["version"])
        for model in (models.AnnualReport, models.Decision, models.RiskOverride):
            auditlog.register(model)
