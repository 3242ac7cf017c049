from django.apps import AppConfig


class SpotchecksConfig(AppConfig):
    name = "jianguan.spotchecks"
    label = "spotchecks"
    verbose_name = "双随机抽查"

    def ready(self):
        from auditlog.registry import auditlog

        from . import deadlines, models  # noqa: F401  (deadlines registers its calendar callback)

        auditlog.register(models.Task, exclude_fields=["version", "pool_snapshot", "inspector_snapshot", "record", "secret"])
        for model in (models.CheckItem, models.Conflict, models.InspectorPool, models.ObjectPool, models.Plan, models.DrawnObject):
            auditlog.register(model)
