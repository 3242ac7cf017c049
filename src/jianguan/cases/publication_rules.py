"""Pure rules of publishing penalty decisions (行政处罚信息公示, SAMR Order 45 and the credit-repair
measures 《市场监督管理信用修复管理办法》): which decisions are published, for how long, whether on
time, and when a publication may end early. No database: the numbers (months, limits) come in as
arguments, read by the caller from the versioned rules in force on the decision's date.

- Published: a decision of the general procedure (普通程序) with a penalty; a decision whose only
  penalty is a warning (仅受到警告) is not published (Order 45 art. 2), nor is 不予行政处罚, nor a
  simple-procedure (当场) decision.
- Shown 3 months when the penalties are only 警告、通报批评 and/or a fine not above the light-fine
  limit (较低数额罚款); 3 years otherwise. "Shown for N months from the publication day": the
  publication day itself is not counted, so the information is shown up to and including the same
  day N months later (the last day of a shorter month when that day does not exist).
- Early end (提前停止公示, credit repair) only for the long publications — the short ones end by
  themselves —, not before a minimum period after publication, with the decision's obligations
  performed and the other conditions attested by the approver.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Q

from .choices import LIGHT_PENALTIES, PenaltyKind, Procedure, PublicationStatus

# The conditions of credit repair the system cannot see by itself: the approver attests each one.
# (Performing the decision is checked on the case; a later penalty of the same category is looked up.)
ATTESTED_CONDITIONS = {
    "consequences_removed": "已经主动消除危害后果和不良影响",
    "not_listed": "未被列入经营异常名录或严重违法失信名单",
}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` months later (the month's last day when that day does not exist)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def publication_required(*, procedure: str, penalty_kinds: Iterable[str], exempt: bool) -> bool:
    """Whether a decision is published: the general procedure, a penalty, and not a warning alone."""
    kinds = set(penalty_kinds or ())
    if exempt or procedure != Procedure.GENERAL or not kinds:
        return False
    return kinds != {PenaltyKind.WARNING}


def is_light(*, penalty_kinds: Iterable[str], fine: Decimal, light_fine_limit: Decimal) -> bool:
    """Only 警告、通报批评 and/or a fine not above the limit (较低数额罚款): the 3-month publication."""
    kinds = set(penalty_kinds or ())
    if not kinds or not kinds <= LIGHT_PENALTIES:
        return False
    return PenaltyKind.FINE not in kinds or Decimal(fine or 0) <= light_fine_limit


def shown_months(*, penalty_kinds: Iterable[str], fine: Decimal, light_fine_limit: Decimal, light_months: int,
                 months: int) -> int:
    light = is_light(penalty_kinds=penalty_kinds, fine=fine, light_fine_limit=light_fine_limit)
    return light_months if light else months


def shown_until(published_on: dt.date, months: int) -> dt.date:
    """The last day the information is shown."""
    return add_months(published_on, months)


def on_time(published_on: dt.date | None, due: dt.date | None) -> bool | None:
    """Published within the period (None while not published or without a due date)."""
    if published_on is None or due is None:
        return None
    return published_on <= due


def early_end_from(published_on: dt.date, min_months: int) -> dt.date:
    """The first day an early end may take effect."""
    return add_months(published_on, min_months)


def missing_conditions(attested: Iterable[str]) -> list[str]:
    """The labels of the attested conditions not ticked, in their order."""
    given = set(attested or ())
    return [label for key, label in ATTESTED_CONDITIONS.items() if key not in given]


def is_shown(*, status: str, published_on: dt.date | None, until: dt.date | None, day: dt.date) -> bool:
    """Whether the public sees the decision on `day`: published, not withdrawn or ended, within its period."""
    return (status == PublicationStatus.SHOWN and published_on is not None and until is not None
            and published_on <= day <= until)


def shown_q(day: dt.date) -> Q:
    """The same test as a filter on cases (by date, so that a publication past its period is not shown
    before the daily job marks it expired)."""
    return Q(publication_status=PublicationStatus.SHOWN, published_on__lte=day, publish_until__gte=day)
