"""Pure rules of the business registry."""

import re

from stdnum.cn import uscc as stdnum_uscc

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
