from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from jianguan.core.middleware import client_ip

from . import lockout
from .models import ApiToken, OrgUnit, Subdistrict, User


class SubdistrictInline(admin.TabularInline):
    model = Subdistrict
    fk_name = "station"
    extra = 0
    fields = ["code", "name"]
    show_change_link = True


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "disabled_on"]
    list_filter = ["kind", ("disabled_on", admin.EmptyFieldListFilter)]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    inlines = [SubdistrictInline]

    def has_delete_permission(self, request, obj=None):
        return False  # disable with 停用日期 instead


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "station"]
    list_filter = ["station"]
    search_fields = ["code", "name"]
    list_select_related = ["station"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "org_unit", "cert_no", "cert_valid_until", "is_active", "last_login"]
    list_filter = ["role", "org_unit", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email", "cert_no"]
    list_select_related = ["org_unit"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("身份与辖区", {"fields": ("full_name", "role", "org_unit", "email")}),
        ("执法证", {"fields": ("cert_no", "cert_valid_until")}),
        ("权限", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("重要日期", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "password1", "password2")}),
        ("身份与辖区", {"fields": ("full_name", "role", "org_unit")}),
    )
    readonly_fields = ["last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: audit rows keep pointing at the user


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username", "user__full_name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False  # issue on the 接口令牌 page, which shows the raw token once

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessAttempt)
class LoginLockoutAdmin(admin.ModelAdmin):
    """Failed logins counted per account and address (django-axes); administrators lift locks here."""

    list_display = ["account", "address", "failures", "last_failure", "locked", "locked_until"]
    search_fields = ["username", "ip_address"]
    fields = [*list_display, "browser"]
    readonly_fields = fields
    ordering = ["-attempt_time"]
    actions = ["unlock"]

    @admin.display(description="账号", ordering="username")
    def account(self, obj):
        return obj.username

    @admin.display(description="地址", ordering="ip_address")
    def address(self, obj):
        return obj.ip_address

    @admin.display(description="连续失败次数", ordering="failures_since_start")
    def failures(self, obj):
        return obj.failures_since_start

    @admin.display(description="最近一次失败", ordering="attempt_time")
    def last_failure(self, obj):
        return obj.attempt_time

    @admin.display(description="浏览器")
    def browser(self, obj):
        return obj.user_agent

    @admin.display(description="已锁定", boolean=True)
    def locked(self, obj):
        return lockout.is_locked(obj)

    @admin.display(description="锁定至")
    def locked_until(self, obj):
        return lockout.locked_until(obj) if lockout.is_locked(obj) else "—"

    @admin.action(description="解除锁定（清除失败次数）", permissions=["delete"])
    def unlock(self, request, queryset):
        count = lockout.login_lockout_release(actor=request.user, attempts=queryset, ip=client_ip(request))
        self.message_user(request, f"已解除 {count} 个账号与地址的登录锁定，解锁已记入审计日志。", messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one way to unlock: the action above
        return actions

    def delete_model(self, request, obj):
        # the delete button of the detail page is an unlock too, so it is audited the same way
        lockout.login_lockout_release(actor=request.user, attempts=[obj], ip=client_ip(request))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
