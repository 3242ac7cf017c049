from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jianguan.reports"
    label = "reports"
    verbose_name = "报表"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import ReportTemplate

        auditlog.register(ReportTemplate, exclude_fields=["updated_at"])
