"""Sampling in the admin: 食品大类 and 业态 are reference data that administrators maintain (add, reorder,
disable — never delete: samples and plans refer to them); samples, quick tests and plans change only
through the services (pages, imports, the API), so they are read-only here."""

from django.contrib import admin

from jianguan.businesses.admin import CappedCountPaginator
from jianguan.core.admin import ReadOnlyAdmin

from .models import BusinessFormat, FoodCategory, QuickTest, Sample


class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order", "disabled_on"]
    search_fields = ["code", "name"]
    ordering = ["order", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # disable with 停用日期 instead


admin.site.register(FoodCategory, ReferenceAdmin)
admin.site.register(BusinessFormat, ReferenceAdmin)


@admin.register(Sample)
class SampleAdmin(ReadOnlyAdmin):
    list_display = ["number", "sampled_on", "sampling_type", "business_name", "food_category", "conclusion", "disposal_status", "disposal_due"]
    list_filter = ["sampling_type", "conclusion", "disposal_status", "business_format"]
    search_fields = ["number", "business_name", "business_uscc", "sample_name"]
    paginator = CappedCountPaginator
    show_full_result_count = False


@admin.register(QuickTest)
class QuickTestAdmin(ReadOnlyAdmin):
    list_display = ["tested_on", "place", "product", "item", "result"]
    list_filter = ["result", "mode"]
    search_fields = ["place", "product", "business_uscc"]
    paginator = CappedCountPaginator
    show_full_result_count = False
