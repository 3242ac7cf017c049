"""Report pages: generate a report (page, downloads), drill into a figure, the indicator catalogue,
template editing with a live preview, snapshots with reproduction and comparison (同比, 环比)."""

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from jianguan.campaigns.selectors import campaign_by_code
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.indicators import column_value, dimension_key, drilldown, get_indicator
from jianguan.core.periods import Params, Scope

from . import renderers, selectors, services
from .compare import compare_values, summary
from .engine import build_params, build_report, builtin_body, indicator_catalogue
from .forms import (
    FIELD_OF_ERROR,
    FORMAT_CHOICES,
    PreviewForm,
    ReportForm,
    TemplateEditForm,
    period_suggestions,
)
from .links import link_maker
from .renderers.html_out import html_blocks
from .templating import CONTEXT_NAMES, TemplateInvalid

DRILL_PAGE = 100
SNAPSHOT_PAGE = 50
PARAM_KEYS = ("template", "period", "as_of", "scope", "campaign", "report_year")


def _server_base(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _not_found(exc: DomainError):
    return Http404(exc.message)


# ---------------------------------------------------------------- generate


def _report_context(request, form: ReportForm) -> dict:
    return {
        "form": form,
        "templates": form.fields["template"].choices,
        "period_options": period_suggestions(timezone.localdate()),
        "formats": FORMAT_CHOICES,
        "default_scope": selectors.default_scope(actor=request.user),
    }


def _build(request, form: ReportForm, *, base: str = ""):
    """The report for a valid form, or None with the problem put on the form."""
    try:
        return build_report(form.cleaned_data["template"], form.params, actor=request.user,
                            link=link_maker(form.params, base=base))
    except TemplateInvalid as exc:
        form.problems = exc.problems
        form.add_error(None, "模板有误，无法生成报表，请修正模板后重试。")
    except DomainError as exc:
        field = FIELD_OF_ERROR.get(exc.code)
        form.add_error(field if field in form.fields else None, exc.message)
    return None


def _report_form(request) -> ReportForm:
    # A bare ?template=KEY (from the template list) preselects it; with a period or a date it generates.
    data = request.GET if "template" in request.GET and ({"period", "as_of", "campaign"} & set(request.GET)) else None
    initial = {"scope": selectors.default_scope(actor=request.user), "period": _default_period(),
               "template": request.GET.get("template", "work_summary"), "campaign": request.GET.get("campaign", "")}
    return ReportForm(data, actor=request.user, templates=selectors.template_list(), initial=initial)


def _default_period() -> str:
    """The latest half-year already over: a summary is written for a finished period, not a running one."""
    today = timezone.localdate()
    return f"{today.year}H1" if today.month >= 7 else f"{today.year - 1}H2"


def _with_scope_labels(snapshots) -> list:
    """Each snapshot's scope in words (全局, a station's or a street's name), not its code ("bureau")."""
    snapshots = list(snapshots)
    labels: dict[str, str] = {}
    for snapshot in snapshots:
        text = (snapshot.parameters or {}).get("scope") or "bureau"
        if text not in labels:
            try:
                labels[text] = Scope.parse(text).label
            except DomainError:
                labels[text] = text  # a station or street since removed: its code is all there is
        snapshot.scope_label = labels[text]
    return snapshots


@require_GET
def index(request):
    """Choose a template and parameters; the report is shown in the page with download buttons."""
    form = _report_form(request)
    context = _report_context(request, form)
    status = 200
    if form.is_bound:
        report = _build(request, form) if form.is_valid() else None
        if report is not None:
            snapshot = services.snapshot_save(actor=request.user, report=report)
            query = {k: request.GET.get(k, "") for k in PARAM_KEYS}
            context.update(report=report, blocks=html_blocks(report), snapshot=snapshot, query=urlencode(query))
        else:
            status = 400
    return render(request, "reports/index.html", context, status=status)


@require_GET
def download(request, fmt: str):
    """The same report as a file; the numbers of HTML (and other files with links) point back to this server."""
    if fmt not in renderers.FORMATS:
        raise Http404("不支持的格式")
    form = _report_form(request)
    if not form.is_bound:
        return redirect("reports:index")
    report = _build(request, form, base=_server_base(request)) if form.is_valid() else None
    if report is not None:
        try:
            data = renderers.render(report, fmt, drilldowns=request.GET.get("drilldowns") == "1", actor=request.user)
        except ModuleNotFoundError:
            form.add_error(None, f"{fmt.upper()} 格式暂未提供，请选择其他格式。")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            services.snapshot_save(actor=request.user, report=report)
            response = HttpResponse(data, content_type=renderers.content_type(fmt))
            name = f"{report.title}_{report.params.period.code.replace('..', '至')}.{renderers.FORMATS[fmt][1]}"
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
    return render(request, "reports/index.html", _report_context(request, form), status=400)


# ---------------------------------------------------------------- drill-down


def _drill_params(request, key: str):
    try:
        indicator = get_indicator(key)
        params = build_params(
            as_of=request.GET.get("as_of") or None, period=request.GET.get("period") or None, scope=request.GET.get("scope"),
            campaign=request.GET.get("campaign"), report_year=request.GET.get("report_year") or None,
        )
        selectors.check_scope(actor=request.user, scope=params.scope, allow_bureau=True)
        part = request.GET.get("part") or None
        qs = drilldown(key, params, actor=request.user, part=part)
    except DomainError as exc:
        raise _not_found(exc) from exc
    if not qs.ordered:
        qs = qs.order_by("pk")
    return indicator, params, part, qs


def _summed(indicator, qs):
    """A sum's drill-down lists the records summed; its total is their sum (equal to the figure)."""
    measured = get_indicator(indicator.numerator) if indicator.is_rate else indicator
    if measured.aggregate != "sum":
        return None
    return qs.order_by().aggregate(total=Sum(measured.sum_field))["total"] or 0


def _safe_back(request) -> str:
    for candidate in (request.GET.get("back"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}) and "/reports/drill/" not in candidate:
            return candidate
    return reverse("reports:index")


@require_GET
def drill(request, key: str):
    """The records behind one figure; the page states their count, which equals the figure."""
    indicator, params, part, qs = _drill_params(request, key)
    paginator = Paginator(qs, DRILL_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [[column_value(r, c.path) for c in indicator.columns] for r in page.object_list]
    summed = _summed(indicator, qs)
    back = _safe_back(request)
    base = {k: v for k, v in request.GET.items() if k != "page"}
    base["back"] = back
    return render(
        request,
        "reports/drill.html",
        {
            "indicator": indicator,
            "params": params,
            "part": part,
            "total": paginator.count if summed is None else summed,
            "records": paginator.count,
            "summed": summed is not None,
            "campaign": _campaign_label(params),
            "rows": rows,
            "page": page,
            "first_row": page.start_index(),
            "query": urlencode(base),
            "export_query": urlencode({k: v for k, v in base.items() if k != "back"}),
            "back": back,
        },
    )


@require_GET
def drill_export(request, key: str):
    """The drill-down list as an Excel file: the records with the indicator's columns, and a sheet of parameters."""
    from io import BytesIO

    from openpyxl.styles import Font

    from jianguan.core.exporting import new_workbook, sheet_title, xlsx_cell, xlsx_row

    indicator, params, part, qs = _drill_params(request, key)
    wb = new_workbook()  # write-only: the core writer makes every text a text, never a formula
    sheet = wb.create_sheet(sheet_title(indicator.label + (f"（{part}）" if part else "")))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([xlsx_cell(sheet, c.header, font=bold) for c in indicator.columns])
    total = 0
    for record in qs.iterator(chunk_size=2000):
        sheet.append(xlsx_row(sheet, [_cell(column_value(record, c.path)) for c in indicator.columns]))
        total += 1
    about = wb.create_sheet("说明")
    about.column_dimensions["A"].width = 12
    about.column_dimensions["B"].width = 60
    summed = _summed(indicator, qs)
    for row in (
        ("指标", indicator.label + (f"（{part}）" if part else "")),
        ("标识", dimension_key(indicator.key, part) if part else indicator.key),
        ("口径", indicator.definition),
        ("统计期间", f"{params.period.label}（{params.period.start} 至 {params.period.end}）"),
        ("截至日期", params.as_of.isoformat()),
        ("范围", params.scope.label),
        *((("专项行动", _campaign_label(params)),) if params.campaign else ()),
        *((("年报年度", str(params.report_year)),) if params.report_year else ()),
        ("记录数", total),
        *((("合计", f"{summed}{indicator.unit}"),) if summed is not None else ()),
        ("导出人", str(request.user)),
        ("导出时间", timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ):
        about.append(xlsx_row(about, row))
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=renderers.content_type("xlsx"))
    name = f"{indicator.label}{'_' + part if part else ''}_明细_{params.period.code.replace('..', '至')}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _campaign_label(params) -> str:
    if not params.campaign:
        return ""
    campaign = campaign_by_code(params.campaign)
    return f"{campaign.name}（{campaign.code}）"


def _cell(value):
    if isinstance(value, dt.date | int | float | str):
        return value
    return str(value)


# ---------------------------------------------------------------- indicators


@require_GET
def indicators(request):
    return render(request, "reports/indicators.html", {"rows": indicator_catalogue()})


# ---------------------------------------------------------------- templates


@require_GET
def template_list(request):
    return render(
        request,
        "reports/template_list.html",
        {"templates": selectors.template_list(), "can_edit": selectors.can_edit_templates(request.user)},
    )


def _get_template(key: str):
    try:
        return selectors.template_get(key=key)
    except NotFound as exc:
        raise _not_found(exc) from exc


def template_edit(request, key: str):
    """The editor (department staff, administrators) or a read-only view (everyone else), with a live preview."""
    template = _get_template(key)
    can_edit = selectors.can_edit_templates(request.user)
    problems = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("只有业务科室人员和管理员可以修改报表模板")
        form = TemplateEditForm(request.POST)
        if form.is_valid():
            try:
                services.template_update(
                    actor=request.user, key=key, body=form.cleaned_data["body"].replace("\r\n", "\n"),
                    version=form.cleaned_data["version"], title=form.cleaned_data["title"],
                )
            except DomainError as exc:
                problems = [f"第{p['line']}行：{p['message']}" if p.get("line") else p["message"]
                            for p in exc.extra.get("problems", [])]
                form.add_error(None, "模板有误，未保存：" if problems else exc.message)
            else:
                messages.success(request, f"模板“{template.title}”已保存。")
                return redirect("reports:template_edit", key=key)
    elif request.method == "GET":
        form = TemplateEditForm(initial={"title": template.title, "body": template.body, "version": template.version})
    else:
        return HttpResponse(status=405)
    return render(
        request,
        "reports/template_edit.html",
        {
            "template": template,
            "form": form,
            "can_edit": can_edit,
            "problems": problems,
            "has_builtin": builtin_body(template.key) is not None,
            "period_options": period_suggestions(timezone.localdate()),
            "default_period": _default_period(),
            "scope_groups": selectors.scope_choices(actor=request.user),
            "default_scope": selectors.default_scope(actor=request.user),
            "campaign_choices": (campaigns := selectors.campaign_choices()),
            # a template quoting a campaign's figures previews the latest campaign
            "default_campaign": campaigns[0][0] if campaigns and "campaign." in template.body else "",
            "context_names": sorted(CONTEXT_NAMES),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def template_preview(request, key: str):
    """htmx: the draft body rendered for the chosen period, or its problems with line numbers. Only
    for editors: a draft is arbitrary template text, and others have nothing to draft."""
    if not selectors.can_edit_templates(request.user):
        raise PermissionDenied("只有业务科室人员和管理员可以编辑和预览报表模板")
    template = _get_template(key)
    form = PreviewForm(request.POST, actor=request.user)
    context = {"template": template}
    if form.is_valid():
        body = form.cleaned_data["body"].replace("\r\n", "\n")
        try:
            report = build_report(template, form.params, actor=request.user, body=body, link=link_maker(form.params))
        except TemplateInvalid as exc:
            context["problems"] = [str(p) for p in exc.problems]
        except DomainError as exc:
            context["errors"] = [exc.message]
        else:
            context.update(report=report, blocks=html_blocks(report))
    else:
        context["errors"] = [e for errs in form.errors.values() for e in errs]
    return render(request, "reports/_preview.html", context)


@require_POST
def template_restore(request, key: str):
    _get_template(key)
    try:
        template = services.template_restore_builtin(actor=request.user, key=key)
    except DomainError as exc:
        if exc.code == "permission_denied" and not selectors.can_edit_templates(request.user):
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, f"模板“{template.title}”已恢复为内置版本。")
    return redirect("reports:template_edit", key=key)


# ---------------------------------------------------------------- snapshots


def _get_snapshot(request, pk):
    try:
        return selectors.snapshot_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise _not_found(exc) from exc


def _snapshot_params(snapshot) -> Params:
    p = snapshot.parameters
    return build_params(as_of=p.get("as_of"), period=p.get("period"), scope=p.get("scope"), campaign=p.get("campaign"),
                        report_year=p.get("report_year"))


def _stored(values: dict) -> dict:
    return {k: str(v) if v is not None else None for k, v in values.items()}


def _key_order(keys) -> list[str]:
    order = []
    for key in sorted({k.split("[", 1)[0] for k in keys}):
        order.append(key)
        try:
            indicator = get_indicator(key)
        except DomainError:
            continue
        if indicator.dimension:
            order.extend(dimension_key(key, label) for _, label in indicator.dimension.pairs())
    return order


def _labelled(rows):
    """Compare rows with their indicator's label and unit (an indicator no longer registered keeps its key)."""
    out = []
    for row in rows:
        try:
            indicator = get_indicator(row.indicator_key)
            label, unit = indicator.label, indicator.unit
        except DomainError:
            label, unit = row.indicator_key, ""
        out.append({"row": row, "label": label, "unit": unit})
    return out


@require_GET
def snapshot_list(request):
    paginator = Paginator(selectors.snapshot_list(actor=request.user), SNAPSHOT_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = _with_scope_labels(page.object_list)
    return render(request, "reports/snapshot_list.html", {"page": page, "total": paginator.count})


def _snapshot_context(request, snapshot) -> dict:
    _with_scope_labels([snapshot])
    rows = compare_values(snapshot.values, {}, _key_order(snapshot.values))
    return {
        "snapshot": snapshot,
        "values": [{"key": r["row"].key, "value": r["row"].base, "label": r["label"], "unit": r["unit"],
                    "part": r["row"].part} for r in _labelled(rows)],
        "text_lines": [line for line in snapshot.text.splitlines() if line.strip()],
    }


@require_GET
def snapshot_detail(request, pk):
    snapshot = _get_snapshot(request, pk)
    return render(request, "reports/snapshot_detail.html", _snapshot_context(request, snapshot))


def reproduce(snapshot):
    """Re-render a snapshot's parameters with its author's jurisdiction: (report, hash matches, changed rows)."""
    params = _snapshot_params(snapshot)
    report = build_report(snapshot.template_key, params, actor=snapshot.author)
    rows = compare_values(snapshot.values, _stored(report.values), _key_order(snapshot.values))
    return report, report.sha256 == snapshot.sha256, [r for r in rows if r.changed]


@require_GET
def snapshot_verify(request, pk):
    """重新生成并核对: the same parameters on today's data; unchanged data gives the same SHA-256."""
    snapshot = _get_snapshot(request, pk)
    context = _snapshot_context(request, snapshot)
    try:
        report, matches, changed = reproduce(snapshot)
    except TemplateInvalid as exc:
        context["verify_error"] = "模板现有错误，无法重新生成：" + "；".join(str(p) for p in exc.problems)
    except DomainError as exc:
        context["verify_error"] = exc.message
    else:
        context["verify"] = {
            "sha256": report.sha256,
            "matches": matches,
            "changed": _labelled(changed),
            "text_changed": report.text != snapshot.text,
            "template_version": report.template.version,
        }
    return render(request, "reports/snapshot_detail.html", context)


@require_POST
def snapshot_relative(request, pk, kind: str):
    """同比 (same period last year) or 环比 (previous period): generate that report, save it, compare."""
    snapshot = _get_snapshot(request, pk)
    try:
        params = _snapshot_params(snapshot)
        selectors.check_scope(actor=request.user, scope=params.scope, allow_bureau=True)
        other = params.period.same_last_year() if kind == "yoy" else params.period.previous()
        report = build_report(snapshot.template_key, params.with_period(other), actor=request.user)
    except TemplateInvalid as exc:
        messages.error(request, "模板有误，无法生成对比报表：" + "；".join(str(p) for p in exc.problems))
        return redirect("reports:snapshot_detail", pk=snapshot.pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("reports:snapshot_detail", pk=snapshot.pk)
    earlier = services.snapshot_save(actor=request.user, report=report)
    label = "同比" if kind == "yoy" else "环比"
    return redirect(f"{reverse('reports:compare')}?{urlencode({'a': earlier.pk, 'b': snapshot.pk, 'kind': label})}")


@require_GET
def compare(request):
    """Two snapshots side by side: each figure's two values, the difference and the change in %."""
    a_id, b_id = request.GET.get("a"), request.GET.get("b")
    if not a_id or not b_id:
        return render(request, "reports/compare.html", {"error": "请选择两个报表快照进行对比（a 与 b）。"}, status=400)
    a, b = _with_scope_labels([_get_snapshot(request, a_id), _get_snapshot(request, b_id)])
    rows = compare_values(a.values, b.values, _key_order([*a.values, *b.values]))
    return render(
        request,
        "reports/compare.html",
        {
            "a": a,
            "b": b,
            "kind": request.GET.get("kind", "") if request.GET.get("kind") in ("同比", "环比") else "",
            "rows": _labelled(rows),
            "summary": summary(rows),
            "a_lines": [line for line in a.text.splitlines() if line.strip()],
            "b_lines": [line for line in b.text.splitlines() if line.strip()],
            "same_template": a.template_key == b.template_key,
        },
    )
