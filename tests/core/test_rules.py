import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from jianguan.core.errors import DomainError
from jianguan.core.models import Rule, RuleUnit
from jianguan.core.rules import parse_rule_value, rule_in_force, rule_value, rules_in_force

D = dt.date


@pytest.fixture
def rules(db):
    # Start from an empty table: the counts below are about these versions, not the seeded ones.
    Rule.objects.all().delete()
    Rule.objects.create(
        key="complaints.accept_working_days", label="投诉受理期限", value="7", unit=RuleUnit.WORKING_DAY,
        valid_from=D(2020, 1, 1), source_document="市场监督管理投诉举报处理暂行办法（总局令第20号）",
    )
    Rule.objects.create(
        key="complaints.accept_working_days", label="投诉受理期限", value="5", unit=RuleUnit.WORKING_DAY,
        valid_from=D(2026, 4, 15), source_document="市场监督管理投诉举报处理办法（总局令第121号）",
    )
    Rule.objects.create(
        key="spotchecks.ratio_low_risk", label="低风险抽查比例", value="0.03", unit=RuleUnit.RATIO,
        valid_from=D(2022, 1, 1), source_document="国市监信发〔2022〕6号",
    )
    Rule.objects.create(
        key="cases.hearing_amount_org", label="单位听证金额", value="100000.00", unit=RuleUnit.AMOUNT,
        valid_from=D(2021, 7, 15), source_document="行政处罚法",
    )


def test_version_in_force_by_date(rules):
    key = "complaints.accept_working_days"
    assert rule_value(key, on=D(2026, 4, 14)) == 7
    assert rule_value(key, on=D(2026, 4, 15)) == 5  # the day it takes effect
    assert rule_value(key, on=D(2030, 1, 1)) == 5
    assert rule_value(key, on=D(2020, 1, 1)) == 7
    assert isinstance(rule_value(key, on=D(2026, 5, 1)), int)
    assert "121号" in rule_in_force(key, D(2026, 5, 1)).source_document


def test_decimal_units(rules):
    ratio = rule_value("spotchecks.ratio_low_risk", on=D(2026, 1, 1))
    assert ratio == Decimal("0.03") and isinstance(ratio, Decimal)
    assert rule_value("cases.hearing_amount_org", on=D(2026, 1, 1)) == Decimal("100000")


def test_before_first_version_is_an_error(rules):
    with pytest.raises(DomainError) as exc:
        rule_value("complaints.accept_working_days", on=D(2019, 12, 31))
    assert exc.value.code == "rule_missing"
    assert "2019-12-31" in exc.value.message and "2020-01-01" in exc.value.message


def test_unknown_rule_is_an_error(db):
    with pytest.raises(DomainError) as exc:
        rule_value("no.such.rule", on=D(2026, 1, 1))
    assert exc.value.code == "rule_missing" and "no.such.rule" in exc.value.message
    assert "尚无任何版本" in exc.value.message


@pytest.mark.parametrize(
    "value, unit, expected",
    [("30", RuleUnit.CALENDAR_DAY, 30), (" 3 ", RuleUnit.MONTH, 3), ("2.0", RuleUnit.COUNT, 2),
     ("0.05", RuleUnit.RATIO, Decimal("0.05")), ("200", RuleUnit.AMOUNT, Decimal("200"))],
)
def test_parse(value, unit, expected):
    assert parse_rule_value(value, unit) == expected
    assert type(parse_rule_value(value, unit)) is type(expected)


@pytest.mark.parametrize("value, unit", [("七", RuleUnit.WORKING_DAY), ("1.5", RuleUnit.WORKING_DAY), ("NaN", RuleUnit.RATIO)])
def test_bad_stored_value_is_a_domain_error(value, unit):
    with pytest.raises(DomainError) as exc:
        parse_rule_value(value, unit, "x.y")
    assert exc.value.code == "rule_invalid" and "x.y" in exc.value.message


def test_rules_in_force(rules):
    by_key = {rule.key: rule.value for rule in rules_in_force(D(2026, 1, 1))}
    assert by_key["complaints.accept_working_days"] == "7"
    assert len(by_key) == 3
    assert rules_in_force(D(2000, 1, 1)) == []


def test_list_command(rules, capsys):
    call_command("rules", "list", "--on", "2026-05-01")
    out = capsys.readouterr().out
    assert "2026-05-01 生效的规则（共 3 条）" in out
    assert "complaints.accept_working_days\t5\t工作日\t2026-04-15\t市场监督管理投诉举报处理办法（总局令第121号）" in out
    assert "spotchecks.ratio_low_risk\t0.03\t比例" in out

    call_command("rules", "list", "--all")
    assert "全部规则版本（共 4 条）" in capsys.readouterr().out

    with pytest.raises(CommandError, match="日期"):
        call_command("rules", "list", "--on", "明天")
