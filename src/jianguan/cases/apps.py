from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jianguan.cases"
    label = "cases"
    verbose_name = "执法办案"

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, services  # noqa: F401  (services register their calendar callbacks)

        # PIPL: a person's ID number is stored masked in the audit trail; the record keeps it for the documents.
        personal = {"mask_fields": ["respondent_id_no"], "mask_callable": "jianguan.core.masking.mask_id_number"}
        auditlog.register(models.Lead, exclude_fields=["version"], **personal)
        auditlog.register(models.Case, exclude_fields=["version"], m2m_fields={"officers"}, **personal)
        for model in (models.CaseCategory, models.Suspension, models.Evidence, models.CaseStep):
            auditlog.register(model)
