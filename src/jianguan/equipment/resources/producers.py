"""The producer-licence ledger (特种设备生产单位): `jianguan import/export producers`, headers 统一社会信用代码, 名称,
许可项目, 许可证编号, 有效期至. The licences are rows of the licence register (licences.Licence) of kind
特种设备生产许可证: 许可项目 are kept as codes (item_codes, what other modules read, e.g. 充装) and as their
Chinese names joined with 、 (items, what the register shows). A number the register holds for another kind
is refused, and the export lists only this kind."""

from __future__ import annotations

from jianguan.core.importing import CellError, Column, Context, Ledger, format_date, parse_date, text
from jianguan.licences.choices import LicenceStatus
from jianguan.licences.models import Licence, LicenceKind, Sector

from ..choices import PRODUCER_LICENCE_KIND, PRODUCER_SECTOR, LicenceItem
from .common import (
    _prepare_common,
    _refuse_leadership,
    _resolve_pending_usccs,
    format_business,
    parse_business_uscc,
)

_ITEM_SEPARATORS = str.maketrans({c: " " for c in "、,，;；/　"})
_ITEMS_BY_TEXT = {label: value for value, label in LicenceItem.choices} | {v: v for v in LicenceItem.values}
_ITEM_ORDER = {value: i for i, value in enumerate(LicenceItem.values)}
_LABELS = dict(LicenceItem.choices)


def item_codes(items: str) -> list[str]:
    """The codes of a 许可项目 text such as “安装、改造” (names or codes; unknown parts are skipped)."""
    found = {_ITEMS_BY_TEXT[part] for part in (items or "").translate(_ITEM_SEPARATORS).split() if part in _ITEMS_BY_TEXT}
    return sorted(found, key=_ITEM_ORDER.__getitem__)


def items_text(codes) -> str:
    return "、".join(_LABELS.get(code, code) for code in codes or ())


def parse_items(value, ctx) -> str | None:
    """许可项目 like “改造，安装; 修理” -> “安装、改造、修理” (catalogue order, no repeats)."""
    raw = text(value, ctx)
    if not raw:
        return None
    unknown = [part for part in raw.translate(_ITEM_SEPARATORS).split() if part not in _ITEMS_BY_TEXT]
    if unknown:
        allowed = "、".join(LicenceItem.labels)
        raise CellError(f"许可项目“{'、'.join(unknown)}”不在可选值内（{allowed}），多项用“、”分隔")
    return items_text(item_codes(raw))


def format_items(value, ctx) -> str:
    if isinstance(value, list | tuple):
        return items_text(value)
    return value or ""


def parse_number(value, ctx) -> str | None:
    # Upper-cased as the licence register keeps its numbers, so one licence has one number across ledgers.
    return text(value, ctx).upper() or None


class ProducerLedger(Ledger):
    name = "producers"
    label = "特种设备生产单位"
    model = Licence
    key = "number"
    columns = (
        Column(
            "统一社会信用代码",
            "business_id",
            required=True,
            parse=parse_business_uscc,
            format=format_business,
        ),
        Column("名称", "business_name", max_length=200),
        Column("许可项目", "items", required=True, parse=parse_items, format=format_items),
        Column("许可证编号", "number", required=True, parse=parse_number),
        Column("有效期至", "valid_until", required=True, parse=parse_date, format=format_date),
    )

    def check_import(self, actor) -> None:
        _refuse_leadership(actor, "特种设备生产单位")

    def import_instructions(self, actor) -> list[str]:
        return [
            "按许可证编号新增或更新；单位按统一社会信用代码对应市场主体台账，许可项目可填多项（以、或；分隔）。",
            "许可证记入许可证台账（许可种类为特种设备生产许可证）；编号已登记为其他许可种类的不能导入。",
        ]

    def prepare(self, ctx: Context) -> None:
        _prepare_common(ctx)
        kinds = dict(LicenceKind.objects.values_list("pk", "name"))
        ctx.data.update(
            kind_names=kinds,
            kind_id=LicenceKind.objects.get(code=PRODUCER_LICENCE_KIND).pk,
            sector_id=Sector.objects.filter(code=PRODUCER_SECTOR).values_list("pk", flat=True).first(),
        )

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        data = ctx.data
        if data["pending_usccs"]:
            _resolve_pending_usccs(ctx)
        name = values.pop("business_name", None) or ""
        if existing is not None and existing.kind_id != data["kind_id"]:
            kind = data["kind_names"].get(existing.kind_id, "其他许可")
            return [("许可证编号", f"许可证编号 {values['number']} 已登记为{kind}，不是特种设备生产许可证")]
        uscc = values["business_id"]
        known = data["business_ids"].get(uscc)
        if known is None:
            who = f"生产单位“{name}”（{uscc}）" if name else f"生产单位 {uscc}"
            return [("统一社会信用代码", f"{who}不在市场主体台账中，请先导入该市场主体")]
        values["business_id"] = known[0]
        scope = data["scope"]
        if scope is not None:
            if known[1] not in scope:
                return [("统一社会信用代码", f"“{name or uscc}”登记在其他监管所辖区，您无权导入其许可")]
            if existing is not None and existing.business_id != known[0]:
                return [("许可证编号", "该许可证登记在其他生产单位名下，您无权改为本单位")]
        if existing is not None and existing.issued_on and values["valid_until"] < existing.issued_on:
            return [("有效期至", f"有效期至 {values['valid_until']} 早于该许可证的发证日期 {existing.issued_on}")]
        return []

    def new_instance(self, values: dict, ctx: Context) -> Licence:
        return Licence(**values, kind_id=ctx.data["kind_id"], sector_id=ctx.data["sector_id"],
                       item_codes=item_codes(values["items"]), status=LicenceStatus.VALID)

    def touch(self, instance: Licence, ctx: Context) -> list[str]:
        instance.item_codes = item_codes(instance.items)
        instance.version += 1
        instance.updated_at = ctx.data["now"]
        return ["item_codes", "version", "updated_at"]

    def export_queryset(self, ctx: Context):
        qs = Licence.objects.filter(kind__code=PRODUCER_LICENCE_KIND).order_by("number")
        if ctx.data.get("scope") is not None:
            qs = qs.filter(business__subdistrict_id__in=ctx.data["scope"])
        return qs

    def export_rows(self, ctx: Context):
        rows = self.export_queryset(ctx).values_list(
            "business__uscc", "business__name", "item_codes", "items", "number", "valid_until"
        )
        for uscc, name, codes, items, number, valid_until in rows.iterator(chunk_size=5000):
            yield [uscc, name, items_text(codes) or items, number, format_date(valid_until)]


PRODUCER_LEDGER = ProducerLedger()
