"""The licence ledger (许可证台账): `jianguan import licences FILE`, the web import and the export, headers exactly
许可证编号, 许可种类, 统一社会信用代码, 主体名称, 主体业态, 经营项目, 发证日期, 有效期至, 状态.

Upsert by 许可证编号. The holder must be on the register (市场主体 or 其他组织) — a row naming an unknown code is
refused, as is a name that contradicts the register's; kinds and 业态 are read by name (or code) from their
reference tables. A licence imported as 注销 or 吊销 is dated the day of the import unless it already was
(the file has no date column). Nothing is looked up per row: the batch's codes are resolved in one query.
"""

from __future__ import annotations

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
    register,
    text,
)
from jianguan.org.choices import Role
from jianguan.org.selectors import subdistricts_in_scope

from .choices import ENDED_BY_DECISION, LicenceStatus
from .models import Licence, LicenceKind, Sector

HEADERS = ("许可证编号", "许可种类", "统一社会信用代码", "主体名称", "主体业态", "经营项目", "发证日期", "有效期至", "状态")
_STATUS = {label: value for value, label in LicenceStatus.choices} | {v: v for v in LicenceStatus.values}


def _by_name_or_code(table: dict, label: str):
    def parse(value, ctx):
        raw = text(value, ctx)
        if not raw:
            return None
        found = ctx.data[table].get(raw) or ctx.data[table].get(raw.lower())
        if found is None:
            names = "、".join(ctx.data[f"{table}_names"])
            raise CellError(f"{label}“{raw}”不在可选值内（{names}）")
        return found

    return parse


def _format_ref(model):
    def fmt(value, ctx):
        if value is None:
            return ""
        names = ctx.data.setdefault(f"names_{model.__name__}", dict(model.objects.values_list("pk", "name")))
        return names.get(value, "")

    return fmt


def parse_number(value, ctx) -> str | None:
    raw = text(value, ctx).upper()
    return raw or None


def parse_uscc(value, ctx) -> str | None:
    raw = text(value, ctx).upper()
    if not raw:
        return None
    try:
        code = normalize_uscc(raw)
    except UsccError as exc:
        raise CellError(f"“{raw}”：{exc}") from None
    ctx.data["pending"].add(code)
    return code


def format_uscc(value, ctx) -> str:
    if value is None:
        return ""
    return ctx.data.get("uscc_of", {}).get(value, value)


def parse_status(value, ctx) -> str | None:
    raw = text(value, ctx)
    if not raw:
        return None
    status = _STATUS.get(raw)
    if status is None:
        raise CellError(f"状态“{raw}”不在可选值内（{'、'.join(LicenceStatus.labels)}）")
    return status


def format_status(value, ctx) -> str:
    return LicenceStatus(value).label if value else ""


class LicenceLedger(Ledger):
    name = "licences"
    label = "许可证"
    model = Licence
    key = "number"
    home_url = "licences:list"
    home_label = "许可证台账"
    export_url = "licences:export"
    columns = (
        Column("许可证编号", "number", required=True, parse=parse_number),
        Column("许可种类", "kind_id", required=True, parse=_by_name_or_code("kinds", "许可种类"), format=_format_ref(LicenceKind)),
        Column("统一社会信用代码", "business_id", required=True, parse=parse_uscc, format=format_uscc),
        Column("主体名称", "holder_name", max_length=200),
        Column("主体业态", "sector_id", parse=_by_name_or_code("sectors", "主体业态"), format=_format_ref(Sector)),
        Column("经营项目", "items", max_length=500),
        Column("发证日期", "issued_on", required=True, parse=parse_date, format=format_date),
        Column("有效期至", "valid_until", parse=parse_date, format=format_date),
        Column("状态", "status", parse=parse_status, format=format_status),
    )

    def check_import(self, actor) -> None:
        if actor is not None and actor.role == Role.LEADERSHIP:
            raise PermissionDenied("局领导账号只读，不能导入许可证")

    def import_instructions(self, actor) -> list[str]:
        return [
            "按许可证编号新增或更新；持证主体按统一社会信用代码对应市场主体台账（含其他组织），须先登记。",
            "许可种类、主体业态填写名称（见许可证台账页的可选值）；状态可填有效、注销、吊销、过期，空为有效。",
            "状态为注销或吊销的，注销（吊销）日期记为导入当日（已注销、吊销的保留原日期）。",
        ]

    def prepare(self, ctx: Context) -> None:
        kinds = list(LicenceKind.objects.filter(disabled_on__isnull=True).values_list("pk", "code", "name"))
        sectors = list(Sector.objects.filter(disabled_on__isnull=True).values_list("pk", "code", "name"))
        ctx.data.update(
            kinds={**{c.lower(): pk for pk, c, _ in kinds}, **{n: pk for pk, _, n in kinds}},
            kinds_names=[n for _, _, n in kinds],
            sectors={**{c.lower(): pk for pk, c, _ in sectors}, **{n: pk for pk, _, n in sectors}},
            sectors_names=[n for _, _, n in sectors],
            pending=set(), businesses={},
            scope=None if ctx.actor is None or ctx.actor.role != Role.STATION
            else set(subdistricts_in_scope(actor=ctx.actor).values_list("pk", flat=True)),
            today=timezone.localdate(),
        )

    def _resolve(self, ctx: Context) -> None:
        pending = ctx.data["pending"] - ctx.data["businesses"].keys()
        for uscc, pk, name, sub in Business.objects.filter(uscc__in=pending).values_list("uscc", "pk", "name", "subdistrict_id"):
            ctx.data["businesses"][uscc] = (pk, name, sub)
        ctx.data["pending"] = set()

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        if ctx.data["pending"]:
            self._resolve(ctx)
        data = ctx.data
        name = (values.pop("holder_name", None) or "").strip()
        uscc = values["business_id"]
        known = data["businesses"].get(uscc)
        if known is None:
            who = f"“{name}”（{uscc}）" if name else uscc
            return [("统一社会信用代码", f"持证主体{who}不在市场主体台账中，请先登记或导入该主体")]
        if name and name != known[1]:
            return [("主体名称", f"“{name}”与市场主体台账中该代码的名称“{known[1]}”不一致")]
        values["business_id"] = known[0]
        if data["scope"] is not None:
            if known[2] not in data["scope"]:
                return [("统一社会信用代码", f"“{known[1]}”登记在其他监管所辖区，您无权导入其许可证")]
            if existing is not None and existing.business_id != known[0]:
                return [("许可证编号", "该许可证登记在其他主体名下，您无权改为本辖区主体")]
        issued, until = values.get("issued_on"), values.get("valid_until")
        if issued and until and until < issued:
            return [("有效期至", f"有效期至 {until} 早于发证日期 {issued}")]
        if issued and issued > data["today"]:
            return [("发证日期", f"发证日期 {issued} 晚于今天")]
        status = values.get("status") or LicenceStatus.VALID
        if status == LicenceStatus.EXPIRED and (until is None or until >= data["today"]):
            return [("状态", "状态为过期的，有效期至须早于今天（未届满的请填有效，或注销、吊销）")]
        values["status"] = status
        if status in ENDED_BY_DECISION:
            kept = existing is not None and existing.status == status and existing.status_date
            values["status_date"] = existing.status_date if kept else data["today"]
        else:
            values["status_date"] = None
        return []

    def display(self, attr: str, value, ctx: Context):
        if attr == "status_date":  # set by clean_row, not a column of the file
            return format_date(value)
        return super().display(attr, value, ctx)

    def touch(self, instance, ctx: Context) -> list[str]:
        instance.version += 1
        instance.updated_at = timezone.now()
        return ["version", "updated_at"]

    def export_queryset(self, ctx: Context):
        qs = Licence.objects.order_by("number")
        if ctx.actor is not None and ctx.actor.role == Role.STATION:
            qs = qs.filter(business__subdistrict__in=subdistricts_in_scope(actor=ctx.actor))
        return qs

    def export_rows(self, ctx: Context):
        kinds = dict(LicenceKind.objects.values_list("pk", "name"))
        sectors = dict(Sector.objects.values_list("pk", "name"))
        rows = self.export_queryset(ctx).values_list(
            "number", "kind_id", "business__uscc", "business__name", "sector_id", "items", "issued_on", "valid_until", "status")
        for number, kind, uscc, name, sector, items, issued, until, status in rows.iterator(chunk_size=5000):
            yield [number, kinds.get(kind, ""), uscc, name, sectors.get(sector, ""), items, format_date(issued), format_date(until),
                   LicenceStatus(status).label]


LICENCE_LEDGER = register(LicenceLedger())
