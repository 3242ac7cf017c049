"""Which records the grading, the plan and the figures count — one definition each, shared by the services,
the selectors, the panels and the indicators so that a page and a figure never disagree.

- 食品生产经营者 (a food business) on a day: a subject holding a food licence (LicenceKind.domain 食品) valid on
  that day (licences.rules.valid_q), not ended (注销、吊销、迁出) on or before it.
- 计划内检查 (an inspection that counts for the plan): done (已完成、已归档), by the bureau itself, of kind
  日常检查、专项检查、双随机抽查、飞行检查 or 体系检查, and not 查无下落 (nobody was inspected). 投诉举报核查 and
  回头看 (re-checks) answer a complaint or a finding, not the plan; the business's, the grid's and third parties'
  checks are not the bureau's supervision.
- 全项检查 (a full inspection): a plan inspection made with a checklist, every item of which has an answer
  (符合、不符合、不适用 or 合理缺项). The inspections app has no "full" flag; a checklist answered in full is
  the record that every point was inspected.
"""

import datetime as dt

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from jianguan.inspections.choices import DONE_STATUSES, InspectionKind, InspectionResult
from jianguan.inspections.models import ChecklistItem, Inspection, ItemResult
from jianguan.licences.models import Licence
from jianguan.licences.rules import valid_q

FOOD = "food"
PLAN_KINDS = (InspectionKind.ROUTINE, InspectionKind.SPECIAL, InspectionKind.RANDOM, InspectionKind.FLYING,
              InspectionKind.SYSTEM)


def food_licences(on: dt.date):
    return Licence.objects.filter(valid_q(on), kind__domain=FOOD)


def food_business_q(on: dt.date, prefix: str = "") -> Q:
    """On Business (or through `prefix` to it): a food business on the day."""
    p = prefix
    held = Exists(food_licences(on).filter(business=OuterRef(f"{p}pk" if p else "pk")))
    return Q(held) & (Q(**{f"{p}reg_status": "active"}) | Q(**{f"{p}status_date__gt": on}))


def plan_inspection_q(prefix: str = "") -> Q:
    p = prefix
    return (Q(**{f"{p}status__in": DONE_STATUSES, f"{p}kind__in": PLAN_KINDS})
            & ~Q(**{f"{p}result": InspectionResult.NOT_FOUND}))


def _count(qs, field: str):
    return Coalesce(Subquery(qs.values(field).annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), 0)


def full_inspection_q() -> Q:
    """On Inspection: a full (全项) inspection — see the module's note."""
    items = _count(ChecklistItem.objects.filter(checklist=OuterRef("checklist")).order_by(), "checklist")
    answered = _count(ItemResult.objects.filter(inspection=OuterRef("pk")).order_by(), "inspection")
    return plan_inspection_q() & Q(checklist__isnull=False) & Q(Exact(answered, items))


def plan_inspections(start: dt.date, end: dt.date):
    """Plan inspections dated from `start` to `end`."""
    return Inspection.objects.filter(plan_inspection_q(), date__gte=start, date__lte=end)


def full_inspections(start: dt.date | None, end: dt.date):
    """Full inspections dated after `start` (None: any time) and on or before `end`."""
    qs = Inspection.objects.filter(full_inspection_q(), date__lte=end)
    return qs if start is None else qs.filter(date__gt=start)


def year_start(on: dt.date) -> dt.date:
    return dt.date(on.year, 1, 1)
