"""信用监管 pages of the lists: proposals to decide in batches (the module's entry page, `credit:index`),
the abnormal entries (filters, search, xlsx export) and an entry's page (timeline from the audit, actions),
the serious list with its candidates, and the download of a numbered decision. Stations see their
jurisdiction; leadership reads; the services decide who may write."""

import tempfile

from auditlog.models import LogEntry
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.businesses.choices import EntityType
from jianguan.core import documents as engine
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.exporting import write_table
from jianguan.core.middleware import client_ip
from jianguan.core.paging import page_number, slice_page
from jianguan.core.panels import due_soon_until
from jianguan.org.choices import Role
from jianguan.org.selectors import station_list

from ..choices import AbnormalReason, EntryKind, EntryStatus, RepairStatus, RepairTarget, SeriousSource
from ..selectors import lists as selectors
from ..services import decisions, serious
from ..services.repairs import REPAIR_CONDITIONS

PAGE_SIZE = 50
EXPORT_HEADERS = ["统一社会信用代码", "名称", "主体类型", "所属街道", "处理方式", "列入事由", "未报年度", "状态", "提出日期",
                  "列入（标记）日期", "决定书文号", "移出日期", "移出原因"]


def can_decide(user) -> bool:
    return user.is_authenticated and user.role in (Role.DEPARTMENT, Role.ADMIN)


def _date(text: str, field: str, label: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        raise DomainError("invalid_date", f"请填写{label}（如 2026-07-10）", {"field": field}) from None


def _filters(request) -> dict:
    get = lambda key: request.GET.get(key, "").strip()[:100]  # noqa: E731
    allowed = {"status": [*EntryStatus.values, *RepairStatus.values], "kind": EntryKind.values, "reason": AbnormalReason.values,
               "entity_type": EntityType.values, "source": SeriousSource.values, "target": RepairTarget.values}
    filters = {k: get(k) for k, values in allowed.items() if get(k) in values}
    if (station := get("station")) and request.user.role != Role.STATION:
        filters["station"] = station[:30]
    if q := get("q"):
        filters["q"] = q
    if get("due") in ("overdue", "soon"):  # the to-do home's 已逾期 / 即将到期 links
        filters["due"] = get("due")
    return filters


def _common(request, filters: dict) -> dict:
    return {"filters": filters, "today": timezone.localdate(), "can_decide": can_decide(request.user),
            "stations": [] if request.user.role == Role.STATION else station_list(), "entity_types": EntityType.choices,
            "reasons": AbnormalReason.choices, "statuses": EntryStatus.choices, "kinds": EntryKind.choices}


def proposals(request):
    """待决定的列入（标记）建议: the overdue first; a batch is listed/marked or declined at once."""
    filters = _filters(request)
    rows, has_next = slice_page(selectors.proposals(actor=request.user, filters=filters), page_number(request), PAGE_SIZE)
    return render(request, "credit/proposals.html", {**_common(request, filters), "rows": rows, "has_next": has_next,
                                                     "page_no": page_number(request), "tab": "proposals",
                                                     "can_propose": request.user.role != Role.LEADERSHIP,
                                                     "hand_reasons": [c for c in AbnormalReason.choices
                                                                      if c[0] != AbnormalReason.NO_ANNUAL_REPORT]})


@require_POST
def proposals_decide(request):
    ids = request.POST.getlist("ids")
    try:
        if request.POST.get("action") == "decline":
            done = decisions.abnormal_decline(actor=request.user, ids=ids, reason=request.POST.get("reason", ""), ip=client_ip(request))
            messages.success(request, f"已对 {len(done)} 条建议作出不予列入决定。")
        else:
            decided_on = _date(request.POST.get("decided_on"), "decided_on", "决定日期")
            made = decisions.abnormal_decide(actor=request.user, ids=ids, decided_on=decided_on,
                                             approved_by=request.POST.get("approved_by", ""), note=request.POST.get("note", ""),
                                             ip=client_ip(request))
            messages.success(request, "已作出决定：" + "、".join(f"{d.get_kind_display()} {d.number}" for d in made))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("credit:index"))


@require_POST
def proposal_new(request):
    """逐户提出 for the reasons the yearly run does not cover (未按责令期限公示, 弄虚作假, 无法联系)."""
    from jianguan.businesses.models import Business

    from ..services.proposals import abnormal_propose

    uscc = request.POST.get("uscc", "").strip().upper()[:18]
    try:
        business = Business.objects.select_related("subdistrict").filter(uscc=uscc).first()
        if business is None:
            raise DomainError("unknown_business", f"统一社会信用代码“{uscc}”不是已登记的市场主体", {"field": "uscc"})
        entry = abnormal_propose(actor=request.user, business=business, reason=request.POST.get("reason", ""),
                                 on=_date(request.POST.get("proposed_on"), "proposed_on", "提出日期"), ip=client_ip(request))
        messages.success(request, f"已提出：{business.name}，{entry.get_kind_display()}（{entry.get_reason_display()}），"
                                  f"决定期限 {entry.decision_due}。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("credit:index"))


def entries(request):
    filters = _filters(request)
    qs = selectors.abnormal_list(actor=request.user, filters=filters)
    rows, has_next = slice_page(qs, page_number(request), PAGE_SIZE)
    return render(request, "credit/entries.html", {**_common(request, filters), "rows": rows, "has_next": has_next,
                                                   "page_no": page_number(request), "tab": "entries",
                                                   "query": request.GET.urlencode()})


def entries_export(request):
    qs = selectors.abnormal_list(actor=request.user, filters=_filters(request)).order_by("pk")

    def rows():
        for e in qs.iterator(chunk_size=2000):
            b = e.business
            yield [b.uscc or None, b.name, b.get_entity_type_display(), b.subdistrict.name, e.get_kind_display(), e.get_reason_display(),
                   str(e.report_year or "") or None, e.get_status_display(), e.proposed_on.isoformat(),
                   e.listed_on.isoformat() if e.listed_on else None, e.decision.number if e.decision else None,
                   e.removed_on.isoformat() if e.removed_on else None, e.get_removal_reason_display() or None]

    spool = tempfile.TemporaryFile()
    write_table(spool, EXPORT_HEADERS, rows(), fmt="xlsx", title="经营异常名录")
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=f"经营异常名录_{timezone.localdate():%Y%m%d}.xlsx")


def _timeline(entry) -> list[dict]:
    events = [{"at": entry.proposed_on, "title": f"提出{entry.get_kind_display()}建议：{entry.get_reason_display()}", "milestone": True}]
    if entry.listed_on:
        events.append({"at": entry.listed_on, "title": f"{entry.get_kind_display()}（{entry.decision.number if entry.decision else ''}）",
                       "milestone": True})
    if entry.removed_on:
        events.append({"at": entry.removed_on, "title": f"移出：{entry.get_removal_reason_display()}", "milestone": True})
    fields = {f.name: f for f in type(entry)._meta.get_fields() if hasattr(f, "verbose_name")}
    for log in LogEntry.objects.get_for_object(entry).select_related("actor").order_by("timestamp", "pk"):
        changes = []
        for name, values in (log.changes_dict or {}).items():
            field = fields.get(name)
            before, after = (list(values) + [None, None])[:2]
            if field is not None and field.choices:
                before, after = (dict(field.choices).get(v, v) for v in (before, after))
            changes.append({"label": str(field.verbose_name) if field else name, "before": before, "after": after})
        events.append({"at": log.timestamp, "title": "登记" if log.action == LogEntry.Action.CREATE else "修改",
                       "actor": log.actor or "系统", "ip": log.remote_addr, "changes": changes, "audit": True})
    return events


def entry_detail(request, pk: int):
    try:
        entry = selectors.abnormal_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "credit/entry.html", {
        **_common(request, {}), "entry": entry, "timeline": _timeline(entry), "repairs": entry.repairs.order_by("-applied_on"),
        "serious": entry.serious_entries.all(), "can_apply": request.user.role != Role.LEADERSHIP, "tab": "entries",
        "conditions": REPAIR_CONDITIONS,
    })


def serious_page(request):
    filters = _filters(request)
    today = timezone.localdate()
    rows, has_next = slice_page(selectors.serious_list(actor=request.user, filters=filters), page_number(request), PAGE_SIZE)
    # The to-do's 即将届满 / 全部 links also list the listings reaching their 3 years within the due-soon window.
    candidates_on = due_soon_until(today) if request.GET.get("candidates") in ("soon", "all") else today
    candidates = serious.serious_candidates(candidates_on) if can_decide(request.user) else {"abnormal": [], "cases": []}
    return render(request, "credit/serious.html", {**_common(request, filters), "rows": rows, "has_next": has_next,
                                                   "page_no": page_number(request), "candidates": candidates, "tab": "serious",
                                                   "candidates_on": candidates_on,
                                                   "sources": SeriousSource.choices})


@require_POST
def serious_act(request):
    action, ip = request.POST.get("action"), client_ip(request)
    try:
        if action == "propose":
            made = serious.serious_propose(actor=request.user, ip=ip)
            messages.success(request, f"已提出列入严重违法失信名单 {len(made)} 户。")
        elif action == "decline":
            done = serious.serious_decline(actor=request.user, ids=request.POST.getlist("ids"), reason=request.POST.get("reason", ""), ip=ip)
            messages.success(request, f"已对 {len(done)} 条建议作出不予列入决定。")
        else:
            decision = serious.serious_decide(actor=request.user, ids=request.POST.getlist("ids"),
                                              decided_on=_date(request.POST.get("decided_on"), "decided_on", "决定日期"),
                                              approved_by=request.POST.get("approved_by", ""), note=request.POST.get("note", ""), ip=ip)
            messages.success(request, f"已作出{decision.get_kind_display()} {decision.number}。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("credit:serious"))


def decision_download(request, pk: int):
    try:
        decision = selectors.decision_get(actor=request.user, pk=pk)
        if decision.document is None:
            raise NotFound("该决定没有决定书文件")
        content = engine.stored_bytes(decision.document)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=engine.DOCX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(engine.download_name(decision.document))}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


urlpatterns = [
    path("", proposals, name="index"),
    path("proposals/decide/", proposals_decide, name="proposals_decide"),
    path("proposals/new/", proposal_new, name="proposal_new"),
    path("entries/", entries, name="entries"),
    path("entries/export/", entries_export, name="entries_export"),
    path("entries/<int:pk>/", entry_detail, name="entry"),
    path("serious/", serious_page, name="serious"),
    path("serious/act/", serious_act, name="serious_act"),
    path("decisions/<int:pk>/download/", decision_download, name="decision_download"),
]
