"""Special-equipment pages: ledger list with htmx filters and Excel export, device page with
examination history and timeline, operator page, follow-up tasks. Every read goes through
selectors (station scoping), every write through services."""

import copy
import datetime as dt
import tempfile
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from jianguan.businesses import selectors as business_selectors
from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.middleware import client_ip
from jianguan.core.paging import keyset_page, page_number, slice_page
from jianguan.core.panels import due_soon_until
from jianguan.core.rules import rule_value
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict
from jianguan.org.selectors import subdistricts_in_scope

from . import rules, selectors, services
from .choices import DueState, EquipmentStatus, ExamConclusion, TaskStatus
from .forms import ExaminationForm, TaskCompleteForm, TransitionForm
from .models import CatalogueEntry, Equipment, Examination, FollowUpTask

PAGE_SIZE = 50
FILTER_KEYS = ("q", "type", "category", "status", "due_state", "subdistrict", "station", "operator", "key_unit")
HISTORY_LIMIT = 200
OPERATOR_DEVICE_LIMIT = 500
TASK_PAGE_SIZE = 50
TASK_DUE_FILTERS = {"overdue": "已逾期", "soon": "即将到期"}

# CSS badge classes of the shared stylesheet: green, amber, red, grey.
STATUS_BADGE = {"in_use": "active", "idle": "moved_out", "scrapped": "deregistered", "deregistered": "deregistered"}
DUE_BADGE = {"normal": "active", "warning": "moved_out", "overdue": "danger", "failed": "danger", "n/a": "deregistered"}

EXPORT_HEADERS = [
    "设备注册代码", "设备种类", "设备类别", "设备品种", "使用单位统一社会信用代码", "使用单位名称", "使用地点", "所属街道",
    "使用登记证编号", "登记日期", "设备状态", "状态日期", "上次检验日期", "检验结论", "下次检验日期",
    "维保单位统一社会信用代码", "保险截止日期",
]


def can_edit(user) -> bool:
    """Leadership accounts are read-only (services refuse them too); department and station staff edit in scope."""
    return user.is_authenticated and user.role != Role.LEADERSHIP


def _require_editor(request) -> None:
    if not can_edit(request.user):
        raise PermissionDenied("局领导账号只读，不能修改特种设备台账")


def _get_or_404(request, pk: int) -> Equipment:
    try:
        return selectors.equipment_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _rule(key: str, on: dt.date, default: int) -> int:
    try:
        return int(rule_value(key, on=on))
    except DomainError:
        return default


def _list_url(**params) -> str:
    return f"{reverse('equipment:list')}?{urlencode({k: v for k, v in params.items() if v})}"


# ---------------------------------------------------------------- list


def _filters(request) -> dict:
    """The query string as selector filters; a USCC typed into the search box filters by operator."""
    filters = {key: value for key in FILTER_KEYS if (value := request.GET.get(key, "").strip())}
    q = filters.get("q", "")
    if len(q) == 18:
        try:
            filters["operator"] = normalize_uscc(q)
            del filters["q"]
        except UsccError:
            pass
    return filters


def _catalogue() -> tuple[list, list]:
    entries = list(CatalogueEntry.objects.filter(registrable=True, disabled_on__isnull=True).order_by("code"))
    types = [e for e in entries if e.level == "type"]
    names = {e.code: e.name for e in types}
    groups: dict[str, list] = {}
    for e in entries:
        if e.level == "category":
            groups.setdefault(names.get(e.parent_id, e.parent_id), []).append(e)
    return types, list(groups.items())


def _filter_options(actor) -> dict:
    subdistricts = list(subdistricts_in_scope(actor=actor).order_by("station__code", "code"))
    stations, groups = {}, {}
    for sub in subdistricts:
        stations.setdefault(sub.station.code, sub.station)
        groups.setdefault(sub.station.name, []).append(sub)
    types, category_groups = _catalogue()
    return {
        "types": types,
        "category_groups": category_groups,
        "statuses": EquipmentStatus.choices,
        "due_states": [c for c in DueState.choices if c[0] != DueState.NOT_APPLICABLE],
        "stations": list(stations.values()),
        "subdistrict_groups": list(groups.items()),
    }


def _page(qs, after: str, before: str) -> dict:
    page = keyset_page(qs, "reg_code", after, before, PAGE_SIZE)
    for row in page["rows"]:
        row.status_badge = STATUS_BADGE.get(row.status, "")
        row.due_badge = DUE_BADGE.get(row.due_state, "")
        row.must_not_use = rules.must_not_be_used(row.due_state)
    return page


def equipment_list(request):
    filters = _filters(request)
    qs = selectors.equipment_list(actor=request.user, filters=filters)
    total = None
    if filters.get("station") or filters.get("subdistrict") or filters.get("operator") or request.user.role == Role.STATION:
        total = qs.count()  # one station's devices: a cheap count; bureau-wide lists never count
    context = {
        "page": _page(qs, request.GET.get("after", "").strip(), request.GET.get("before", "").strip()),
        "filters": filters,
        "total": total,
        "export_url": f"{reverse('equipment:export')}?{urlencode(filters)}",
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "equipment/_rows.html", context)
    else:
        context.update(_filter_options(request.user))
        response = render(request, "equipment/list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- export


def _ledger():
    """The import ledger of jianguan.equipment.resources, when it exists: export uses its headers and formats."""
    try:
        from . import resources
    except ImportError:
        return None
    from jianguan.core.importing import Ledger

    for value in vars(resources).values():
        if isinstance(value, Ledger) and getattr(value, "model", None) is Equipment:
            return value
    return None


def _own_rows(qs):
    last_exam = Examination.objects.filter(equipment=OuterRef("pk")).order_by("-date").values("date")[:1]
    rows = (
        qs.order_by("reg_code")
        .annotate(last_exam_date=Subquery(last_exam))
        .values_list(
            "reg_code", "type__name", "category__name", "variety__name", "operator__uscc", "operator__name", "address",
            "subdistrict__name", "use_cert_no", "registered_on", "status", "status_date", "last_exam_date",
            "last_conclusion", "next_due", "next_due_estimated", "maintainer__uscc", "insurance_until",
        )
    )
    statuses, conclusions = dict(EquipmentStatus.choices), dict(ExamConclusion.choices)

    def day(value):
        return value.isoformat() if value else ""

    for (reg_code, type_name, category, variety, uscc, name, address, sub, cert, registered, status, status_date,
         exam_date, conclusion, next_due, estimated, maintainer, insurance) in rows.iterator(chunk_size=5000):
        yield [
            reg_code, type_name or "", category or "", variety or "", uscc, name, address, sub or "", cert,
            day(registered), statuses.get(status, status), day(status_date), day(exam_date),
            conclusions.get(conclusion, "") if exam_date else "", "" if estimated else day(next_due),
            maintainer or "", day(insurance),
        ]


def export_rows(actor, filters: dict) -> tuple[list[str], object]:
    """Headers and rows of the filtered ledger, read in chunks."""
    qs = selectors.equipment_list(actor=actor, filters=filters)
    ledger = _ledger()
    if ledger is None:
        return EXPORT_HEADERS, _own_rows(qs)
    from jianguan.core.importing import Context

    ctx = Context(actor=actor)
    ledger.prepare(ctx)
    scoped = copy.copy(ledger)
    base = type(ledger).export_queryset
    scoped.export_queryset = lambda c: base(ledger, c).filter(pk__in=qs.order_by().values("pk"))
    return list(ledger.headers), scoped.export_rows(ctx)


def equipment_export(request):
    from jianguan.core.exporting import write_table

    filters = _filters(request)
    headers, rows = export_rows(request.user, filters)
    # Everything as text (registration codes and USCCs must not become numbers); empty cells are left out.
    as_text = ([None if v is None or v == "" else str(v) for v in row] for row in rows)
    spool = tempfile.TemporaryFile()
    write_table(spool, headers, as_text, fmt="xlsx", title="特种设备台账")
    spool.seek(0)
    name = f"特种设备台账_{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=name)


# ---------------------------------------------------------------- device page and timeline


def _catalogue_names() -> dict[str, str]:
    return dict(CatalogueEntry.objects.values_list("code", "name"))


def _display(field, raw, lookups: dict) -> str:
    if raw in (None, "None", ""):
        return "（空）"
    if field is None:
        return str(raw)
    if field.choices:
        return str(dict(field.choices).get(raw, raw))
    if field.name in ("type", "category", "variety"):
        return f"{raw} {lookups['catalogue'].get(str(raw), '')}".strip()
    if field.name == "subdistrict":
        return lookups["subdistricts"].get(str(raw), f"街道#{raw}")
    if field.name in ("operator", "maintainer"):
        return lookups["businesses"].get(str(raw), f"单位#{raw}")
    if field.get_internal_type() == "BooleanField":
        return "是" if str(raw) in ("True", "true", "1") else "否"
    return str(raw)


AUDIT_TITLES = {
    Equipment: {LogEntry.Action.CREATE: "注册登记入库", LogEntry.Action.UPDATE: "修改设备信息", LogEntry.Action.DELETE: "删除记录"},
    Examination: {LogEntry.Action.CREATE: "录入定期检验", LogEntry.Action.UPDATE: "修改定期检验", LogEntry.Action.DELETE: "删除定期检验"},
    FollowUpTask: {LogEntry.Action.CREATE: "生成跟进任务", LogEntry.Action.UPDATE: "跟进任务办理", LogEntry.Action.DELETE: "删除跟进任务"},
}


def _audit_events(device: Equipment, exams: list, tasks: list, catalogue: dict) -> list[dict]:
    """The auditlog rows of the device, its examinations and its follow-up tasks: who, when, before → after."""
    entries = list(LogEntry.objects.get_for_object(device).select_related("actor").order_by("-timestamp", "-pk")[:HISTORY_LIMIT])
    for related in (exams, tasks):
        if related:
            entries += list(
                LogEntry.objects.get_for_objects(type(related[0]).objects.filter(pk__in=[r.pk for r in related]))
                .select_related("actor").order_by("-timestamp", "-pk")[:HISTORY_LIMIT]
            )
    models = {ContentType.objects.get_for_model(m).pk: m for m in AUDIT_TITLES}
    sub_ids, business_ids = set(), set()
    for e in entries:
        for name, values in (e.changes_dict or {}).items():
            ids = {str(v) for v in values if v not in (None, "None", "")}
            if name == "subdistrict":
                sub_ids |= ids
            elif name in ("operator", "maintainer"):
                business_ids |= ids
    lookups = {
        "catalogue": catalogue,
        "subdistricts": {
            str(pk): name for pk, name in Subdistrict.objects.filter(pk__in=[i for i in sub_ids if i.isdigit()]).values_list("pk", "name")
        },
        "businesses": {
            str(pk): name for pk, name in Business.objects.filter(pk__in=[i for i in business_ids if i.isdigit()]).values_list("pk", "name")
        },
    }
    events = []
    for entry in entries:
        model = models.get(entry.content_type_id, Equipment)
        fields = {f.name: f for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
        changes = []
        if entry.action == LogEntry.Action.UPDATE:
            for name, values in (entry.changes_dict or {}).items():
                field = fields.get(name)
                before, after = (list(values) + [None, None])[:2]
                changes.append({
                    "label": str(field.verbose_name) if field else name,
                    "before": _display(field, before, lookups),
                    "after": _display(field, after, lookups),
                })
        title = AUDIT_TITLES[model].get(entry.action, "访问记录")
        if model is Examination:
            title = f"{title}：{entry.object_repr.split(' ', 1)[-1]}"
        events.append({
            "at": entry.timestamp, "sort": entry.timestamp, "title": title, "actor": entry.actor or "系统",
            "ip": entry.remote_addr, "changes": changes, "audit": True,
        })
    return events


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def device_timeline(device: Equipment, exams: list, tasks: list, catalogue: dict) -> list[dict]:
    """登记, examinations, the current status change, overdue tasks and the audit history, newest first."""
    events = [{"at": device.registered_on, "sort": _day_start(device.registered_on), "title": "办理使用登记", "milestone": True}]
    for exam in exams:
        events.append({
            "at": exam.date, "sort": _day_start(exam.date), "milestone": True,
            "title": f"定期检验：{exam.get_conclusion_display()}" + (f"（{exam.institution}）" if exam.institution else ""),
        })
    if device.status != EquipmentStatus.IN_USE and device.status_date:
        events.append({
            "at": device.status_date, "sort": _day_start(device.status_date), "milestone": True,
            "title": f"设备状态变更为“{device.get_status_display()}”",
        })
    for task in tasks:
        events.append({
            "at": task.opened_on, "sort": _day_start(task.opened_on), "milestone": True,
            "title": f"检验超期，生成跟进任务（{task.station.name}）",
        })
    events.extend(_audit_events(device, exams, tasks, catalogue))
    events.sort(key=lambda e: e["sort"], reverse=True)
    return events


def due_info(device: Equipment, on: dt.date) -> dict:
    """The due state computed on the day (as the daily job would), the apply-by date and the 不得使用 flag."""
    state = rules.due_state(
        status=device.status, next_due=device.next_due, last_conclusion=device.last_conclusion, on=on,
        warning_days=_rule("equipment.due_warning_days", on, 30),
    )
    apply_by = None
    if device.next_due and device.status == EquipmentStatus.IN_USE:
        apply_by = rules.apply_by(device.next_due, _rule("equipment.exam_apply_before_months", on, 1))
    return {
        "state": state,
        "label": DueState(state).label,
        "badge": DUE_BADGE.get(state, ""),
        "must_not_use": rules.must_not_be_used(state),
        "apply_by": apply_by,
        "apply_late": bool(apply_by and apply_by < on and state != DueState.OVERDUE),
        "days_left": (device.next_due - on).days if device.next_due else None,
        "days_over": (on - device.next_due).days if device.next_due and device.next_due < on else 0,
        "on": on,
    }


def _device_context(request, device: Equipment, *, exam_form=None, transition_form=None) -> dict:
    today = timezone.localdate()
    exams = list(device.examinations.order_by("-date", "-pk"))
    tasks = list(device.tasks.select_related("station").order_by("-opened_on", "-pk"))
    catalogue = _catalogue_names()
    editable = can_edit(request.user)
    if editable:
        exam_form = exam_form or ExaminationForm()
        transition_form = transition_form or TransitionForm(
            current=device.status, initial={"version": device.version, "on": today}
        )
    return {
        "device": device,
        "due": due_info(device, today),
        "status_badge": STATUS_BADGE.get(device.status, ""),
        "exams": exams,
        "tasks": tasks,
        "timeline": device_timeline(device, exams, tasks, catalogue),
        "can_edit": editable,
        "exam_form": exam_form,
        "transition_form": transition_form,
        "today": today,
    }


def equipment_detail(request, pk: int):
    device = _get_or_404(request, pk)
    return render(request, "equipment/detail.html", _device_context(request, device))


@require_POST
def examination_create(request, pk: int):
    _require_editor(request)
    device = _get_or_404(request, pk)
    form = ExaminationForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.examination_record(
                actor=request.user, ip=client_ip(request), equipment=device, date=data["date"],
                conclusion=data["conclusion"], next_due=data["next_due"], institution=data["institution"],
                report_no=data["report_no"],
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, f"已录入 {data['date']:%Y-%m-%d} 的定期检验（{ExamConclusion(data['conclusion']).label}）。")
            return redirect("equipment:detail", pk=device.pk)
    context = _device_context(request, device, exam_form=form)
    context["open_form"] = "exam"
    return render(request, "equipment/detail.html", context, status=400)


@require_POST
def equipment_status(request, pk: int):
    _require_editor(request)
    device = _get_or_404(request, pk)
    form = TransitionForm(request.POST, current=device.status)
    stale = False
    if form.is_valid():
        data = form.cleaned_data
        try:
            device = services.equipment_transition(
                actor=request.user, ip=client_ip(request), pk=device.pk, version=data["version"], status=data["status"],
                on=data["on"],
            )
        except DomainError as exc:
            stale = exc.code == "concurrent_edit"
            form.add_domain_error(exc)
        else:
            messages.success(request, f"设备状态已变更为“{device.get_status_display()}”。")
            return redirect("equipment:detail", pk=device.pk)
    context = _device_context(request, device, transition_form=form)
    context.update(open_form="status", stale=stale)
    return render(request, "equipment/detail.html", context, status=409 if stale else 400)


# ---------------------------------------------------------------- operator


def operator_detail(request, pk: int):
    """A 使用单位 and its devices in the actor's scope (the business itself may be registered elsewhere)."""
    in_scope = True
    try:
        business = business_selectors.business_get(actor=request.user, pk=pk)
    except NotFound:
        in_scope = False
        business = Business.objects.select_related("subdistrict__station").filter(pk=pk).first()
        if business is None:
            raise Http404("记录不存在或不在您的辖区范围内") from None
    devices_qs = selectors.equipment_list(actor=request.user, filters={"operator": business.uscc})
    counts = {
        (status, state): n
        for status, state, n in devices_qs.order_by().values_list("status", "due_state").annotate(n=Count("id"))
    }
    if not counts and not in_scope:
        raise Http404("记录不存在或不在您的辖区范围内")
    devices = list(devices_qs.select_related("maintainer")[: OPERATOR_DEVICE_LIMIT + 1])
    for row in devices:
        row.status_badge = STATUS_BADGE.get(row.status, "")
        row.due_badge = DUE_BADGE.get(row.due_state, "")
        row.must_not_use = rules.must_not_be_used(row.due_state)
    by_status = {s: sum(n for (status, _), n in counts.items() if status == s) for s, _ in EquipmentStatus.choices}
    by_state = {d: sum(n for (status, state), n in counts.items() if status == EquipmentStatus.IN_USE and state == d)
                for d, _ in DueState.choices}
    return render(request, "equipment/operator.html", {
        "business": business,
        "devices": devices[:OPERATOR_DEVICE_LIMIT],
        "truncated": len(devices) > OPERATOR_DEVICE_LIMIT,
        "total": sum(counts.values()),
        "status_counts": [(label, by_status[v], v) for v, label in EquipmentStatus.choices],
        "state_counts": [(label, by_state[v], v, DUE_BADGE[v]) for v, label in DueState.choices if v != DueState.NOT_APPLICABLE],
        "list_url": _list_url(operator=business.uscc),
        "maintained": selectors.equipment_list(actor=request.user).filter(maintainer=business).order_by().count()
        if business.entity_type == "enterprise" else 0,
    })


# ---------------------------------------------------------------- follow-up tasks


def task_list(request):
    tab = request.GET.get("status", "open")
    if tab not in (TaskStatus.OPEN, TaskStatus.DONE):
        tab = TaskStatus.OPEN
    station = request.GET.get("station", "").strip()
    base = selectors.task_list(actor=request.user, status=None)
    if station:
        base = base.filter(station__code=station)
    due = request.GET.get("due", "")
    if due in TASK_DUE_FILTERS:  # from the to-do home: the open tasks overdue, or falling due within its window
        on = timezone.localdate()
        window = Q(due_on__lt=on) if due == "overdue" else Q(due_on__gte=on, due_on__lte=due_soon_until(on))
        base = base.filter(window, status=TaskStatus.OPEN)
    tab_counts = dict(base.order_by().values_list("status").annotate(n=Count("id")))
    qs = base.filter(status=tab).select_related("equipment__subdistrict")
    qs = qs.order_by("due_on", "id") if tab == TaskStatus.OPEN else qs.order_by("-closed_at", "-id")
    page_no = page_number(request)
    rows, has_next = slice_page(qs, page_no, TASK_PAGE_SIZE)
    today = timezone.localdate()
    stations = []
    if request.user.role != Role.STATION:
        seen = {}
        for sub in subdistricts_in_scope(actor=request.user).order_by("station__code"):
            seen.setdefault(sub.station.code, sub.station)
        stations = list(seen.values())
    return render(request, "equipment/tasks.html", {
        "rows": rows,
        "tab": tab,
        "station": station,
        "due": TASK_DUE_FILTERS.get(due, ""),
        "due_key": due if due in TASK_DUE_FILTERS else "",
        "stations": stations,
        "open_count": tab_counts.get(TaskStatus.OPEN, 0),
        "done_count": tab_counts.get(TaskStatus.DONE, 0),
        "page_no": page_no,
        "has_next": has_next,
        "today": today,
        "can_edit": can_edit(request.user),
        "form": TaskCompleteForm(),
    })


@require_POST
def task_complete(request, pk: int):
    _require_editor(request)
    if not selectors.task_list(actor=request.user, status=None).filter(pk=pk).exists():
        raise Http404("任务不存在或不在您的辖区范围内")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("equipment:tasks")
    form = TaskCompleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(back or reverse("equipment:tasks"))
    try:
        task = services.task_complete(actor=request.user, pk=pk, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已办结设备 {task.equipment.reg_code} 的跟进任务。")
    return redirect(back or reverse("equipment:tasks"))
