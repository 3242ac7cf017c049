"""Campaigns in the admin: for support, read-only. A campaign changes through its page (the services,
with their version check); the checklist its inspections use is shown by inspections' admin."""

from django.contrib import admin

from jianguan.core.admin import ReadOnlyAdmin

from .models import Campaign


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "start", "end", "lead_department", "status"]
    list_filter = ["status", "lead_department"]
    search_fields = ["code", "name"]
    list_select_related = ["lead_department"]
    date_hierarchy = "start"
