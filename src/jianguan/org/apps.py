from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "jianguan.org"
    label = "org"
    verbose_name = "机构与用户"

    def ready(self):
        from auditlog.registry import auditlog

        from . import lockout  # noqa: F401  (audits axes' lockouts)
        from .models import OrgUnit, Subdistrict, User

        auditlog.register(OrgUnit)
        auditlog.register(Subdistrict)
        auditlog.register(User, exclude_fields=["password", "last_login"])
