"""Pure rules of credit supervision: who must file an annual report for a year, how a business is
listed, when entries expire, and the class a risk score falls in. No database: the numbers (months,
points, cut-offs) come in as arguments, read by the callers from the versioned rules in force.

- Annual reports (企业信息公示暂行条例 art. 8): the report for year Y is filed from Jan 1 to the end of
  month `deadline_months` (6: June 30) of Y+1. A business is due for Y when it was established on or
  before Y-12-31 and had not ended (注销, 吊销, 迁出) on or before the earlier of the as-of date and the
  window's last day; it has filed when a filing for Y is dated on or before the as-of date. Only 市场主体 file:
  其他组织 (机关、事业单位、社会组织) are never due, nor listed.
- Listing: enterprises and cooperatives are listed (列入); individual businesses are never listed, only
  marked (标记为经营异常状态), and a mark for a missing report ends when the report is filed.
- Risk class: the points of all factors; at or above the D, C, B cut-off → that class, else A.
"""

import calendar
import datetime as dt

from django.db.models import Q

from jianguan.businesses.choices import EntityType, RegStatus
from jianguan.businesses.rules import market_entity_q
from jianguan.cases.publication_rules import add_months

from .choices import EntryKind

__all__ = ["add_months", "classify", "due_q", "ending_cutoff", "entry_kind_for", "filing_window_end", "is_due"]


def filing_window_end(year: int, deadline_months: int) -> dt.date:
    """The last day on which the report for `year` is on time: the end of month `deadline_months` of year+1."""
    y, m = year + 1 + (deadline_months - 1) // 12, (deadline_months - 1) % 12 + 1
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def ending_cutoff(year: int, as_of: dt.date, deadline_months: int) -> dt.date:
    """A business that ended on or before this day is not due for `year`."""
    return min(as_of, filing_window_end(year, deadline_months))


def is_due(*, established_on: dt.date, reg_status: str, status_date: dt.date | None, year: int, as_of: dt.date,
           deadline_months: int, entity_type: str = "") -> bool:
    if entity_type == EntityType.OTHER_ORG or established_on > dt.date(year, 12, 31):
        return False
    ended = reg_status != RegStatus.ACTIVE and status_date is not None
    return not (ended and status_date <= ending_cutoff(year, as_of, deadline_months))


def due_q(*, year: int, as_of: dt.date, deadline_months: int, prefix: str = "") -> Q:
    """`is_due` as a filter over businesses (`prefix` reaches the business from another model, e.g. "business__")."""
    cutoff = ending_cutoff(year, as_of, deadline_months)
    return Q(**{f"{prefix}established_on__lte": dt.date(year, 12, 31)}) & (
        Q(**{f"{prefix}reg_status": RegStatus.ACTIVE}) | Q(**{f"{prefix}status_date__gt": cutoff})
    ) & market_entity_q(prefix)


def entry_kind_for(entity_type: str) -> str:
    return EntryKind.MARK if entity_type == EntityType.INDIVIDUAL else EntryKind.LIST


def classify(points: int, *, cutoff_b: int, cutoff_c: int, cutoff_d: int) -> str:
    if points >= cutoff_d:
        return "D"
    if points >= cutoff_c:
        return "C"
    if points >= cutoff_b:
        return "B"
    return "A"
