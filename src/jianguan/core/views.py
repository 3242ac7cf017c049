from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from jianguan.org.choices import Role
from jianguan.org.selectors import scope_label

from .dashboard import dashboard_panels
from .models import ProvisionalDeadline
from .panels import due_soon_until, due_soon_window, home_figures, todo_items

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
    """工作台: the actor's overdue and due-soon work across modules, then the headline figures and charts.

    Every block is registered by the app that owns the records (panels.py, dashboard.py); this view
    only collects them, scoped to the signed-in user."""
    on = timezone.localdate()
    until, window_problem = due_soon_window(on)
    todos = todo_items(actor=request.user, on=on, until=until)
    return render(
        request,
        "core/home.html",
        {
            "today": on,
            "until": until,
            "window_problem": window_problem,
            "todos": todos,
            "todo_overdue": sum(todo.overdue.n for _, todo in todos),
            "todo_soon": sum(todo.due_soon.n for _, todo in todos),
            "figures": home_figures(actor=request.user),
            "panels": dashboard_panels(actor=request.user),
            "echarts_available": echarts_available(),
            "is_leader": request.user.role == Role.LEADERSHIP,
        },
    )


def provisional_deadlines(request):
    if not is_admin(request.user):
        raise PermissionDenied("仅系统管理员可查看暂定期限")
    show_all = request.GET.get("all") == "1"
    qs = ProvisionalDeadline.objects.order_by("due", "pk")
    if not show_all:
        qs = qs.filter(resolved_at__isnull=True)
    due = request.GET.get("due", "")
    if due in ("overdue", "soon") and not show_all:  # from the administrator's to-do home
        on = timezone.localdate()
        qs = qs.filter(due__lt=on) if due == "overdue" else qs.filter(due__gte=on, due__lte=due_soon_until(on))
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "core/provisional_list.html", {
        "page": page, "show_all": show_all, "due": {"overdue": "已逾期", "soon": "即将到期"}.get(due, ""),
    })
