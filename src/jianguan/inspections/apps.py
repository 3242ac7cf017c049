from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "jianguan.inspections"
    label = "inspections"
    verbose_name = "监督检查"

    def ready(self):
        from auditlog.registry import auditlog

        from . import deadlines, models  # noqa: F401  (deadlines registers its calendar callback)
        from .services import campaigns  # noqa: F401  (registers the check that a campaign's dates keep its inspections)

        auditlog.register(models.Inspection, exclude_fields=["version"], m2m_fields={"inspectors", "equipment"})
        auditlog.register(models.Finding, exclude_fields=["version"])
        for model in (
            models.Checklist, models.ChecklistItem, models.CampaignChecklist, models.ItemResult, models.Amendment, models.Document,
            models.RectificationReport, models.Recheck, models.Sealing, models.Attachment,
        ):
            auditlog.register(model)
