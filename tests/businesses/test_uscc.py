import pytest

from jianguan.businesses.rules import UsccError, normalize_uscc, with_check_digit


def test_valid_code_is_upper_cased():
    assert normalize_uscc(" 91110000600037341l ") == "91110000600037341L"


def test_letter_in_positions_one_and_two_is_admitted():
    # Authority Y (other) with entity type 1: stdnum's validate() wrongly refuses these.
    code = with_check_digit("Y1370102MA3C4B5D6")
    assert normalize_uscc(code) == code


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("91110000600037341X", "校验位错误（应为 L）"),
        ("9111000060003734", "应为18位，实为16位"),
        ("91110000600O37341L", "不允许的字符"),
        ("9111AB0060003734 1L", "不允许的字符"),
        ("", "不能为空"),
    ],
)
def test_bad_codes_name_the_reason(raw, reason):
    with pytest.raises(UsccError, match=reason):
        normalize_uscc(raw)
