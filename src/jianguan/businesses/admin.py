"""Support views of the registry. Records change through the pages, the API and imports (services),
so Business is read-only here; licences, which have no page yet, may be maintained."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from jianguan.core.admin import ReadOnlyAdmin

from .models import Business, Licence

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows, so a changelist over a million businesses stays fast."""

    @cached_property
    def count(self):
        return len(self.object_list.values("pk")[: COUNT_CAP + 1])


class LicenceInline(admin.TabularInline):
    model = Licence
    extra = 0
    can_delete = False
    fields = ["kind", "number", "valid_from", "valid_to"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Business)
class BusinessAdmin(ReadOnlyAdmin):
    list_display = ["uscc", "name", "entity_type", "subdistrict", "established_on", "reg_status"]
    list_filter = ["entity_type", "reg_status", "credit_risk_class", "subdistrict__station", "subdistrict"]
    search_fields = ["=uscc", "name"]
    list_select_related = ["subdistrict"]
    paginator = CappedCountPaginator
    show_full_result_count = False
    inlines = [LicenceInline]


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "business", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["number", "=business__uscc", "business__name"]
    list_select_related = ["business"]
    raw_id_fields = ["business"]
    paginator = CappedCountPaginator
    show_full_result_count = False

    def has_delete_permission(self, request, obj=None):
        return False
