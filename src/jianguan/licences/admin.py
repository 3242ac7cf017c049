"""The licence register in the admin: 许可种类 and 主体业态 are reference data administrators maintain (add,
reorder, disable — never delete: licences refer to them); licences change through the services (pages, imports),
so they are read-only here."""

from django.contrib import admin

from jianguan.businesses.admin import CappedCountPaginator
from jianguan.core.admin import ReadOnlyAdmin

from .models import Licence, LicenceKind, Sector


class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "domain", "order", "disabled_on"]
    list_filter = ["domain"]
    search_fields = ["code", "name"]
    ordering = ["order", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # disable with 停用日期 instead


admin.site.register(LicenceKind, ReferenceAdmin)
admin.site.register(Sector, ReferenceAdmin)


@admin.register(Licence)
class LicenceAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "business", "sector", "issued_on", "valid_until", "status"]
    list_filter = ["kind", "status", "sector"]
    search_fields = ["=number", "=business__uscc", "business__name"]
    list_select_related = ["business", "kind", "sector"]
    paginator = CappedCountPaginator
    show_full_result_count = False
