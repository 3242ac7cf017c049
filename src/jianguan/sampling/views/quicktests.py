"""快检 pages: entry at a market stall on a phone (the place, item and date kept for the next product, the
result one of two big buttons, a positive offering 登记跟进抽样) and the list of quick tests."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.middleware import client_ip

from .. import selectors, services
from ..choices import QUICKTEST_ITEMS, QuickTestMode, QuickTestResult
from ..forms import QuickTestForm
from ..resources import QUICKTEST_LEDGER
from .common import PAGE_SIZE, RESULT_BADGE, can_edit, page_number, parse_int, status_of, today

YEARS_BACK = 10
# What the next test at the same stall starts from: everything but the product and its result.
KEPT = ("tested_on", "mode", "place", "subdistrict", "business_uscc", "item", "campaign")


def _again(request):
    """The test just recorded (`?again=<pk>`), in the user's scope, or None."""
    pk = parse_int(request.GET.get("again"))
    if pk is None:
        return None
    try:
        return selectors.quicktest_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def quicktest_new(request):
    context = {"items": QUICKTEST_ITEMS, "tab": "quicktest"}
    if not can_edit(request.user):
        return render(request, "sampling/quicktest_new.html", {**context, "read_only": True}, status=403)
    if request.method != "POST":
        last = _again(request)
        initial = {}
        if last is not None:
            initial = {"tested_on": last.tested_on, "mode": last.mode, "place": last.place, "subdistrict": last.subdistrict_id,
                       "business_uscc": last.business_uscc, "item": last.item, "campaign": last.campaign_id}
        form = QuickTestForm(actor=request.user, initial=initial)
        return render(request, "sampling/quicktest_new.html", {**context, "form": form, "last": last})
    form = QuickTestForm(request.POST, actor=request.user)
    if not form.is_valid():
        return render(request, "sampling/quicktest_new.html", {**context, "form": form}, status=400)
    data = dict(form.cleaned_data)
    try:
        test = services.quicktest_record(actor=request.user, ip=client_ip(request), **data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "sampling/quicktest_new.html", {**context, "form": form, "error": exc}, status=status_of(exc))
    messages.success(request, f"已记录：{test.product} {test.item} {test.get_result_display()}。")
    return redirect(f"{reverse('sampling:quicktest_new')}?again={test.pk}")


def quicktest_list(request):
    on = today()
    get = lambda key: request.GET.get(key, "").strip()  # noqa: E731
    filters, problems = {}, []
    for key, allowed, label in (("result", QuickTestResult.values, "检测结果"), ("mode", QuickTestMode.values, "检测方式")):
        if value := get(key):
            if value in allowed:
                filters[key] = value
            else:
                problems.append(f"{label}“{value[:20]}”无效，已忽略")
    if item := get("item"):
        filters["item"] = item[:100]
    if year := get("year"):
        number = parse_int(year)
        if number is not None and 1990 <= number <= on.year + 1:
            filters["year"] = number
        else:
            problems.append(f"年度“{year[:20]}”无效，已忽略")
    if get("unfollowed") == "1":
        filters["unfollowed"] = True
    if q := get("q"):
        filters["q"] = q[:100]
    qs = selectors.quicktest_list(actor=request.user, filters=filters)
    page_no = page_number(request)
    start = (page_no - 1) * PAGE_SIZE
    rows = list(qs[start: start + PAGE_SIZE + 1])
    for row in rows:
        row.badge = RESULT_BADGE.get(row.result, "")
    return render(request, "sampling/quicktests.html", {
        "rows": rows[:PAGE_SIZE],
        "has_next": len(rows) > PAGE_SIZE,
        "page_no": page_no,
        "filters": filters,
        "problems": problems,
        "results": QuickTestResult.choices,
        "modes": QuickTestMode.choices,
        "items": QUICKTEST_ITEMS,
        "years": list(range(on.year, on.year - YEARS_BACK, -1)),
        "can_edit": can_edit(request.user),
        "export_url": reverse("sampling:quicktest_export"),
        "import_url": reverse("imports:upload", args=[QUICKTEST_LEDGER.name]),
        "today": on,
        "tab": "quicktests",
    })
