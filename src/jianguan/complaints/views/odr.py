"""ODR企业: the register of enterprises that settle complaints against themselves directly. Everyone
reads it (a station needs to know whom it may hand an item to); departments and administrators keep it."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.org.choices import Role

from ..choices import Status
from ..forms import OdrAddForm, OdrLeaveForm
from ..models import OdrEnterprise
from ..services import odr as services
from .common import can_edit, is_router, status_of, today


def render_odr(request, *, add_form=None, leave_pk: int | None = None, leave_form=None, error=None, status: int = 200):
    on = today()
    rows = list(
        OdrEnterprise.objects.select_related("business__subdistrict__station")
        .annotate(in_odr=Count("complaints", filter=Q(complaints__status=Status.ODR)), handled=Count("complaints"))
        .order_by("pk")
    )
    # Those on the register first, then by the day they left (latest first); a short list, sorted here.
    rows.sort(key=lambda o: (o.left_on is not None, -(o.left_on or on).toordinal(), o.business.name))
    for odr in rows:
        odr.active = odr.active_on(on)
        if is_router(request.user) and odr.left_on is None:
            odr.leave_form = leave_form if odr.pk == leave_pk else OdrLeaveForm(auto_id=f"l{odr.pk}_%s", initial={"left_on": on})
    return render(request, "complaints/odr.html", {
        "tab": "odr", "can_edit": can_edit(request.user), "is_router": is_router(request.user),
        "sees_triage": request.user.role != Role.STATION,
        "rows": rows,
        "add_form": add_form or (OdrAddForm(initial={"joined_on": on}) if is_router(request.user) else None),
        "leave_pk": leave_pk,
        "error": error,
        "today": on,
    }, status=status)


def odr_list(request):
    return render_odr(request)


@require_POST
def odr_add(request):
    form = OdrAddForm(request.POST)
    if not form.is_valid():
        return render_odr(request, add_form=form, status=400)
    try:
        odr = services.odr_enterprise_add(actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render_odr(request, add_form=form, error=exc, status=status_of(exc))
    messages.success(request, f"已将{odr.business.name}登记为ODR企业（{odr.joined_on:%Y-%m-%d} 入驻）。")
    return redirect("complaints:odr")


@require_POST
def odr_leave(request, pk: int):
    form = OdrLeaveForm(request.POST, auto_id=f"l{pk}_%s")
    if not form.is_valid():
        return render_odr(request, leave_pk=pk, leave_form=form, status=400)
    try:
        odr = services.odr_enterprise_leave(actor=request.user, pk=pk, **form.cleaned_data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render_odr(request, leave_pk=pk, leave_form=form, error=exc, status=status_of(exc))
    messages.success(request, f"{odr.business.name}已于 {odr.left_on:%Y-%m-%d} 退出ODR，此后的投诉由本局直接受理。")
    return redirect("complaints:odr")
