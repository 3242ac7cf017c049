from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "jianguan.org"
    label = "org"
    verbose_name = "机构与用户"

    def ready(self):
        from auditlog.registry import auditlog
        from axes.models import AccessAttempt
        from django.apps import apps

        from . import lockout  # noqa: F401  (audits axes' lockouts)
        from .models import OrgUnit, Subdistrict, User

        auditlog.register(OrgUnit)
        auditlog.register(Subdistrict)
        auditlog.register(User, exclude_fields=["password", "last_login"])

        # django-axes has no Chinese catalogue: its model is named here for the admin (display only).
        apps.get_app_config("axes").verbose_name = "登录安全"
        AccessAttempt._meta.verbose_name = AccessAttempt._meta.verbose_name_plural = "登录失败记录"
