"""/credit/risk/: the 信用风险分类 pages — the distribution per station and the list of businesses by class, and a
business's explanation (factors, points, computed class, override) with the override form. Internal: staff
only (login required), stations see their jurisdiction, leadership reads, the credit department decides."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from jianguan.businesses.choices import CreditRiskClass
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.middleware import client_ip
from jianguan.core.paging import page_number, parse_int
from jianguan.org.choices import Role
from jianguan.org.selectors import scope_label, subdistricts_in_scope

from ..selectors import risk as selectors
from ..services.risk import CLASSES, risk_override_end, risk_override_set

PAGE_SIZE = 50


def can_decide(user) -> bool:
    return user.role in (Role.DEPARTMENT, Role.ADMIN)


@require_GET
def risk_index(request):
    today = timezone.localdate()
    subdistricts = list(subdistricts_in_scope(actor=request.user).select_related("station").order_by("station__code", "code"))
    filters, problems = {}, []
    get = lambda key: request.GET.get(key, "").strip()  # noqa: E731
    if value := get("risk_class"):
        if value in (*CLASSES, selectors.UNCLASSIFIED):
            filters["risk_class"] = value
        else:
            problems.append(f"信用风险分类“{value[:10]}”无效，已忽略")
    for key, label, allowed in (("station", "监管所", {s.station_id for s in subdistricts}),
                                ("subdistrict", "街道", {s.pk for s in subdistricts})):
        if value := get(key):
            pk = parse_int(value)
            if pk in allowed:
                filters[key] = pk
            else:
                problems.append(f"{label}“{value[:20]}”无效，已忽略")
    if get("overridden"):
        filters["overridden"] = True
    if q := get("q"):
        filters["q"] = q[:100]
    qs = selectors.risk_business_list(actor=request.user, on=today, filters=filters)
    page_no = page_number(request)
    start = (page_no - 1) * PAGE_SIZE
    page = list(qs[start : start + PAGE_SIZE + 1])
    stations = sorted({(s.station.code, s.station_id, s.station.name) for s in subdistricts})
    return render(request, "credit/risk.html", {
        "today": today, "distribution": selectors.risk_distribution(actor=request.user, on=today),
        "classes": CLASSES, "class_choices": [*CreditRiskClass.choices, (selectors.UNCLASSIFIED, "未分类")],
        "rows": page[:PAGE_SIZE], "has_next": len(page) > PAGE_SIZE, "page_no": page_no, "filters": filters,
        "problems": problems, "subdistricts": subdistricts, "stations": [(pk, name) for _, pk, name in stations],
        "show_station": request.user.role != Role.STATION, "scope_label": scope_label(request.user),
        "last_run": selectors.RiskRun.objects.order_by("-finished_at").first(),
    })


def _business_or_404(request, pk: int):
    try:
        return selectors.risk_business_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _business_page(request, business, *, error=None, form=None, status=200):
    return render(request, "credit/risk_business.html", {
        "business": business, "x": selectors.risk_explanation(business), "can_decide": can_decide(request.user),
        "class_choices": CreditRiskClass.choices, "error": error, "form": form or {}, "today": timezone.localdate(),
    }, status=status)


@require_GET
def risk_business(request, pk: int):
    return _business_page(request, _business_or_404(request, pk))


@require_POST
def risk_override(request, pk: int):
    business = _business_or_404(request, pk)
    form = {key: request.POST.get(key, "").strip() for key in ("risk_class", "reason", "set_on")}
    try:
        on = None
        if form["set_on"]:
            try:
                on = dt.date.fromisoformat(form["set_on"])
            except ValueError:
                raise DomainError("invalid_date", f"调整日期“{form['set_on'][:20]}”无法识别", {"field": "set_on"}) from None
        risk_override_set(actor=request.user, ip=client_ip(request), business_pk=business.pk, risk_class=form["risk_class"],
                          reason=form["reason"], on=on)
    except DomainError as exc:
        return _business_page(request, business, error=exc, form=form, status=exc.status if exc.status in (400, 403, 404, 409) else 400)
    messages.success(request, f"已将{business.name}的信用风险分类人工调整为{form['risk_class']}类。")
    return redirect("credit:risk_business", business.pk)


@require_POST
def risk_override_stop(request, pk: int):
    business = _business_or_404(request, pk)
    override = selectors.RiskOverride.objects.filter(business=business, ended_on__isnull=True).first()
    try:
        if override is None:
            raise DomainError("no_override", "该市场主体没有生效的人工调整", {"field": "override"})
        risk_override_end(actor=request.user, ip=client_ip(request), pk=override.pk)
    except DomainError as exc:
        return _business_page(request, business, error=exc, status=exc.status if exc.status in (400, 403, 404, 409) else 400)
    messages.success(request, f"已撤销{business.name}的人工调整，恢复按评分计算的分类。")
    return redirect("credit:risk_business", business.pk)


urlpatterns = [
    path("risk/", risk_index, name="risk"),
    path("risk/<int:pk>/", risk_business, name="risk_business"),
    path("risk/<int:pk>/override/", risk_override, name="risk_override"),
    path("risk/<int:pk>/override/end/", risk_override_stop, name="risk_override_end"),
]
