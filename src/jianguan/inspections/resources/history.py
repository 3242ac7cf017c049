"""The import of historical inspections (历史监督检查) kept in Excel before jianguan.

One row is one inspection with at most one finding. Rows with the same 日期, 检查类型, 统一社会信用代码
and 检查人员执法证号 are one inspection: each of them adds its finding (an inspection that found three
problems is three rows). Every inspection and finding is written through the services, so they are
numbered, checked and audited like those entered on the pages; a row's 整改完成日期 closes its
finding on that day (services.imports.finding_import_closed).

The file has no natural key, so the engine's key is the row itself (`RowKey`: the engine's look-up
of existing rows finds none) and duplicates are found here instead: a row repeating another row of
the file (same inspection, same 问题描述) and an inspection already on file with the same date,
kind, business and inspectors are refused, so importing a file twice imports nothing twice.

Reference data is read once (certificates, scope) or once per file in a few chunked queries
(businesses, devices, inspections already on file); the whole file is one batch, because the rows of
one inspection may be anywhere in it and an inspection is written whole.
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import CellError, Column, Context, Ledger, choice, format_date, parse_date, text
from jianguan.equipment.models import Equipment
from jianguan.org.choices import Role
from jianguan.org.models import Subdistrict, User

from ..choices import InspectionKind, InspectionResult, InspectionStatus
from ..models import Inspection
from ..rules import is_external
from ..services.imports import IMPORT_SOURCE, finding_import_closed
from ..services.inspections import NewFinding, check_inspectors, inspection_complete, inspection_create

HISTORY_HEADERS = (
    "日期",
    "检查类型",
    "统一社会信用代码",
    "设备注册代码",
    "检查人员执法证号",
    "检查结果",
    "问题描述",
    "整改期限",
    "整改完成日期",
)
SEPARATORS = re.compile(r"[、,，;；\s]+")
QUERY_CHUNK = 500
SUMMARY = "历史检查记录（由台账导入）"
# Who carried out an external inspection when the file names no certified inspector.
EXTERNAL_PERFORMER = {
    InspectionKind.COMMUNITY: "社区网格员",
    InspectionKind.THIRD_PARTY: "第三方机构",
}
# Results that say a problem was found: each of their rows must describe it.
PROBLEM_RESULTS = (InspectionResult.PROBLEMS, InspectionResult.ORDERED)
NO_PROBLEM_RESULTS = (InspectionResult.NO_PROBLEM, InspectionResult.NOT_FOUND)


class RowKey:
    """The engine's key of one row: unique to the row (two rows never share it). Once written it
    names the inspection it became, which is what the import batch records."""

    __slots__ = ("date", "seq", "number")

    def __init__(self, date: dt.date, seq: int):
        self.date, self.seq, self.number = date, seq, ""

    def __str__(self):
        return self.number or f"{self.date.isoformat()}#{self.seq}"

    def __repr__(self):
        return f"RowKey({self})"


def parse_row_date(value, ctx) -> RowKey | None:
    day = parse_date(value, ctx)
    if day is None:
        return None
    ctx.data["seq"] += 1
    ctx.data["dates"].add(day)
    return RowKey(day, ctx.data["seq"])


parse_kind, format_kind = choice(InspectionKind, noun="检查类型")
parse_result, format_result = choice(InspectionResult, noun="检查结果")


def parse_uscc(value, ctx) -> str:
    raw = text(value, ctx)
    if not raw:
        return ""
    try:
        code = normalize_uscc(raw)
    except UsccError as exc:
        raise CellError(f"“{raw}”：{exc}") from None
    ctx.data["pending_usccs"].add(code)
    return code


def _split(value, ctx, noun: str) -> list[str]:
    parts = [part.upper() for part in SEPARATORS.split(text(value, ctx)) if part]
    seen = set()
    for part in parts:
        if part in seen:
            raise CellError(f"{noun} {part} 重复填写")
        seen.add(part)
    return parts


def parse_reg_codes(value, ctx) -> tuple[str, ...]:
    codes = tuple(_split(value, ctx, "设备注册代码"))
    ctx.data["pending_codes"].update(codes)
    return codes


def parse_certificates(value, ctx) -> tuple[User, ...]:
    users = []
    for cert in _split(value, ctx, "执法证号"):
        user = ctx.data["users_by_cert"].get(cert)
        if user is None:
            raise CellError(f"执法证号 {cert} 未登记：不是本系统中任何执法人员的执法证号")
        users.append(user)
    return tuple(users)


class _NothingOnFile:
    """Stands in for the model where the engine looks up the rows already on file by the key: a
    historical row has no key, so none is found (duplicates are checked in clean_row)."""

    _meta = Inspection._meta

    class objects:  # noqa: N801 - the manager's name on a model
        @staticmethod
        def in_bulk(id_list=None, *, field_name="pk"):
            return {}


class HistoryLedger(Ledger):
    name = "inspections"
    label = "历史监督检查"
    model = _NothingOnFile
    key = "date"
    home_url = "inspections:list"
    count_labels = (("created", "导入行数"),)
    # One batch: an inspection's rows may be anywhere in the file, and it is written whole.
    batch_size = 10**9
    columns = (
        Column("日期", "date", required=True, parse=parse_row_date, format=format_date),
        Column("检查类型", "kind", required=True, parse=parse_kind, format=format_kind),
        Column("统一社会信用代码", "uscc", required=True, parse=parse_uscc),
        Column("设备注册代码", "reg_codes", parse=parse_reg_codes),
        Column("检查人员执法证号", "inspectors", parse=parse_certificates),
        Column("检查结果", "result", required=True, parse=parse_result, format=format_result),
        Column("问题描述", "description"),
        Column("整改期限", "deadline", parse=parse_date, format=format_date),
        Column("整改完成日期", "closed_on", parse=parse_date, format=format_date),
    )

    def __init__(self, *, per_run: bool = False):
        super().__init__()
        self.per_run = per_run
        self.stats: dict = {}

    def notes(self, *, dry_run: bool = False) -> list[str]:
        """What the last run (of a per-run ledger) imported, in inspections and findings."""
        if not self.stats:
            return []
        s = self.stats
        verb = "将导入" if dry_run else "已导入"
        return [
            f"{verb}检查 {s['inspections']} 次（其中企业自查、社区巡查、第三方巡查 {s['external']} 次），"
            f"发现问题 {s['findings']} 条（其中已整改完成 {s['closed']} 条）"
        ]

    # ---- hooks -----------------------------------------------------------------------------

    def check_import(self, actor) -> None:
        if actor is not None and actor.role == Role.LEADERSHIP and not actor.is_superuser:
            raise PermissionDenied("局领导账号只读，不能导入检查记录")

    def import_instructions(self, actor) -> list[str]:
        return [
            "每行一个检查结论或一个问题：同一日期、检查类型、单位和检查人员的各行合为一次检查，问题描述各成一条隐患。",
            "检查类型含企业自查、社区巡查、第三方巡查等；检查人员填执法证号，多人以、分隔；日期不能晚于今天。",
            "有问题描述时可填整改期限和整改完成日期；已在系统中的同一次检查不会重复导入。",
        ]

    def will_write(self, result) -> str:
        return "确认后将按上方统计导入检查和发现的问题。"

    def prepare(self, ctx: Context) -> None:
        actor = ctx.actor
        scoped = actor is not None and actor.role == Role.STATION and not actor.is_superuser
        users = User.objects.filter(cert_no__isnull=False).exclude(cert_no="")
        ctx.data.update(
            seq=0,
            dates=set(),
            today=timezone.localdate(),
            users_by_cert={user.cert_no.strip().upper(): user for user in users},
            scope=(
                set(Subdistrict.objects.filter(station_id=actor.org_unit_id).values_list("pk", flat=True))
                if scoped
                else None
            ),
            pending_usccs=set(),
            pending_codes=set(),
            businesses={},  # uscc -> Business
            devices={},  # reg_code -> Equipment
            on_file={},  # (date, kind, business pk, inspector pks) -> number of an inspection on file
            groups={},  # the same key -> {"result", "descriptions"} of this file's rows so far
            stats={"inspections": 0, "external": 0, "findings": 0, "closed": 0},
        )
        if self.per_run:
            self.stats = ctx.data["stats"]

    def _load(self, ctx: Context, dates: set[dt.date]) -> None:
        """The file's look-ups, run by the first clean_row(): every row is parsed by then."""
        data = ctx.data
        usccs, data["pending_usccs"] = sorted(data["pending_usccs"]), set()
        for i in range(0, len(usccs), QUERY_CHUNK):
            for business in Business.objects.filter(uscc__in=usccs[i : i + QUERY_CHUNK]).select_related("subdistrict"):
                data["businesses"][business.uscc] = business
        codes, data["pending_codes"] = sorted(data["pending_codes"]), set()
        for i in range(0, len(codes), QUERY_CHUNK):
            for device in Equipment.objects.filter(reg_code__in=codes[i : i + QUERY_CHUNK]):
                data["devices"][device.reg_code] = device
        pks = sorted({b.pk for b in data["businesses"].values()})
        if not pks or not dates:
            return
        first, last = min(dates), max(dates)
        inspections: dict[int, tuple] = {}
        for i in range(0, len(pks), QUERY_CHUNK):
            found = Inspection.objects.filter(business_id__in=pks[i : i + QUERY_CHUNK], date__range=(first, last))
            for pk, number, date, kind, business_id in found.values_list("pk", "number", "date", "kind", "business_id"):
                inspections[pk] = (number, date, kind, business_id)
        team: dict[int, set[int]] = {}
        ids = sorted(inspections)
        for i in range(0, len(ids), QUERY_CHUNK):
            through = Inspection.inspectors.through.objects.filter(inspection_id__in=ids[i : i + QUERY_CHUNK])
            for inspection_id, user_id in through.values_list("inspection_id", "user_id"):
                team.setdefault(inspection_id, set()).add(user_id)
        for pk, (number, date, kind, business_id) in inspections.items():
            data["on_file"].setdefault((date, kind, business_id, frozenset(team.get(pk, ()))), number)

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        data = ctx.data
        if data["pending_usccs"] or data["pending_codes"]:
            self._load(ctx, data["dates"])
        row_key: RowKey = values["date"]
        day, kind, result = row_key.date, values["kind"], values["result"]
        description = values.get("description", "")
        deadline, closed_on = values.get("deadline"), values.get("closed_on")
        today = data["today"]
        problems: list[tuple[str, str]] = []

        if day > today:
            problems.append(("日期", f"检查日期 {day} 晚于今天，只能导入已经实施的检查"))

        business = data["businesses"].get(values["uscc"])
        if business is None:
            problems.append(("统一社会信用代码", f"统一社会信用代码未登记：{values['uscc']} 不在市场主体台账中，请先登记该市场主体"))
        elif data["scope"] is not None and business.subdistrict_id not in data["scope"]:
            problems.append(("统一社会信用代码", f"“{business.name}”在{business.subdistrict.name}，不在您的辖区范围内"))

        devices = []
        for code in values.get("reg_codes", ()):
            device = data["devices"].get(code)
            if device is None:
                problems.append(("设备注册代码", f"设备注册代码未登记：{code} 不在特种设备台账中"))
            elif business is not None and device.operator_id != business.pk:
                problems.append(("设备注册代码", f"设备 {code} 的使用单位不是“{business.name}”"))
            else:
                devices.append(device)

        inspectors = list(values.get("inspectors", ()))
        performed_by = ""
        if is_external(kind) and not inspectors:
            performed_by = EXTERNAL_PERFORMER.get(kind, business.name if business else "企业")
        try:
            check_inspectors(kind, day, inspectors, performed_by)
        except DomainError as exc:
            problems.append(("检查人员执法证号", exc.message))

        result_label = InspectionResult(result).label
        if description:
            if result in NO_PROBLEM_RESULTS:
                problems.append(("检查结果", f"填写了问题描述，检查结果不能为“{result_label}”"))
            if deadline is None:
                problems.append(("整改期限", "填写了问题描述，必须填写整改期限"))
            elif deadline < day:
                problems.append(("整改期限", f"整改期限 {deadline} 早于检查日期 {day}"))
            if closed_on is not None:
                if closed_on < day:
                    problems.append(("整改完成日期", f"整改完成日期 {closed_on} 早于检查日期 {day}"))
                elif closed_on > today:
                    problems.append(("整改完成日期", f"整改完成日期 {closed_on} 晚于今天"))
        else:
            if result in PROBLEM_RESULTS:
                problems.append(("问题描述", f"检查结果为“{result_label}”，必须填写问题描述（每个问题一行）"))
            if deadline is not None:
                problems.append(("整改期限", "未填写问题描述，不应填写整改期限"))
            if closed_on is not None:
                problems.append(("整改完成日期", "未填写问题描述，不应填写整改完成日期"))
        if problems:
            return problems

        group_key = (day, kind, business.pk, frozenset(u.pk for u in inspectors))
        number = data["on_file"].get(group_key)
        if number is not None:
            return [("", f"与已有检查 {number} 重复（日期、检查类型、单位、检查人员均相同）：该检查已导入或已录入，不能再次导入")]
        group = data["groups"].get(group_key)
        if group is not None:
            if group["result"] != result:
                first = InspectionResult(group["result"]).label
                return [("检查结果", f"本文件前面有同一次检查（日期、检查类型、单位、检查人员相同）的行，检查结果为“{first}”，与本行不一致")]
            if description in group["descriptions"]:
                what = f"问题描述“{description[:30]}”" if description else "未填问题描述"
                return [("", f"与本文件前面一行重复：同一次检查（日期、检查类型、单位、检查人员相同），{what}")]
        else:
            group = data["groups"][group_key] = {"result": result, "descriptions": set()}
            data["stats"]["inspections"] += 1
            data["stats"]["external"] += is_external(kind)
        group["descriptions"].add(description)
        if description:
            data["stats"]["findings"] += 1
            data["stats"]["closed"] += closed_on is not None
        values.update(business=business, devices=devices, inspectors=inspectors, performed_by=performed_by, group=group_key)
        return []

    def write(self, creates: list[dict], updates: list, ctx: Context) -> None:
        groups: dict[tuple, list[dict]] = {}
        for values in creates:
            groups.setdefault(values["group"], []).append(values)
        # In date order, so that the new inspection numbers follow the calendar as entered ones do.
        for rows in sorted(groups.values(), key=lambda rows: (rows[0]["date"].date, rows[0]["date"].seq)):
            self._write_inspection(rows, ctx)

    def _write_inspection(self, rows: list[dict], ctx: Context) -> None:
        first = rows[0]
        day = first["date"].date
        devices = list({d.pk: d for row in rows for d in row["devices"]}.values())
        inspection = inspection_create(
            actor=ctx.actor, kind=first["kind"], business=first["business"], date=day, inspectors=first["inspectors"],
            equipment=devices, performed_by=first["performed_by"], summary=SUMMARY, status=InspectionStatus.SCHEDULED,
            source=IMPORT_SOURCE,
        )
        with_findings = [row for row in rows if row.get("description")]
        inspection = inspection_complete(
            actor=ctx.actor, pk=inspection.pk, version=inspection.version, result=first["result"], summary=SUMMARY,
            findings=[
                NewFinding(
                    description=row["description"], deadline=row["deadline"],
                    equipment=row["devices"][0] if len(row["devices"]) == 1 else None,
                )
                for row in with_findings
            ],
        )
        findings = list(inspection.findings.order_by("pk"))
        for row, finding in zip(with_findings, findings, strict=True):
            if row.get("closed_on") is not None:
                finding_import_closed(actor=ctx.actor, pk=finding.pk, closed_on=row["closed_on"])
        for row in rows:
            row["date"].number = inspection.number


    def export_rows(self, ctx: Context):
        raise DomainError("import_only", "历史检查导入表只用于导入；导出请用“监督检查台账”（jianguan export inspections 文件）")


HISTORY_LEDGER = HistoryLedger()
