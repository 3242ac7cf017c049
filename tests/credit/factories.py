"""Credit records for the credit tests, in any state in one line (the services are tested on their own).

- `AnnualReportFactory`: a filing of a business for a year.
- `entry(...)`: an abnormal-list entry proposed, listed (with listed_on) or removed, written directly.
"""

import datetime as dt

import factory

from jianguan.credit.choices import AbnormalReason, EntryStatus, RemovalReason
from jianguan.credit.models import AbnormalEntry, AnnualReport
from jianguan.credit.rules import entry_kind_for

from ..factories import BusinessFactory


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReport

    business = factory.SubFactory(BusinessFactory)
    year = 2025
    filed_on = dt.date(2026, 3, 15)


def entry(business, *, reason=AbnormalReason.NO_ANNUAL_REPORT, report_year: int | None = 2025, proposed_on=dt.date(2026, 7, 1),
          listed_on: dt.date | None = None, removed_on: dt.date | None = None, removal_reason=RemovalReason.CURED) -> AbnormalEntry:
    status = EntryStatus.REMOVED if removed_on else EntryStatus.LISTED if listed_on else EntryStatus.PROPOSED
    return AbnormalEntry.objects.create(
        business=business, kind=entry_kind_for(business.entity_type), reason=reason,
        report_year=report_year if reason == AbnormalReason.NO_ANNUAL_REPORT else None, status=status, proposed_on=proposed_on,
        listed_on=listed_on, removed_on=removed_on, removal_reason=removal_reason if removed_on else "",
    )
