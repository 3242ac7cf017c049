"""Spot checks in the admin: for support, read-only. Registers and tasks change only through the
services (the 双随机 pages): a locked task's pools and ratios are what the public saw, a drawn task
is immutable, and a mistake is corrected by voiding with a reason, never by editing a row here."""

from django.contrib import admin

from jianguan.core.admin import ReadOnlyAdmin

from .models import CheckItem, Conflict, DrawnObject, InspectorPool, ObjectPool, Plan, Task


class DrawnInline(admin.TabularInline):
    model = DrawnObject
    extra = 0
    can_delete = False
    show_change_link = False
    fields = ["order", "key", "stratum", "business", "team", "inspection", "result", "result_on", "publish_due", "published_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CheckItem)
class CheckItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "method", "key_item", "department", "disabled_on"]
    list_filter = ["key_item", "department"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(InspectorPool)
class InspectorPoolAdmin(ReadOnlyAdmin):
    list_display = ["name", "department", "created_on"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


@admin.register(ObjectPool)
class ObjectPoolAdmin(ReadOnlyAdmin):
    list_display = ["name", "target", "department", "key_units_only", "created_on"]
    list_filter = ["target"]
    search_fields = ["name"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["inspector", "business", "relation", "declared_on"]
    search_fields = ["inspector__full_name", "inspector__cert_no", "business__name", "business__uscc"]
    list_select_related = ["inspector", "business"]
    raw_id_fields = ["inspector", "business"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["year", "name", "department", "status", "created_on"]
    list_filter = ["year", "status"]
    search_fields = ["name"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["number", "name", "plan", "status", "start", "end", "locked_at", "drawn_at"]
    list_filter = ["status", "plan__year"]
    search_fields = ["number", "name"]
    list_select_related = ["plan"]
    date_hierarchy = "start"
    exclude = ["secret", "pool_snapshot", "inspector_snapshot", "record"]  # large; the public record carries them
    inlines = [DrawnInline]


@admin.register(DrawnObject)
class DrawnObjectAdmin(ReadOnlyAdmin):
    list_display = ["task", "order", "key", "stratum", "business", "result", "publish_due", "published_on"]
    list_filter = ["result", "stratum"]
    search_fields = ["key", "business__name", "task__number"]
    list_select_related = ["task", "business"]
    raw_id_fields = ["task", "business", "subdistrict", "inspection"]
