"""The columns of the case ledger: headers, and the per-cell parsers and formatters (no queries: the
reference data a parser needs is in ctx.data, loaded once per run by the ledger)."""

from __future__ import annotations

import re
import string
from decimal import Decimal, InvalidOperation

from jianguan.businesses.rules import UsccError, normalize_uscc
from jianguan.core.importing import CellError, choice, text

from ..choices import CaseStatus, LeadSource, NoPenaltyReason, PenaltyKind, Procedure

IMPORT_HEADERS = (
    "案件编号", "立案日期", "案件类别", "案由", "当事人名称", "当事人统一社会信用代码", "程序类型", "案件来源",
    "承办人员执法证号", "中止天数", "处罚决定书文号", "决定日期", "处罚种类", "罚款金额", "没收违法所得金额",
    "没收物品货值", "不予处罚理由", "结案日期",
)
EXPORT_EXTRA = ("状态", "办案期限", "期限性质", "所属街道", "承办监管所", "公示日期", "公示截止日期")
EXPORT_HEADERS = IMPORT_HEADERS + EXPORT_EXTRA
FINAL, PROVISIONAL = "正式", "暂定"
SEPARATORS = re.compile(r"[、,，;；\s]+")
AMOUNT_ATTRS = {"fine_amount": "罚款金额", "confiscated_income": "没收违法所得金额", "confiscated_value": "没收物品货值"}
MAX_AMOUNT = Decimal("99999999999999.99")  # the model's 16 digits, 2 after the point
MAX_SUSPENDED_DAYS = 3650
SIMPLE_KINDS = (PenaltyKind.WARNING, PenaltyKind.FINE)
APP = "cases"
CHUNK = 5000
# The versioned rules a row is checked against: the decision clock's, and the officers' and 简易程序's.
CLOCK_RULES = ("cases.decision_days", "cases.decision_extension_days")
RULE_KEYS = (*CLOCK_RULES, "cases.min_officers", "cases.simple_fine_person", "cases.simple_fine_organisation")
# The number series an imported case or decision may have taken from the system's own numbering.
NUMBERED = {"number": ("case",), "decision_number": ("penalty_decision", "no_penalty_decision")}
# What a row of a new case holds when its file leaves a column out (the model's defaults).
NEW_DEFAULTS = {
    "respondent_uscc": "", "procedure": Procedure.GENERAL, "source": LeadSource.OTHER, "officer_cert_nos": "",
    "suspended_days": 0, "decision_number": "", "decided_on": None, "penalty_kinds": [], "fine_amount": Decimal(0),
    "confiscated_income": Decimal(0), "confiscated_value": Decimal(0), "exempt_reason": "", "closed_on": None,
}


# ---- parsers (no queries: reference data is in ctx.data) --------------------------------------------


def parse_category(value, ctx) -> int | None:
    raw = text(value, ctx)
    if not raw:
        return None
    try:
        return ctx.data["category_ids"][raw]
    except KeyError:
        raise CellError(f"案件类别“{raw}”不存在，可选：{ctx.data['category_names_text']}") from None


def format_category(value, ctx) -> str:
    return ctx.data["category_names"].get(value, "")


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


def parse_certificates(value, ctx) -> str:
    """执法证号 separated by 、 , ; or spaces, kept as 、-separated upper-case text."""
    parts = [part.upper() for part in SEPARATORS.split(text(value, ctx)) if part]
    if len(set(parts)) != len(parts):
        twice = next(part for part in parts if parts.count(part) > 1)
        raise CellError(f"执法证号 {twice} 重复填写")
    return "、".join(parts)


def parse_decision_number(value, ctx) -> str:
    raw = text(value, ctx)
    if raw:
        ctx.data["pending_decisions"].add(raw)
    return raw


def parse_days(value, ctx) -> int | None:
    raw = text(value, ctx)
    if not raw:
        return None
    try:
        days = Decimal(raw)
    except InvalidOperation:
        raise CellError(f"中止天数“{raw}”不是整数") from None
    if days != days.to_integral_value():
        raise CellError(f"中止天数“{raw}”不是整数")
    if days < 0:
        raise CellError(f"中止天数不能为负数（实为 {raw}）")
    if days > MAX_SUSPENDED_DAYS:
        raise CellError(f"中止天数 {raw} 超过 {MAX_SUSPENDED_DAYS} 天，请核对")
    return int(days)


def format_days(value, ctx) -> str:
    return str(value or 0)


def parse_amount(value, ctx) -> Decimal | None:
    """An amount in 元: 1234.5, 1,234.50 or 1234.50元; at most two decimals, never negative."""
    raw = text(value, ctx)
    cleaned = raw.replace(",", "").replace("，", "").removesuffix("元").strip()
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise CellError(f"金额“{raw}”不是数字（单位为元，如 2000 或 1234.50）") from None
    if not amount.is_finite():
        raise CellError(f"金额“{raw}”不是数字（单位为元，如 2000 或 1234.50）")
    if amount < 0:
        raise CellError(f"金额不能为负数（实为 {raw}）")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError(f"金额“{raw}”最多保留两位小数（单位为元）")
    if amount > MAX_AMOUNT:
        raise CellError(f"金额“{raw}”超出范围")
    return amount.quantize(Decimal("0.01"))


def format_amount(value, ctx) -> str:
    return f"{value:.2f}" if value else ""


_KIND_BY_TEXT = {label: value for value, label in PenaltyKind.choices} | {value: value for value in PenaltyKind.values}
_KIND_ORDER = {value: i for i, value in enumerate(PenaltyKind.values)}
_KIND_LABELS = dict(PenaltyKind.choices)


def parse_kinds(value, ctx) -> list[str]:
    """处罚种类: several labels separated by 、, kept in the order of the law's list."""
    kinds = []
    for part in SEPARATORS.split(text(value, ctx)):
        if not part:
            continue
        kind = _KIND_BY_TEXT.get(part)
        if kind is None:
            raise CellError(f"处罚种类“{part}”不在可选值内（{'、'.join(PenaltyKind.labels)}），多个以、分隔")
        if kind in kinds:
            raise CellError(f"处罚种类“{part}”重复填写")
        kinds.append(kind)
    return sorted(kinds, key=_KIND_ORDER.__getitem__)


def format_kinds(value, ctx) -> str:
    return "、".join(_KIND_LABELS.get(kind, kind) for kind in value or ())


parse_procedure, format_procedure = choice(Procedure, noun="程序类型", empty=Procedure.GENERAL)
parse_source, format_source = choice(LeadSource, noun="案件来源", empty=LeadSource.OTHER)
parse_reason, format_reason = choice(NoPenaltyReason, noun="不予处罚理由", empty="")
STATUS_LABELS = dict(CaseStatus.choices)


def number_pattern(pattern: str) -> re.Pattern:
    """A document number format (`市监立〔{year}〕{n}号`) as a regex capturing year and n."""
    parts = []
    for literal, field, _, _ in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if field == "year":
            parts.append(r"(?P<year>\d{4})")
        elif field == "n":
            parts.append(r"0*(?P<n>\d+)")
    return re.compile("^" + "".join(parts) + "$")

