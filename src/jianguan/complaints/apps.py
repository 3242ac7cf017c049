from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "jianguan.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self):
        from auditlog.registry import auditlog

        from . import deadlines, models  # noqa: F401  (deadlines registers its calendar callback)

        # The query code's digest is a credential: it stays out of the audit trail.
        auditlog.register(models.Complaint, exclude_fields=["version", "query_digest"])
        for model in (models.OdrEnterprise, models.Event, models.Disclosure):
            auditlog.register(model)
