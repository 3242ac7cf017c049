from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "jianguan.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self):
        from auditlog.registry import auditlog

        from . import deadlines, models  # noqa: F401  (deadlines registers its calendar callback)

        # The query code's digest is a credential: it stays out of the audit trail.
        # PIPL: the complainant's name and phone are stored masked in the audit trail (privacy.py).
        auditlog.register(
            models.Complaint, exclude_fields=["version", "query_digest"],
            mask_fields=["complainant_name", "complainant_phone"],
            mask_callable="jianguan.complaints.privacy.mask_personal",
        )
        for model in (models.OdrEnterprise, models.Event, models.Disclosure):
            auditlog.register(model)
