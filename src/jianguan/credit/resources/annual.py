"""The annual-report ledger (年度报告台账): `jianguan import annual_reports FILE`, the web import, and the
export with the same headers, 统一社会信用代码, 年度, 报送日期 — the national publicity system's export.

Upsert by (business, year): a known filing gets its new date, a new one is created. A row is refused
(row, column, reason) when its code is not a registered business, the year is not a past year, or the
date is before Jan 1 of year+1 (the window opens then) or in the future; one bad row and nothing is
written. The writes are `services.annual.annual_reports_import`, which also restores the marks the
filings cure. Reference data: the businesses of a batch in one query, the filings on file in one.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.errors import PermissionDenied
from jianguan.core.importing import (
    CellError,
    Column,
    Context,
    Ledger,
    format_date,
    parse_date,
    text,
    url_if_routed,
)
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict

from ..models import AnnualReport
from ..services.annual import annual_reports_import, check_filing

HEADERS = ("统一社会信用代码", "年度", "报送日期")
CHUNK = 5000
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?\s*年?(?:度)?$")
_FIELD_HEADERS = {"year": "年度", "filed_on": "报送日期"}


class ReportKey:
    """The natural key of a filing, (统一社会信用代码, 年度). The engine keys a row by one column's value:
    the code's parser starts the row's key and the year's parser completes it (columns parse in order,
    and the engine reads the key once the whole row is parsed)."""

    __slots__ = ("uscc", "year")

    def __init__(self, uscc: str = "", year: int | None = None):
        self.uscc, self.year = uscc, year

    def parts(self) -> tuple:
        return (self.uscc, self.year)

    def __eq__(self, other):
        return isinstance(other, ReportKey) and self.parts() == other.parts()

    def __hash__(self):
        return hash(self.parts())

    def __str__(self):
        return f"{self.uscc} {self.year}"


def parse_key(value, ctx) -> ReportKey | None:
    raw = text(value, ctx).upper()
    key = ctx.data["key"] = ReportKey()
    if not raw:
        return None
    try:
        key.uscc = normalize_uscc(raw)
    except UsccError as exc:
        raise CellError(f"“{raw}”：{exc}") from None
    ctx.data["pending_usccs"].add(key.uscc)
    return key


def format_key(value, ctx) -> str:
    return value.uscc if isinstance(value, ReportKey) else str(value or "")


def parse_year(value, ctx) -> int | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raw = str(int(value)) if float(value).is_integer() else str(value)
    else:
        raw = text(value, ctx)
    if not raw:
        return None
    match = _YEAR.match(raw)
    if not match:
        raise CellError(f"年度“{raw}”无法识别，应为四位年份，如 2025")
    year = int(match.group(1))
    ctx.data["key"].year = year
    return year


class _ReportsOnFile:
    """Stands in for the model where the engine looks up the rows on file: the filings of the batch's
    codes and years, in one query."""

    _meta = AnnualReport._meta

    class objects:  # noqa: N801 - the manager's name on a model
        @staticmethod
        def in_bulk(keys=None, *, field_name="pk"):
            wanted = set(keys or ())
            if not wanted:
                return {}
            found = {}
            reports = AnnualReport.objects.filter(
                business__uscc__in={k.uscc for k in wanted}, year__in={k.year for k in wanted}
            ).select_related("business")
            for report in reports:
                key = ReportKey(report.business.uscc, report.year)
                if key in wanted:
                    report.key = str(key)  # as clean_row turns the row's key into text (the batch record is JSON)
                    found[key] = report
            return found


class AnnualReportLedger(Ledger):
    name = "annual_reports"
    label = "年度报告"
    model = _ReportsOnFile
    key = "key"
    import_title = "导入年度报告"
    import_intro = ("上传国家企业信用信息公示系统导出的年度报告报送情况（Excel .xlsx 或 CSV），先预览校验结果，确认后才写入；"
                    "任何一行有错则整个文件不写入。")
    columns = (
        Column("统一社会信用代码", "key", required=True, parse=parse_key, format=format_key),
        Column("年度", "year", required=True, parse=parse_year, format=lambda v, ctx: str(v or "")),
        Column("报送日期", "filed_on", required=True, parse=parse_date, format=format_date),
    )

    @property
    def home_url(self) -> str:
        return url_if_routed("credit:annual")

    @property
    def export_url(self) -> str:
        return ""

    def check_import(self, actor) -> None:
        if actor is not None and actor.role == Role.LEADERSHIP and not actor.is_superuser:
            raise PermissionDenied("局领导账号只读，不能导入年度报告")

    def import_instructions(self, actor) -> list[str]:
        lines = [
            "同一统一社会信用代码、同一年度为同一份年度报告：再次导入只更新报送日期，不会重复计数。",
            "统一社会信用代码须为已登记的市场主体；年度填四位年份（如 2025）；报送日期不能早于次年1月1日，也不能晚于今天。",
            "个体工商户因未报年度报告被标记为经营异常状态的，导入该年度（或以后年度）的年度报告后自动恢复正常记载状态。",
            "日期可写 2026-05-01、2026/5/1 或 2026年5月1日。",
        ]
        if actor is not None and actor.role == Role.STATION and not actor.is_superuser:
            lines.append("您只能导入本所辖区内市场主体的年度报告。")
        return lines

    def will_write(self, result) -> str:
        return f"确认后将新增 {result.created} 份、更新 {result.updated} 份年度报告。"

    def display(self, attr: str, value, ctx: Context):
        if attr == "key":
            return str(value)
        if attr == "filed_on":
            return format_date(value)
        return "" if value is None else str(value)

    def prepare(self, ctx: Context) -> None:
        actor = ctx.actor
        scoped = actor is not None and actor.role == Role.STATION and not actor.is_superuser
        ctx.data.update(
            key=ReportKey(),
            pending_usccs=set(),
            businesses={},  # uscc -> (pk, subdistrict_id)
            today=timezone.localdate(),
            scope=(set(Subdistrict.objects.filter(station_id=actor.org_unit_id).values_list("pk", flat=True))
                   if scoped else None),
        )

    def _load(self, ctx: Context) -> None:
        data = ctx.data
        usccs, data["pending_usccs"] = sorted(data["pending_usccs"] - data["businesses"].keys()), set()
        for i in range(0, len(usccs), CHUNK):
            found = Business.objects.filter(uscc__in=usccs[i : i + CHUNK]).values_list("uscc", "pk", "subdistrict_id")
            data["businesses"].update({uscc: (pk, sub) for uscc, pk, sub in found})

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        data = ctx.data
        if data["pending_usccs"]:
            self._load(ctx)
        key = values["key"]
        found = data["businesses"].get(key.uscc)
        problems = []
        if found is None:
            problems.append(("统一社会信用代码", f"统一社会信用代码 {key.uscc} 不是已登记的市场主体"))
        elif data["scope"] is not None and found[1] not in data["scope"]:
            problems.append(("统一社会信用代码", "该市场主体不在您的辖区范围内"))
        problems += [(_FIELD_HEADERS[field], reason) for field, reason in check_filing(key.year, values["filed_on"], data["today"])]
        if problems:
            return problems
        values.update(key=str(key), business_id=found[0])
        return []

    def write(self, creates: list[dict], updates: list, ctx: Context) -> None:
        creates = [{attr: v for attr, v in values.items() if attr != "key"} for values in creates]
        annual_reports_import(actor=ctx.actor, creates=creates, updates=updates)

    def export_queryset(self, ctx: Context):
        qs = AnnualReport.objects.all()
        if ctx.data.get("scope") is not None:
            qs = qs.filter(Q(business__subdistrict_id__in=ctx.data["scope"]))
        return qs.order_by("business__uscc", "year")

    def export_rows(self, ctx: Context):
        rows = self.export_queryset(ctx).values_list("business__uscc", "year", "filed_on")
        for uscc, year, filed_on in rows.iterator(chunk_size=CHUNK):
            yield [uscc, str(year), format_date(filed_on)]
