"""/credit/annual/: filing progress of the annual reports (年报) for a report year as of today, per station and
主体类型, and the list of non-filers (paged, filtered, exported to xlsx). Stations see their jurisdiction."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from jianguan.businesses.choices import EntityType
from jianguan.core.exporting import write_table
from jianguan.core.paging import page_number, parse_int
from jianguan.org.choices import Role
from jianguan.org.selectors import scope_label, subdistricts_in_scope

from ..indicators.annual import window_end
from ..selectors import annual as selectors

PAGE_SIZE = 50
EXPORT_HEADERS = ("统一社会信用代码", "名称", "主体类型", "所属街道", "监管所", "成立日期", "登记状态")


def _filters(request, actor, subdistricts) -> tuple[dict, list[str]]:
    get = lambda key: request.GET.get(key, "").strip()  # noqa: E731
    filters, problems = {}, []
    stations = {s.station_id for s in subdistricts}
    if value := get("station"):
        pk = parse_int(value)
        if pk in stations:
            filters["station"] = pk
        else:
            problems.append(f"监管所“{value[:20]}”无效，已忽略")
    if value := get("subdistrict"):
        pk = parse_int(value)
        if pk in {s.pk for s in subdistricts}:
            filters["subdistrict"] = pk
        else:
            problems.append(f"街道“{value[:20]}”无效，已忽略")
    if value := get("entity_type"):
        if value in EntityType.values:
            filters["entity_type"] = value
        else:
            problems.append(f"主体类型“{value[:20]}”无效，已忽略")
    if q := get("q"):
        filters["q"] = q[:100]
    return filters, problems


@require_GET
def annual_progress(request):
    today = timezone.localdate()
    # The year whose window is open (Jan 1 – Jun 30) or last closed: always the year before today's.
    default_year = today.year - 1
    problems = []
    year = default_year
    if value := request.GET.get("year", "").strip():
        number = parse_int(value)
        if number is not None and 2000 <= number <= default_year:
            year = number
        else:
            problems.append(f"年报年度“{value[:20]}”无效（应为 2000—{default_year} 年），已显示 {default_year} 年度")
    subdistricts = list(subdistricts_in_scope(actor=request.user).order_by("station__code", "code"))
    filters, more = _filters(request, request.user, subdistricts)
    problems += more
    qs = selectors.non_filers(actor=request.user, year=year, as_of=today, filters=filters)
    if request.GET.get("export") == "xlsx":
        return _export(qs, year, today)
    rows, totals = selectors.progress(actor=request.user, year=year, as_of=today)
    page_no = page_number(request)
    start = (page_no - 1) * PAGE_SIZE
    page = list(qs[start : start + PAGE_SIZE + 1])
    end = window_end(year)
    stations = sorted({(s.station.code, s.station_id, s.station.name) for s in subdistricts})
    return render(request, "credit/annual.html", {
        "year": year, "today": today, "window_end": end, "window_open": today <= end,
        "years": list(range(default_year, default_year - 6, -1)),
        "rows": page[:PAGE_SIZE], "has_next": len(page) > PAGE_SIZE, "page_no": page_no,
        "progress": rows, "totals": totals, "filters": filters, "problems": problems,
        "stations": [(pk, name) for _, pk, name in stations], "subdistricts": subdistricts,
        "entity_types": EntityType.choices, "scope_label": scope_label(request.user),
        "show_station": request.user.role != Role.STATION,
    })


def _export(qs, year, today) -> HttpResponse:
    def rows():
        for b in qs.iterator(chunk_size=2000):
            yield [b.uscc, b.name, b.get_entity_type_display(), b.subdistrict.name if b.subdistrict else "",
                   b.subdistrict.station.name if b.subdistrict and b.subdistrict.station else "", b.established_on.isoformat(),
                   b.get_reg_status_display()]

    from io import BytesIO

    out = BytesIO()
    write_table(out, EXPORT_HEADERS, rows(), fmt="xlsx", title="未报年度报告")
    response = HttpResponse(out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, f"{year}年度未报年度报告_{today.isoformat()}.xlsx")
    return response


urlpatterns = [path("annual/", annual_progress, name="annual")]
