from django.apps import AppConfig


class LicencesConfig(AppConfig):
    name = "jianguan.licences"
    label = "licences"
    verbose_name = "许可证"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Licence, exclude_fields=["version", "updated_at"])
        auditlog.register(models.LicenceKind)
        auditlog.register(models.Sector)
