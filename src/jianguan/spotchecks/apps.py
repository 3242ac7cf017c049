from django.apps import AppConfig


class SpotchecksConfig(AppConfig):
    name = "jianguan.spotchecks"
    label = "spotchecks"
    verbose_name = "双随机抽查"

    def ready(self):
        from auditlog.registry import auditlog

        from . import deadlines, models  # noqa: F401  (deadlines registers its calendar callback)

        # Many-to-many fields are audited too: who took an inspector out of a pool, or a subdistrict
        # out of an object pool, matters as much as a renamed field.
        auditlog.register(
            models.Task, exclude_fields=["version", "pool_snapshot", "inspector_snapshot", "record", "secret"],
            m2m_fields={"items", "departments"},
        )
        auditlog.register(models.InspectorPool, m2m_fields={"members"})
        auditlog.register(models.ObjectPool, m2m_fields={"subdistricts"})
        for model in (models.CheckItem, models.Conflict, models.Plan, models.DrawnObject):
            auditlog.register(model)
