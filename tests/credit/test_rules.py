"""The pure rules of credit supervision (credit/rules.py): the filing window, who is due, how a business is
entered, the risk class."""

import datetime as dt

import pytest

from jianguan.credit.rules import (
    add_months,
    classify,
    due_q,
    ending_cutoff,
    entry_kind_for,
    filing_window_end,
    is_due,
)

D = dt.date
SEPT = dt.date(2026, 9, 1)


@pytest.mark.parametrize(("months", "end"), [(6, D(2026, 6, 30)), (5, D(2026, 5, 31)), (2, D(2026, 2, 28)), (12, D(2026, 12, 31)),
                                             (14, D(2027, 2, 28))])
def test_filing_window_end_is_the_last_day_of_the_month_of_the_next_year(months, end):
    assert filing_window_end(2025, months) == end


def test_ending_cutoff_is_the_earlier_of_the_as_of_date_and_the_window_end():
    assert ending_cutoff(2025, D(2026, 3, 1), 6) == D(2026, 3, 1)
    assert ending_cutoff(2025, D(2026, 9, 1), 6) == D(2026, 6, 30)


def _due(established, status="active", ended=None, as_of=SEPT):
    return is_due(established_on=established, reg_status=status, status_date=ended, year=2025, as_of=as_of, deadline_months=6)


def test_due_by_establishment():
    assert _due(D(2025, 12, 31))
    assert not _due(D(2026, 1, 1))


@pytest.mark.parametrize("status", ["deregistered", "revoked", "moved_out"])
def test_an_ended_business_is_due_only_when_it_ended_after_the_cutoff(status):
    assert not _due(D(2020, 1, 1), status, D(2026, 6, 30))  # on the window's last day
    assert _due(D(2020, 1, 1), status, D(2026, 7, 1))  # after the window
    assert not _due(D(2020, 1, 1), status, D(2026, 3, 1), as_of=D(2026, 3, 1))  # on the as-of date
    assert _due(D(2020, 1, 1), status, D(2026, 3, 2), as_of=D(2026, 3, 1))  # after the as-of date


def test_due_q_agrees_with_is_due(db):
    from jianguan.businesses.models import Business

    from ..factories import BusinessFactory

    cases = [(D(2025, 12, 31), "active", None), (D(2026, 1, 1), "active", None), (D(2020, 1, 1), "revoked", D(2026, 6, 30)),
             (D(2020, 1, 1), "revoked", D(2026, 7, 1)), (D(2020, 1, 1), "deregistered", D(2025, 5, 1))]
    made = [BusinessFactory(established_on=e, reg_status=s, status_date=d) for e, s, d in cases]
    for as_of in (D(2026, 2, 1), D(2026, 6, 30), D(2026, 9, 1)):
        found = set(Business.objects.filter(due_q(year=2025, as_of=as_of, deadline_months=6)).values_list("pk", flat=True))
        expected = {b.pk for b in made if is_due(established_on=b.established_on, reg_status=b.reg_status,
                                                  status_date=b.status_date, year=2025, as_of=as_of, deadline_months=6)}
        assert found == expected


def test_individual_businesses_are_marked_never_listed():
    assert entry_kind_for("individual") == "mark"
    assert entry_kind_for("enterprise") == entry_kind_for("cooperative") == "list"


def test_classify_by_cutoffs():
    cut = {"cutoff_b": 10, "cutoff_c": 30, "cutoff_d": 60}
    assert [classify(p, **cut) for p in (0, 9, 10, 29, 30, 59, 60, 200)] == ["A", "A", "B", "B", "C", "C", "D", "D"]


def test_add_months_clamps_to_the_month_end():
    assert add_months(D(2023, 8, 31), 36) == D(2026, 8, 31)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
