"""The producer-licence ledger (特种设备生产单位)."""

from __future__ import annotations

from jianguan.core.importing import CellError, Column, Context, Ledger, format_date, parse_date, text

from ..choices import LicenceItem
from ..models import ProducerLicence
from .common import (
    _prepare_common,
    _refuse_leadership,
    _resolve_pending_usccs,
    format_business,
    parse_business_uscc,
)

# ---- producers ------------------------------------------------------------------------------

_ITEM_SEPARATORS = str.maketrans({c: " " for c in "、,，;；/　"})
_ITEMS_BY_TEXT = {label: value for value, label in LicenceItem.choices} | {v: v for v in LicenceItem.values}
_ITEM_ORDER = {value: i for i, value in enumerate(LicenceItem.values)}


def parse_items(value, ctx) -> list[str] | None:
    """许可项目 like “安装、改造、修理” -> ["install", "modify", "repair"] (catalogue order, no repeats)."""
    raw = text(value, ctx)
    if not raw:
        return None
    items, unknown = set(), []
    for part in raw.translate(_ITEM_SEPARATORS).split():
        item = _ITEMS_BY_TEXT.get(part)
        if item is None:
            unknown.append(part)
        else:
            items.add(item)
    if unknown:
        allowed = "、".join(LicenceItem.labels)
        raise CellError(f"许可项目“{'、'.join(unknown)}”不在可选值内（{allowed}），多项用“、”分隔")
    return sorted(items, key=_ITEM_ORDER.__getitem__)


def format_items(value, ctx) -> str:
    labels = dict(LicenceItem.choices)
    return "、".join(labels.get(item, item) for item in value or ())


class ProducerLedger(Ledger):
    name = "producers"
    label = "特种设备生产单位"
    model = ProducerLicence
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
        Column("许可证编号", "number", required=True),
        Column("有效期至", "valid_until", required=True, parse=parse_date, format=format_date),
    )

    def check_import(self, actor) -> None:
        _refuse_leadership(actor, "特种设备生产单位")

    def import_instructions(self, actor) -> list[str]:
        return ["按许可证编号新增或更新；单位按统一社会信用代码对应市场主体台账，许可项目可填多项（以、或；分隔）。"]

    def prepare(self, ctx: Context) -> None:
        _prepare_common(ctx)

    def clean_row(self, values: dict, existing, ctx: Context) -> list[tuple[str, str]]:
        data = ctx.data
        if data["pending_usccs"]:
            _resolve_pending_usccs(ctx)
        name = values.pop("business_name", None) or ""
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
        return []

    def export_queryset(self, ctx: Context):
        qs = ProducerLicence.objects.order_by("number")
        if ctx.data.get("scope") is not None:
            qs = qs.filter(business__subdistrict_id__in=ctx.data["scope"])
        return qs

    def export_rows(self, ctx: Context):
        rows = self.export_queryset(ctx).values_list(
            "business__uscc", "business__name", "items", "number", "valid_until"
        )
        for uscc, name, items, number, valid_until in rows.iterator(chunk_size=5000):
            yield [uscc, name, format_items(items, ctx), number, format_date(valid_until)]


PRODUCER_LEDGER = ProducerLedger()

