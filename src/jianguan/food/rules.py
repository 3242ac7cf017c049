"""The pure rules of food risk grading and of the plan: no database, the numbers come in as arguments (read by
the callers from the versioned rules `food.risk.*` and `food.plan.*` in force on the day).

- Grade: points at or above cutoff_d → D, cutoff_c → C, cutoff_b → B, else A (A is the lowest risk).
- Plan progress of a business in its year, from the inspections done (see conditions.py for what counts):
  done < min → 未达最低频次 (due once more); min ≤ done < max → 可再检查一次 (due once more: the grade allows
  more); done ≥ max → 已完成.
- Pro-rata schedule: by the end of month m (1–12) a business is expected to have floor(min × m / 12) of its
  minimum done (a D business, 3 a year: 1 by April, 2 by August, 3 by December; an A or B business its one
  inspection by December); it is behind when it has fewer.
- Full inspection: due again `months` months after the last full (全项) inspection, or — never fully
  inspected — after the day it first held a valid food licence (unknown: due at once).
"""

import datetime as dt
import math

from jianguan.cases.publication_rules import add_months

from .choices import Progress


def classify(points: int, *, cutoff_b: int, cutoff_c: int, cutoff_d: int) -> str:
    if points >= cutoff_d:
        return "D"
    if points >= cutoff_c:
        return "C"
    if points >= cutoff_b:
        return "B"
    return "A"


def progress(done: int, minimum: int, maximum: int) -> str:
    if done < minimum:
        return Progress.BEHIND
    if done < maximum:
        return Progress.MORE
    return Progress.DONE


def due_once_more(done: int, minimum: int, maximum: int) -> bool:
    """Whether the plan still calls for an inspection of the business this year."""
    return progress(done, minimum, maximum) != Progress.DONE


def expected_by_month(minimum: int, month: int) -> int:
    """How many of the year's minimum inspections the pro-rata schedule expects by the end of `month`."""
    if month <= 0:
        return 0
    return math.floor(minimum * min(month, 12) / 12)


def month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def full_inspection_due(last_full: dt.date | None, licensed_since: dt.date | None, months: int) -> dt.date | None:
    """The day by which the next full inspection is due (None: due at once, nothing to count from)."""
    start = last_full or licensed_since
    return None if start is None else add_months(start, months)


def full_inspection_lapsed_by(last_full: dt.date | None, licensed_since: dt.date | None, months: int, day: dt.date) -> bool:
    """Whether the full-inspection cycle has run out on or before `day`."""
    due = full_inspection_due(last_full, licensed_since, months)
    return due is None or due <= day
