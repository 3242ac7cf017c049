"""Pure checks of what a complaint may contain (no database)."""

import re
from decimal import Decimal, InvalidOperation

# Mobile numbers (1[3-9] + 9 digits) and landlines (area code 0xx/0xxx, 7–8 digits, optional extension).
MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
SPACES = re.compile(r"\s+")


def normalize_phone(raw: str) -> str:
    """The phone as stored (no spaces, no +86), or ValueError with the reason in Chinese."""
    phone = SPACES.sub("", raw or "").replace("－", "-")
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    phone = phone.lstrip("-")
    if not phone:
        return ""
    if MOBILE.match(phone) or LANDLINE.match(phone):
        return phone
    raise ValueError(f"“{raw}”不是有效的中国大陆电话号码（手机号 11 位，以 13–19 开头；固定电话如 0531-88881234）")


def normalize_text(text: str) -> str:
    """Whitespace collapsed: two submissions that differ only by spacing are the same text."""
    return SPACES.sub(" ", text or "").strip()


def parse_amount(value) -> Decimal | None:
    """An amount in 元 to the fen (“1,200元” is read too), or ValueError with the reason in Chinese."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").replace("元", "").strip())
    except InvalidOperation:
        raise ValueError(f"“{value}”不是金额") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError("须为不小于 0 的金额")
    if amount >= Decimal("1e12"):
        raise ValueError("金额过大")
    return amount.quantize(Decimal("0.01"))
