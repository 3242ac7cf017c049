from django.apps import AppConfig


class BusinessesConfig(AppConfig):
    name = "jianguan.businesses"
    label = "businesses"
    verbose_name = "市场主体"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Business

        auditlog.register(Business, exclude_fields=["version", "updated_at"])
