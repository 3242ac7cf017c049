from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jianguan.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from . import audit  # noqa: F401  -- connects the hash chain to auditlog's LogEntry
