"""The clocks of enforcement cases against an independent reckoning on the official calendar: the
lead's filing decision (15 working days, +15 once, paused days not counted) and the case's decision
(90 days from filing, + suspended days, + 30 when extended, moved off rest days), around the 2026
National Day holidays and the year end (2027 not yet published: 暂定); thresholds and the surcharge
from the versioned rules."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.cases.deadlines import decision_due, lead_decision_due, payment_surcharge
from jianguan.cases.rules import Suspension, hearing_available, simple_procedure_allowed, suspended_days
from jianguan.core.errors import DomainError
from jianguan.core.models import Rule
from jianguan.core.rules import rule_value

from ..complaints.official import add_working_days
from .official import add_calendar_days

pytestmark = pytest.mark.django_db
D = dt.date

FILED = [D(2026, 7, 3), D(2026, 7, 2), D(2026, 6, 28), D(2026, 8, 20), D(2026, 10, 5), D(2026, 12, 1)]


@pytest.mark.parametrize("filed", FILED)
def test_decision_deadline_is_90_days_moved_off_rest_days(filed):
    due = decision_due(filed)
    assert (due.date, due.provisional) == add_calendar_days(filed, 90)


def test_a_deadline_in_the_national_day_holidays_moves_to_the_first_working_day_after():
    due = decision_due(D(2026, 7, 3))  # + 90 days = 2026-10-01, National Day
    assert due.date > D(2026, 10, 1) and due.date.month == 10 and not due.provisional
    assert (due.date, due.provisional) == add_calendar_days(D(2026, 7, 3), 90)


def test_a_deadline_in_2027_is_provisional():
    due = decision_due(D(2026, 10, 5))  # + 90 days = 2027-01-03
    assert due.date.year == 2027 and due.provisional
    assert (due.date, due.provisional) == add_calendar_days(D(2026, 10, 5), 90)


def test_suspended_days_and_the_extension_lengthen_the_clock():
    filed = D(2026, 6, 1)
    testing = Suspension(D(2026, 7, 1), D(2026, 7, 21), "检测")  # the clock runs again on 07-21: 20 days
    hearing = Suspension(D(2026, 8, 3), D(2026, 8, 10), "听证")
    assert suspended_days([testing, hearing]) == 27
    assert (decision_due(filed, suspensions=[testing, hearing]).date, False) == add_calendar_days(filed, 117)
    assert (decision_due(filed, suspensions=[testing], extended=True).date, False) == add_calendar_days(filed, 140)


def test_overlapping_suspensions_count_each_day_once():
    a = Suspension(D(2026, 7, 1), D(2026, 7, 11))
    b = Suspension(D(2026, 7, 6), D(2026, 7, 16))
    inside = Suspension(D(2026, 7, 8), D(2026, 7, 9))
    assert suspended_days([a, b, inside]) == 15


def test_an_open_suspension_counts_to_the_as_of_date_or_is_refused():
    open_one = Suspension(D(2026, 7, 1))
    assert suspended_days([open_one], as_of=D(2026, 7, 31)) == 30
    with pytest.raises(DomainError, match="尚未结束"):
        decision_due(D(2026, 6, 1), suspensions=[open_one])
    with pytest.raises(DomainError, match="早于开始日"):
        suspended_days([Suspension(D(2026, 7, 10), D(2026, 7, 1))])


@pytest.mark.parametrize("received", [D(2026, 9, 30), D(2026, 10, 9), D(2026, 12, 28)])
def test_lead_decision_is_15_working_days_plus_15_once_plus_paused_days(received):
    assert tuple(vars(lead_decision_due(received)).values()) == add_working_days(received, 15)
    assert tuple(vars(lead_decision_due(received, extended=True)).values()) == add_working_days(received, 30)
    assert tuple(vars(lead_decision_due(received, paused_working_days=4)).values()) == add_working_days(received, 19)


def test_a_new_rule_version_applies_to_cases_filed_after_it():
    Rule.objects.create(key="cases.decision_days", label="处理期限", value="60", unit="calendar_day",
                        valid_from=D(2026, 9, 1), source_document="测试")
    assert decision_due(D(2026, 8, 31)).date == add_calendar_days(D(2026, 8, 31), 90)[0]
    assert decision_due(D(2026, 9, 1)).date == add_calendar_days(D(2026, 9, 1), 60)[0]


def test_hearing_and_simple_procedure_thresholds_come_from_the_rules():
    on = D(2026, 7, 1)
    person, organisation = rule_value("cases.hearing_fine_person", on), rule_value("cases.hearing_fine_organisation", on)
    assert (person, organisation) == (Decimal(10000), Decimal(100000))
    assert hearing_available(fine=Decimal(10000), organisation=False, person_threshold=person, organisation_threshold=organisation)
    assert not hearing_available(fine=Decimal(99999), organisation=True, person_threshold=person, organisation_threshold=organisation)
    limits = {"person_limit": rule_value("cases.simple_fine_person", on),
              "organisation_limit": rule_value("cases.simple_fine_organisation", on)}
    assert simple_procedure_allowed(fine=Decimal(0), organisation=False, **limits)  # a warning
    assert simple_procedure_allowed(fine=Decimal(200), organisation=False, **limits)
    assert not simple_procedure_allowed(fine=Decimal("200.01"), organisation=False, **limits)
    assert simple_procedure_allowed(fine=Decimal(3000), organisation=True, **limits)


def test_late_payment_surcharge_is_3_percent_a_day_capped_at_the_fine():
    served = D(2026, 3, 1)  # pay by 03-16
    assert payment_surcharge(fine=Decimal(1000), served_on=served, paid_on=D(2026, 3, 16)) == Decimal("0.00")
    assert payment_surcharge(fine=Decimal(1000), served_on=served, paid_on=D(2026, 3, 20)) == Decimal("120.00")
    assert payment_surcharge(fine=Decimal(1000), served_on=served, paid_on=D(2026, 6, 30)) == Decimal("1000.00")


def test_the_payment_period_ending_in_a_holiday_ends_on_the_next_working_day():
    served = D(2026, 9, 18)  # 15 days end on 10-03, in the National Day holiday
    due, provisional = add_calendar_days(served, 15)
    assert due > D(2026, 10, 3) and not provisional
    assert payment_surcharge(fine=Decimal(1000), served_on=served, paid_on=due) == Decimal("0.00")
    assert payment_surcharge(fine=Decimal(1000), served_on=served, paid_on=due + dt.timedelta(days=1)) == Decimal("30.00")
