"""What the database itself refuses, on SQLite as on PostgreSQL: a second open abnormal-list entry for the
same business and reason (and report year)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from jianguan.credit.choices import AbnormalReason

from ..factories import BusinessFactory
from .factories import entry

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("reason, year", [(AbnormalReason.NO_ANNUAL_REPORT, 2025), (AbnormalReason.UNREACHABLE, None)])
def test_one_open_entry_per_business_reason_and_year(org, reason, year):
    shop = BusinessFactory(subdistrict=org.subs["dongguan"])
    entry(shop, reason=reason, report_year=year)
    with pytest.raises(IntegrityError), transaction.atomic():
        entry(shop, reason=reason, report_year=year)
    if year is not None:
        entry(shop, reason=reason, report_year=year - 1)  # another year's omission is another entry
    # a removed entry does not block a new one
    other = BusinessFactory(subdistrict=org.subs["dongguan"])
    entry(other, reason=reason, report_year=year, listed_on=dt.date(2026, 7, 10), removed_on=dt.date(2026, 8, 1))
    assert entry(other, reason=reason, report_year=year).pk
