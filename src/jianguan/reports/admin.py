"""Support views of reports: templates are edited in the pages (checked, versioned); snapshots are records."""

from django.contrib import admin

from jianguan.core.admin import ReadOnlyAdmin

from .models import ReportSnapshot, ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(ReadOnlyAdmin):
    list_display = ["key", "title", "builtin", "customized", "version", "updated_by", "updated_at"]
    search_fields = ["key", "title"]


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["pk", "template_title", "author", "created_at", "short_hash"]
    list_filter = ["template_key"]
    search_fields = ["sha256", "template_key"]
    list_select_related = ["author"]

    @admin.display(description="SHA-256")
    def short_hash(self, obj):
        return obj.sha256[:12]
