"""Pure rules of the business registry."""

import re

from django.db.models import Q
from stdnum.cn import uscc as stdnum_uscc

from .choices import EntityType

# GB 32100-2015: position 1 authority and 2 entity type may be a letter from the code alphabet
# (stdnum's own validate() rejects those), 3-8 division digits, 9-17 subject id, 18 check char.
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_FORMAT = re.compile(rf"^[{_ALPHABET}]{{2}}\d{{6}}[{_ALPHABET}]{{10}}$")


class UsccError(ValueError):
    pass


def normalize_uscc(raw: str) -> str:
    """The code upper-cased and validated; raises UsccError with a Chinese reason."""
    code = (raw or "").strip().replace(" ", "").upper()
    if not code:
        raise UsccError("统一社会信用代码不能为空")
    if len(code) != 18:
        raise UsccError(f"统一社会信用代码应为18位，实为{len(code)}位")
    if not _FORMAT.match(code):
        raise UsccError("统一社会信用代码含有不允许的字符或格式不符（不使用 I、O、S、V、Z，第3-8位为数字）")
    expected = stdnum_uscc.calc_check_digit(code[:17])
    if code[17] != expected:
        raise UsccError(f"统一社会信用代码校验位错误（应为 {expected}）")
    return code


def with_check_digit(first17: str) -> str:
    return first17 + stdnum_uscc.calc_check_digit(first17)


# ---- 主体类型 from the code ---------------------------------------------------------------------
# GB 32100-2015 position 1 is the registration authority: 9 = market regulation (市场主体, position 2:
# 1 企业, 2 个体工商户, 3 农民专业合作社); any other (1 机构编制, 5 民政, Y 其他 …) registers 机关、事业单位、
# 社会组织 and the like, which the register types 其他组织.
MARKET_AUTHORITY = "9"
_MARKET_TYPE_BY_POSITION_2 = {"1": EntityType.ENTERPRISE, "2": EntityType.INDIVIDUAL, "3": EntityType.COOPERATIVE}


def is_market_uscc(code: str) -> bool:
    return code[:1] == MARKET_AUTHORITY


def entity_type_for_uscc(code: str) -> str:
    """The 主体类型 a valid code implies: 其他组织 unless issued by market regulation; for those, position 2
    (企业 when it is none of 1, 2, 3)."""
    if not is_market_uscc(code):
        return EntityType.OTHER_ORG
    return _MARKET_TYPE_BY_POSITION_2.get(code[1:2], EntityType.ENTERPRISE)


def entity_type_problem(code: str, entity_type: str) -> str | None:
    """Why a code and a 主体类型 contradict each other (only the authority is checked: 市场主体 or not), else None."""
    if not code or not entity_type:
        return None
    if entity_type == EntityType.OTHER_ORG and is_market_uscc(code):
        return f"统一社会信用代码第1位为9（市场监管部门登记），主体类型不能为{EntityType.OTHER_ORG.label}"
    if entity_type != EntityType.OTHER_ORG and not is_market_uscc(code):
        return (f"统一社会信用代码第1位为{code[0]}（非市场监管部门登记，如机关、事业单位、社会组织），"
                f"主体类型应为{EntityType.OTHER_ORG.label}")
    return None


def market_entity_q(prefix: str = "") -> Q:
    """市场主体 only: every 主体类型 but 其他组织 (`prefix` reaches the business from another model)."""
    return ~Q(**{f"{prefix}entity_type": EntityType.OTHER_ORG})
