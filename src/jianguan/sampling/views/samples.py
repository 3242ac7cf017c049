"""抽检 sample pages: the list (filters, the disposal clock, overdue in red), recording a sample (from scratch
or proposed by a positive quick test) and the sample's page — its timeline from 抽样 to 处置 and 线索, its
clocks, its unqualified items, and the forms of the steps allowed now."""

import os
import tempfile
from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.importing import run_export
from jianguan.core.middleware import client_ip
from jianguan.core.panels import due_soon_until
from jianguan.org.choices import Role
from jianguan.org.selectors import station_list

from .. import selectors, services
from ..choices import Conclusion, DisposalStatus, SamplingType
from ..forms import SampleForm
from ..models import BusinessFormat, FoodCategory, Sample
from ..resources import QUICKTEST_LEDGER, SAMPLE_LEDGER
from .common import (
    CONCLUSION_BADGE,
    DISPOSAL_BADGE,
    PAGE_SIZE,
    can_edit,
    decorate_samples,
    page_number,
    parse_int,
    sample_clocks,
    sample_or_404,
    status_of,
    today,
)
from .steps import step_forms

DUE_FILTERS = {"overdue": "已逾期", "soon": "即将到期", "open": "全部待办"}
PENDING_FILTERS = {"disposal": "核查处置中", "service": "待送达的不合格检验结论"}
YEARS_BACK = 10


def _filters(request, on) -> tuple[dict, list[str]]:
    """The list's filters from the query string; a value that means nothing is said and left out."""
    get = lambda key: request.GET.get(key, "").strip()  # noqa: E731
    filters, problems = {}, []
    for key, allowed, label in (
        ("sampling_type", SamplingType.values, "抽检类型"), ("conclusion", Conclusion.values, "检验结论"),
        ("disposal", DisposalStatus.values, "处置状态"), ("due", DUE_FILTERS, "期限"), ("pending", PENDING_FILTERS, "待办"),
    ):
        if value := get(key):
            if value in allowed:
                filters[key] = value
            else:
                problems.append(f"{label}“{value[:20]}”无效，已忽略")
    for key, model in (("format", BusinessFormat), ("category", FoodCategory)):
        if (code := get(key)) and model.objects.filter(code=code[:20]).exists():
            filters[key] = code[:20]
    if (station := get("station")) and request.user.role != Role.STATION:
        filters["station"] = station[:30]
    if year := get("year"):
        number = parse_int(year)
        if number is not None and 1990 <= number <= on.year + 1:
            filters["year"] = number
        else:
            problems.append(f"年度“{year[:20]}”无效，已忽略")
    if q := get("q"):
        filters["q"] = q[:100]
    return filters, problems


def sample_list(request):
    on = today()
    until = due_soon_until(on)
    filters, problems = _filters(request, on)
    qs = selectors.sample_list(actor=request.user, filters={**filters, "on": on, "until": until})
    page_no = page_number(request)
    start = (page_no - 1) * PAGE_SIZE
    rows = list(qs[start: start + PAGE_SIZE + 1])
    counts = selectors.sample_counts(selectors.sample_list(actor=request.user), on=on)
    due_label = ""
    if "due" in filters:
        due_label = f"{PENDING_FILTERS[filters.get('pending', 'disposal')]}（{DUE_FILTERS[filters['due']]}）"
    elif "pending" in filters:
        due_label = PENDING_FILTERS[filters["pending"]]
    return render(request, "sampling/samples.html", {
        "rows": decorate_samples(rows[:PAGE_SIZE], on, until),
        "has_next": len(rows) > PAGE_SIZE,
        "page_no": page_no,
        "filters": filters,
        "problems": problems,
        "due_label": due_label,
        "counts": counts,
        "types": SamplingType.choices,
        "conclusions": Conclusion.choices,
        "disposals": DisposalStatus.choices,
        "stations": [] if request.user.role == Role.STATION else station_list(),
        "years": list(range(on.year, on.year - YEARS_BACK, -1)),
        "export_url": reverse("sampling:export"),
        "import_url": reverse("imports:upload", args=[SAMPLE_LEDGER.name]),
        "can_edit": can_edit(request.user),
        "today": on,
        "tab": "samples",
        **selectors.references(),
    })


def _timeline(sample: Sample) -> list[dict]:
    """What happened to the sample, in order: 抽样, 送检, 报告, 送达, 复检, 异议, 处置, 线索."""
    events = [{"on": sample.sampled_on, "title": "抽样", "text": f"{sample.get_sampling_type_display()}，{sample.business_name}"}]
    if sample.sent_on:
        events.append({"on": sample.sent_on, "title": "送检", "text": sample.institution or ""})
    if sample.report_on:
        names = "、".join(i.name for i in sample.items.all())
        events.append({"on": sample.report_on, "title": "检验报告",
                       "text": sample.get_conclusion_display() + (f"（{names}）" if names else ""),
                       "tone": "danger" if sample.conclusion == Conclusion.UNQUALIFIED else ""})
    if sample.served_on:
        events.append({"on": sample.served_on, "title": "送达", "text": "检验结论送达被抽样单位"})
    if sample.retest_requested_on:
        events.append({"on": sample.retest_requested_on, "title": "申请复检", "text": sample.retest_institution})
    if sample.retest_report_on:
        events.append({"on": sample.retest_report_on, "title": "复检结论", "text": sample.get_retest_outcome_display()})
    if sample.objection_on:
        events.append({"on": sample.objection_on, "title": "提出异议", "text": "" if sample.objection_outcome else "待处理"})
    if sample.objection_decided_on:
        events.append({"on": sample.objection_decided_on, "title": "异议处理", "text": sample.get_objection_outcome_display()})
    if sample.lead_id:
        events.append({"on": sample.lead.received_on, "title": "移交案件线索", "text": sample.lead.get_status_display(),
                       "url": reverse("cases:lead", args=[sample.lead_id])})
    if sample.disposed_on:
        events.append({"on": sample.disposed_on, "title": "核查处置完成", "text": sample.cause[:60]})
    for n, e in enumerate(events):
        e["order"] = n
    return sorted(events, key=lambda e: (e["on"], e["order"]))


def render_sample(request, sample: Sample, *, bound: dict | None = None, open_step: str = "", error=None, stale: bool = False,
                  status: int = 200):
    on = today()
    return render(request, "sampling/sample.html", {
        "sample": sample,
        "conclusion_badge": CONCLUSION_BADGE.get(sample.conclusion, ""),
        "disposal_badge": DISPOSAL_BADGE.get(sample.disposal_status, ""),
        "items": list(sample.items.all()),
        "clocks": sample_clocks(sample, on, due_soon_until(on)),
        "timeline": _timeline(sample),
        "quick_tests": list(sample.quick_tests.all()),
        "steps": step_forms(request, sample, bound),
        "open_step": open_step,
        "error": error,
        "stale": stale,
        "can_edit": can_edit(request.user),
        "today": on,
        "tab": "samples",
    }, status=status)


def sample_detail(request, pk: int):
    return render_sample(request, sample_or_404(request, pk))


def _quick_test(request, raw):
    pk = parse_int(raw)
    if pk is None:
        return None
    try:
        return selectors.quicktest_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _proposal(request, test) -> dict:
    """A positive quick test's follow-up sample: the form starts from its business and product."""
    try:
        proposal = services.sample_proposal(test)
    except DomainError as exc:
        messages.error(request, exc.message)
        return {}
    return {"sampling_type": proposal["sampling_type"], "sampled_on": proposal["sampled_on"],
            "business_uscc": proposal["business_uscc"], "business_name": proposal["business_name"],
            "subdistrict": proposal["subdistrict"].pk if proposal["subdistrict"] else None,
            "sample_name": proposal["sample_name"], "quick_test": test.pk,
            "campaign": proposal["campaign"].pk if proposal["campaign"] else None}


def sample_new(request):
    """登记抽样单; `?quicktest=<pk>` starts from a positive quick test (跟进抽样), linked back when saved."""
    context = {"tab": "new"}
    if not can_edit(request.user):
        return render(request, "sampling/sample_new.html", {**context, "read_only": True}, status=403)
    if request.method != "POST":
        test = _quick_test(request, request.GET.get("quicktest"))
        initial = _proposal(request, test) if test is not None else {}
        if not initial and (uscc := request.GET.get("uscc", "").strip()[:18]):
            initial = {"business_uscc": uscc}  # from a business's one-stop page
        form = SampleForm(actor=request.user, initial=initial)
        return render(request, "sampling/sample_new.html", {**context, "form": form, "quick_test": test if initial else None})
    test = _quick_test(request, request.POST.get("quick_test"))
    context["quick_test"] = test
    form = SampleForm(request.POST, actor=request.user)
    if not form.is_valid():
        return render(request, "sampling/sample_new.html", {**context, "form": form}, status=400)
    data = dict(form.cleaned_data)
    data.pop("quick_test", None)
    try:
        sample = services.sample_record(actor=request.user, ip=client_ip(request), quick_test=test, **data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "sampling/sample_new.html", {**context, "form": form, "error": exc}, status=status_of(exc))
    due = f"，送检期限 {sample.send_due:%Y-%m-%d}" if sample.send_due and not sample.sent_on else ""
    messages.success(request, f"已登记抽样单 {sample.number}{due}。")
    return redirect("sampling:detail", sample.pk)


def _export(request, ledger, title: str):
    """导出台账: every record this user may see (their jurisdiction), in the ledger's columns, formula-safe (core)."""
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    fd, name = tempfile.mkstemp(suffix=f".{fmt}")
    os.close(fd)
    path = Path(name)
    try:
        run_export(ledger, path, actor=request.user)
        handle = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the data until the response is sent
    return FileResponse(handle, as_attachment=True, filename=f"{title}_{today():%Y%m%d}.{fmt}")


def ledger_export(request):
    """The sample ledger with 送达期限, 处置期限, 期限性质 and 处置状态 (the ledger's export columns)."""
    return _export(request, SAMPLE_LEDGER, "抽检样品台账")


def quicktest_export(request):
    return _export(request, QUICKTEST_LEDGER, "快检台账")
