from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from jianguan.businesses.choices import EntityType
from jianguan.businesses.selectors import business_counts
from jianguan.org.choices import Role
from jianguan.org.selectors import scope_label, station_list

from .dashboard import dashboard_panels
from .models import ProvisionalDeadline

ECHARTS_STATIC = "vendor/echarts/echarts.min.js"


def echarts_available() -> bool:
    """ECharts comes from npm (make install); without it the dashboard falls back to tables."""
    return finders.find(ECHARTS_STATIC) is not None


def layout(request) -> dict:
    """Context processor for base.html: the signed-in user's jurisdiction label."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope_label": scope_label(user)}


def is_admin(user) -> bool:
    return user.is_authenticated and (user.role == Role.ADMIN or user.is_superuser)


def home(request):
    counts = business_counts(actor=request.user)
    by_type = [
        {"value": value, "label": label, "n": counts["by_type"].get(value, 0)} for value, label in EntityType.choices
    ]
    station_codes = dict(station_list().values_list("name", "code"))
    by_station = [
        {
            "name": row["subdistrict__station__name"],
            "code": station_codes.get(row["subdistrict__station__name"], ""),
            "n": row["n"],
        }
        for row in counts["by_station"]
    ]
    return render(
        request,
        "core/home.html",
        {
            "total": counts["total"],
            "by_type": by_type,
            "by_station": by_station,
            "panels": dashboard_panels(actor=request.user),
            "echarts_available": echarts_available(),
        },
    )


def provisional_deadlines(request):
    if not is_admin(request.user):
        raise PermissionDenied("仅系统管理员可查看暂定期限")
    show_all = request.GET.get("all") == "1"
    qs = ProvisionalDeadline.objects.order_by("due", "pk")
    if not show_all:
        qs = qs.filter(resolved_at__isnull=True)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "core/provisional_list.html", {"page": page, "show_all": show_all})
