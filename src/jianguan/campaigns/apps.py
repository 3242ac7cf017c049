from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "jianguan.campaigns"
    label = "campaigns"
    verbose_name = "专项行动"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Campaign)
