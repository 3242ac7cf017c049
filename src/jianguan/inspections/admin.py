"""Inspections in the admin: for support, read-only. Every record here changes only through the
services (pages, API, imports): a checklist is edited by saving a new version, a campaign's checklist
with the campaign, an inspection by an amendment that keeps the reason, a finding through its
rectification loop. Administrators look; they never edit records of enforcement."""

from django.contrib import admin

from jianguan.businesses.admin import CappedCountPaginator
from jianguan.core.admin import ReadOnlyAdmin

from .models import (
    Attachment,
    CampaignChecklist,
    Checklist,
    ChecklistItem,
    Document,
    Finding,
    Inspection,
    ItemResult,
    Sealing,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChecklistItemInline(ReadOnlyInline):
    model = ChecklistItem
    fields = ["order", "point", "legal_basis", "serious"]


@admin.register(Checklist)
class ChecklistAdmin(ReadOnlyAdmin):
    list_display = ["code", "version", "name", "applies_to", "created_at", "disabled_on"]
    list_filter = ["code"]
    search_fields = ["code", "name"]
    inlines = [ChecklistItemInline]


@admin.register(CampaignChecklist)
class CampaignChecklistAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "checklist"]
    search_fields = ["campaign__code", "campaign__name"]
    list_select_related = ["campaign", "checklist"]


class ItemResultInline(ReadOnlyInline):
    model = ItemResult
    fields = ["item", "outcome", "note"]


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = ["description", "severity", "equipment", "deadline", "status", "closed_on", "escalation"]
    show_change_link = True


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyAdmin):
    list_display = ["number", "date", "kind", "business", "subdistrict", "status", "result", "inspector_count", "campaign", "source"]
    list_filter = ["status", "kind", "result", "source", "campaign", "subdistrict__station"]
    search_fields = ["=number", "=business__uscc", "business__name"]
    list_select_related = ["business", "subdistrict", "campaign"]
    date_hierarchy = "date"
    paginator = CappedCountPaginator
    show_full_result_count = False
    inlines = [ItemResultInline, FindingInline]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["pk", "found_on", "business", "equipment", "severity", "deadline", "status", "recheck_due", "closed_on", "escalation"]
    list_filter = ["status", "severity", "escalation", "subdistrict__station"]
    search_fields = ["=business__uscc", "business__name", "=equipment__reg_code", "description"]
    list_select_related = ["business", "equipment"]
    date_hierarchy = "found_on"
    paginator = CappedCountPaginator
    show_full_result_count = False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "issued_on", "business", "deadline", "inspection", "issued_by"]
    list_filter = ["kind"]
    search_fields = ["=number", "=business__uscc", "business__name"]
    list_select_related = ["business", "inspection", "issued_by"]
    date_hierarchy = "issued_on"


@admin.register(Sealing)
class SealingAdmin(ReadOnlyAdmin):
    list_display = ["equipment", "sealed_on", "sealed_by", "lifted_on", "lifted_by", "finding"]
    list_filter = ["lifted_on"]
    search_fields = ["=equipment__reg_code"]
    list_select_related = ["equipment", "sealed_by", "lifted_by", "finding"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "content_type", "size", "inspection", "report", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["name", "sha256", "=inspection__number"]
    list_select_related = ["inspection", "report", "uploaded_by"]
