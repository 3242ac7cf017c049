"""Support views of the registry. Records change through the pages, the API and imports (services),
so Business is read-only here."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from jianguan.core.admin import ReadOnlyAdmin

from .models import Business

COUNT_CAP = 10_000


class CappedCountPaginator(Paginator):
    """Counts at most COUNT_CAP rows, so a changelist over a million businesses stays fast."""

    @cached_property
    def count(self):
        return len(self.object_list.values("pk")[: COUNT_CAP + 1])


@admin.register(Business)
class BusinessAdmin(ReadOnlyAdmin):
    list_display = ["uscc", "name", "entity_type", "subdistrict", "established_on", "reg_status"]
    list_filter = ["entity_type", "reg_status", "credit_risk_class", "subdistrict__station", "subdistrict"]
    search_fields = ["=uscc", "name"]
    list_select_related = ["subdistrict"]
    paginator = CappedCountPaginator
    show_full_result_count = False
