"""The columns of the sample and quick-test ledgers: headers, and the per-cell parsers and formatters (no
queries: the reference data a parser needs is in ctx.data, loaded once per run by the ledger)."""

from __future__ import annotations

import datetime as dt
import re

from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.importing import CellError, choice, text

from ..choices import Conclusion, DisposalStatus, QuickTestResult, SamplingType

SAMPLE_HEADERS = (
    "抽样单编号", "抽样日期", "抽检类型", "被抽样单位名称", "被抽样单位统一社会信用代码", "所属街道", "业态", "食品大类",
    "样品名称", "规格型号", "生产日期或批号", "标称生产者名称", "检验机构", "报告日期", "检验结论", "不合格项目", "处置完成日期",
)
SAMPLE_EXPORT_EXTRA = ("送达期限", "处置期限", "期限性质", "处置状态")
SAMPLE_EXPORT_HEADERS = SAMPLE_HEADERS + SAMPLE_EXPORT_EXTRA
QUICKTEST_HEADERS = ("检测日期", "检测地点", "统一社会信用代码", "样品名称", "检测项目", "检测结果")
FINAL, PROVISIONAL = "正式", "暂定"
# 不合格项目 are listed with 、 (or ；, or one per line in the cell). Never a comma: a chemical's name has
# commas of its own (2,4-滴).
ITEM_SEPARATORS = re.compile(r"[、；;\n\r]+")
ITEM_MAX_LENGTH = 100  # UnqualifiedItem.name
CHUNK = 5000
DISPOSAL_LABELS = dict(DisposalStatus.choices)


def _reference(kind: str):
    """A parser of a reference table's name (业态, 食品大类, 所属街道) to its pk, from ctx.data[kind]."""

    def parse(value, ctx) -> int | None:
        raw = text(value, ctx)
        if not raw:
            return None
        table = ctx.data[kind]
        try:
            return table["ids"][raw]
        except KeyError:
            raise CellError(f"{table['noun']}“{raw}”不存在，可选：{table['choices']}") from None

    def fmt(value, ctx) -> str:
        return ctx.data[kind]["names"].get(value, "")

    return parse, fmt


parse_format, format_format = _reference("formats")
parse_category, format_category = _reference("categories")
parse_subdistrict, format_subdistrict = _reference("subdistricts")
parse_sampling_type, format_sampling_type = choice(SamplingType, noun="抽检类型", empty=SamplingType.SUPERVISION)
# An empty 检验结论 is a sample still at the institution (待检验).
parse_conclusion, format_conclusion = choice(Conclusion, noun="检验结论", empty=Conclusion.PENDING)
parse_result, format_result = choice(QuickTestResult, noun="检测结果")


def parse_number(value, ctx) -> str:
    raw = text(value, ctx)
    if raw:
        ctx.data["pending_numbers"].add(raw)
    return raw


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


def parse_batch(value, ctx) -> str:
    """生产日期或批号: free text; a real Excel date cell is written as the date (not 2026-05-01 00:00:00)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return text(value, ctx)


def parse_items(value, ctx) -> tuple[str, ...]:
    """不合格项目: names separated by 、, kept in the file's order."""
    names = tuple(part.strip() for part in ITEM_SEPARATORS.split(text(value, ctx)) if part.strip())
    seen = set()
    for name in names:
        if name in seen:
            raise CellError(f"不合格项目“{name}”重复填写")
        if len(name) > ITEM_MAX_LENGTH:
            raise CellError(f"不合格项目“{name[:20]}…”过长：每项最多 {ITEM_MAX_LENGTH} 个字")
        seen.add(name)
    return names


def format_items(value, ctx) -> str:
    return "、".join(value or ())
