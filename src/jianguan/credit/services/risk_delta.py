"""What changed since the last run, so that a monthly run reads the million businesses' filings and classes only
where something could have changed.

Two things cost a run at a million businesses: finding the businesses without the report year's filing (an
anti-join of the register and the filings) and reading every business's class to see which the run must change.
Within one report year both change little from month to month, and only through writes the database records:

- a business stops missing its filing when a filing of the year is entered or changed (`updated_at`) or dated
  after the last run's day; it starts or stops being due when it is registered or edited (`updated_at`, the new
  ids), or overridden (a manual class re-scores it on another day);
- a business's class equals the last run's effective class unless someone changed the business since (a form,
  an import, an override: `updated_at`), the run's own writes being stamped with the time it began.

So after a run, the next run on a later day of the same report year starts from the stored scores' non-filers
and re-checks exactly those businesses (`since`); any other case — the first run, an earlier day, a new report
year, a run before these stamps existed — reads everything, as the first run does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils import timezone

from jianguan.businesses.models import Business

from ..models import AnnualReport, RiskOverride, RiskRun
from .risk_store import chunks, missed_year, raw


@dataclass(frozen=True)
class Since:
    """The last run a new run can start from."""

    run_on: dt.date
    started_at: dt.datetime
    last_business_id: int


def since_last(last: RiskRun | None, on: dt.date, report_year: int, report_year_of) -> Since | None:
    """The last run if a run on `on` for `report_year` can start from it (`report_year_of(day)`: the report year a
    run on that day scores), else None: read everything."""
    if last is None or last.started_at is None or last.run_on > on or report_year_of(last.run_on) != report_year:
        return None
    return Since(run_on=last.run_on, started_at=last.started_at, last_business_id=last.last_business_id)


def non_filers_query(report_year: int, on: dt.date, businesses):
    """The businesses among `businesses` due for `report_year` without a filing for it dated on or before `on`."""
    filed = AnnualReport.objects.filter(business=OuterRef("pk"), year=report_year, filed_on__lte=on)
    return businesses.filter(established_on__lte=dt.date(report_year, 12, 31)).filter(~Exists(filed))


def _ids(qs) -> set[int]:
    return {pk for (pk,) in raw(qs.order_by().values_list("pk" if qs.model is Business else "business_id"))}


def edited(since: Since) -> set[int]:
    """Businesses registered, edited or overridden since the last run began."""
    return (_ids(Business.objects.filter(updated_at__gt=since.started_at))
            | _ids(Business.objects.filter(pk__gt=since.last_business_id))
            | set(RiskOverride.objects.values_list("business_id", flat=True)))


def non_filers_since(since: Since, report_year: int, on: dt.date, old: dict[int, tuple[str, str]],
                     edited_ids: set[int]) -> set[int]:
    """The businesses established by `on` and missing `report_year`'s filing on `on` (ended ones included, as
    the full query gives them): the last run's, from the stored scores, with the businesses whose answer may
    have changed since (their filings, or `edited_ids`: edited(since)) asked again."""
    years: dict[str, int | None] = {}  # a few distinct signatures among a hundred thousand scores
    before = set()
    for b, (_, sig) in old.items():
        if sig not in years:
            years[sig] = missed_year(sig)
        if years[sig] == report_year:
            before.add(b)
    filings = AnnualReport.objects.filter(year=report_year)
    # Changed filings by their own index alone (any year: a handful), then the year.
    changed = raw(AnnualReport.objects.filter(updated_at__gt=since.started_at).order_by().values_list("business_id", "year"))
    recheck = {b for b, year in changed if year == report_year} | edited_ids
    if since.run_on < timezone.localtime(since.started_at).date():
        # The last run scored a day before the one it ran on: filings dated after that day may have been entered
        # before it ran. (Otherwise they cannot: a filing dated in the future is refused.) The year's part of
        # the covering index; an index on (year, filed_on) would lure the 年报率 into visiting the businesses at
        # random.
        recheck |= _ids(filings.filter(filed_on__gt=since.run_on, filed_on__lte=on))
    missing = set()
    for chunk in chunks(recheck):
        missing |= _ids(non_filers_query(report_year, on, Business.objects.filter(pk__in=chunk, established_on__lte=on)))
    return (before - recheck) | missing


def classes_to_check(since: Since, on: dt.date, computed_changed: set[int], edited_ids: set[int]) -> set[int]:
    """The businesses whose class may differ from what the run wants: those whose computed class changed, and
    those changed by someone since the last run (or set up since its day)."""
    later = _ids(Business.objects.filter(established_on__gt=since.run_on, established_on__lte=on))
    return computed_changed | edited_ids | later
