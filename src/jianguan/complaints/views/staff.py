"""Staff lists of 投诉举报: the work queue (open items, the nearest deadline first, overdue in red), the
search over every record, hotline intake (登记) and the triage queue (待分派) of the bureau."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.panels import due_soon_until
from jianguan.org.choices import Role

from .. import selectors
from ..choices import Channel, Kind, Status
from ..forms import OPEN_STATUS_CHOICES, AssignForm, IntakeForm, RecordFilterForm
from ..services.intake import complaint_receive
from .common import can_edit, decorate, is_router, page_number, slice_page, status_of, today, visible

TRIAGE_LIMIT = 200


def _tab_context(request, tab: str) -> dict:
    return {"tab": tab, "can_edit": can_edit(request.user), "is_router": is_router(request.user),
            "sees_triage": request.user.role != Role.STATION}


# ---------------------------------------------------------------- 待办队列


def queue(request):
    on = today()
    kind = request.GET.get("kind", "")
    kind = kind if kind in Kind.values else ""
    status = request.GET.get("status", "")
    status = status if status in dict(OPEN_STATUS_CHOICES) else ""
    overdue = request.GET.get("overdue") == "1"
    soon = not overdue and request.GET.get("due") == "soon"  # 即将到期, linked from the to-do home
    qs = selectors.queue(
        request.user, today=on, kind=kind, status=status, overdue_only=overdue, due_by=due_soon_until(on) if soon else None
    )
    page_no = page_number(request)
    rows, has_next = slice_page(qs, page_no)
    return render(request, "complaints/queue.html", {
        **_tab_context(request, "queue"),
        "rows": decorate(rows, on),
        "has_next": has_next,
        "page_no": page_no,
        "filters": {"kind": kind, "status": status, "overdue": overdue, "soon": soon},
        "kinds": Kind.choices,
        "statuses": OPEN_STATUS_CHOICES,
        "total": qs.count(),
        "overdue_count": selectors.queue(request.user, today=on, overdue_only=True).count(),
        "today": on,
    })


# ---------------------------------------------------------------- 全部记录


def records(request):
    on = today()
    form = RecordFilterForm(request.GET)
    form.is_valid()  # a bad field is reported next to itself and left out of the search
    data = {k: v for k, v in form.cleaned_data.items() if v}
    qs = selectors.matching(selectors.in_scope(request.user), data).order_by("-received_at", "-pk")
    page_no = page_number(request)
    rows, has_next = slice_page(qs, page_no)
    return render(request, "complaints/records.html", {
        **_tab_context(request, "records"),
        "form": form,
        "rows": decorate(rows, on),
        "has_next": has_next,
        "page_no": page_no,
        "today": on,
    })


# ---------------------------------------------------------------- 登记 (12315 热线)


def intake(request):
    if request.method != "POST":
        form = IntakeForm(initial={"kind": Kind.COMPLAINT, "received_at": timezone.localtime().replace(second=0, microsecond=0)})
        return render(request, "complaints/intake.html", {**_tab_context(request, "intake"), "form": form})
    form = IntakeForm(request.POST)
    if not form.is_valid():
        return render(request, "complaints/intake.html", {**_tab_context(request, "intake"), "form": form}, status=400)
    try:
        complaint = complaint_receive(actor=request.user, channel=Channel.HOTLINE, ip=client_ip(request), **form.cleaned_data)
    except DomainError as exc:
        form.add_domain_error(exc)
        context = {**_tab_context(request, "intake"), "form": form, "error": exc}
        return render(request, "complaints/intake.html", context, status=status_of(exc))
    where = (
        "未能确定承办监管所，已进入待分派队列" if complaint.status == Status.TRIAGE
        else f"承办单位：{complaint.station.name}" if complaint.station else "由本局直接答复"
    )
    messages.success(request, f"已登记{complaint.get_kind_display()} {complaint.number}，{where}。")
    if complaint.duplicate_of:
        messages.warning(
            request, f"与 {complaint.duplicate_of.number} 疑似重复（同一人、同一对象、相同内容），请核对后办理，本件页面有原件链接。"
        )
    if visible(request.user, complaint):
        return redirect(reverse("complaints:detail", args=[complaint.pk]))
    return redirect("complaints:queue")  # routed to another station: no longer this user's to open


# ---------------------------------------------------------------- 待分派


def render_triage(request, *, failed: dict | None = None, error=None, status: int = 200):
    if request.user.role == Role.STATION:
        raise PermissionDenied("待分派队列由业务科室或系统管理员分派；监管所只看到分派给本所的件")
    on = today()
    failed = failed or {}
    rows = decorate(selectors.triage(request.user)[:TRIAGE_LIMIT], on)
    for c in rows:
        if c.pk in failed:
            c.assign_form = failed[c.pk]
        elif is_router(request.user):
            c.assign_form = AssignForm(auto_id=f"t{c.pk}_%s", initial={"version": c.version, "on": on})
    return render(request, "complaints/triage.html", {
        **_tab_context(request, "triage"),
        "rows": rows,
        "limit": TRIAGE_LIMIT,
        "error": error,
        "today": on,
    }, status=status)


def triage(request):
    return render_triage(request)
