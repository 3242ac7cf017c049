from django.apps import AppConfig


class EquipmentConfig(AppConfig):
    name = "jianguan.equipment"
    label = "equipment"
    verbose_name = "特种设备"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import CatalogueEntry, Equipment, Examination, FollowUpTask

        auditlog.register(Equipment, exclude_fields=["version", "updated_at", "due_state", "due_state_on"])
        auditlog.register(Examination)
        auditlog.register(CatalogueEntry)
        auditlog.register(FollowUpTask)
