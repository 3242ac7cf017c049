"""Special equipment in the admin: the catalogue is reference data that administrators maintain (producer
licences are in the licence register, kind 特种设备生产许可证); devices, examinations and tasks change only through services (pages,
imports, the daily job), so they are read-only here."""

from django.contrib import admin

from jianguan.businesses.admin import CappedCountPaginator
from jianguan.core.admin import ReadOnlyAdmin

from .models import CatalogueEntry, Equipment, Examination, FollowUpTask


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "registrable", "exam_cycle_rule", "disabled_on"]
    list_filter = ["level", "registrable"]
    search_fields = ["code", "name"]
    ordering = ["code"]

    def has_delete_permission(self, request, obj=None):
        return False  # disable with 停用日期 instead: devices refer to the codes


class ExaminationInline(admin.TabularInline):
    model = Examination
    extra = 0
    can_delete = False
    fields = ["date", "conclusion", "institution", "report_no", "next_due"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Equipment)
class EquipmentAdmin(ReadOnlyAdmin):
    list_display = ["reg_code", "type", "category", "operator", "subdistrict", "status", "next_due", "due_state"]
    list_filter = ["status", "due_state", "type", "subdistrict__station"]
    search_fields = ["=reg_code", "=operator__uscc", "operator__name"]
    list_select_related = ["type", "category", "operator", "subdistrict"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    inlines = [ExaminationInline]


@admin.register(Examination)
class ExaminationAdmin(ReadOnlyAdmin):
    list_display = ["equipment", "date", "conclusion", "institution", "report_no", "next_due"]
    list_filter = ["conclusion"]
    search_fields = ["=equipment__reg_code", "report_no"]
    list_select_related = ["equipment"]
    paginator = CappedCountPaginator
    show_full_result_count = False


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(ReadOnlyAdmin):
    list_display = ["equipment", "kind", "station", "reference_due", "opened_on", "due_on", "status", "closed_at"]
    list_filter = ["status", "kind", "station"]
    search_fields = ["=equipment__reg_code"]
    list_select_related = ["equipment", "station"]
    paginator = CappedCountPaginator
    show_full_result_count = False
