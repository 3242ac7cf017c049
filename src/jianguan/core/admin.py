"""Reference data and support views for administrators: read-mostly, never silent edits of records."""

from django.contrib import admin

from .models import (
    AuditChainLink,
    CalendarDay,
    CalendarYear,
    DocumentNumberFormat,
    DocumentSequence,
    ImportBatch,
    IssuedDocument,
    ProvisionalDeadline,
    Rule,
)

admin.site.site_header = "监管平台管理后台"
admin.site.site_title = "监管平台管理后台"
admin.site.index_title = "基础数据与系统配置"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by the system only: administrators may look, not add, change or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "value", "unit", "valid_from", "source_document"]
    list_filter = ["unit"]
    search_fields = ["key", "label", "source_document"]
    date_hierarchy = "valid_from"


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name", "source_document"]
    list_filter = ["is_workday"]
    search_fields = ["name", "source_document"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source_document", "entered_on"]


@admin.register(DocumentNumberFormat)
class DocumentNumberFormatAdmin(admin.ModelAdmin):
    list_display = ["kind", "label", "pattern"]
    search_fields = ["kind", "label"]


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(ReadOnlyAdmin):
    list_display = ["kind", "year", "last"]
    list_filter = ["year"]


@admin.register(AuditChainLink)
class AuditChainLinkAdmin(ReadOnlyAdmin):
    list_display = ["seq", "log_entry_id", "short_hash"]
    search_fields = ["=log_entry_id", "hash"]
    show_full_result_count = False

    @admin.display(description="哈希")
    def short_hash(self, obj):
        return obj.hash[:16] + "…"


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "ledger", "file_name", "actor", "created_count", "updated_count", "unchanged_count"]
    list_filter = ["ledger"]
    search_fields = ["file_name", "file_sha256"]
    list_select_related = ["actor"]


@admin.register(ProvisionalDeadline)
class ProvisionalDeadlineAdmin(ReadOnlyAdmin):
    list_display = ["app_label", "object_ref", "field_name", "start", "working_days", "due", "resolved_at"]
    list_filter = ["app_label", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["object_ref"]


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    """Documents as issued (the document engine): the file, its hash and what it was rendered from."""

    list_display = ["created_at", "title", "number", "owner_ref", "created_by", "size"]
    list_filter = ["kind"]
    search_fields = ["number", "owner_ref", "sha256"]
    list_select_related = ["created_by"]
    show_full_result_count = False
