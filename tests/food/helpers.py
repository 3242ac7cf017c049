"""Records for the food tests, written directly in any state (the services of the lower apps are tested there)."""

import datetime as dt
import itertools

from jianguan.inspections.choices import InspectionKind, InspectionResult, InspectionStatus, ItemOutcome
from jianguan.inspections.models import Checklist, ChecklistItem, Inspection, ItemResult
from jianguan.licences.models import Licence, LicenceKind, Sector

from ..factories import BusinessFactory

_n = itertools.count(1)


def food_business(subdistrict, *, kind="food_business", sector="catering_small", issued_on=dt.date(2020, 3, 1), **fields):
    business = BusinessFactory(subdistrict=subdistrict, **fields)
    licence(business, kind=kind, sector=sector, issued_on=issued_on)
    return business


def licence(business, *, kind="food_business", sector="catering_small", issued_on=dt.date(2020, 3, 1),
            valid_until=dt.date(2030, 2, 28), **fields) -> Licence:
    return Licence.objects.create(
        number=f"JY{next(_n):012d}", kind=LicenceKind.objects.get(code=kind), business=business,
        sector=Sector.objects.get(code=sector) if sector else None, issued_on=issued_on, valid_until=valid_until, **fields)


def checklist() -> Checklist:
    found, created = Checklist.objects.get_or_create(code="food_test", version=1, defaults={"name": "测试食品检查表"})
    if created:
        for i in range(1, 4):
            ChecklistItem.objects.create(checklist=found, order=i, point=f"检查要点{i}")
    return found


def inspect(business, day: dt.date, *, kind=InspectionKind.ROUTINE, full=False, answered: int | None = None,
            status=InspectionStatus.COMPLETED, result=InspectionResult.NO_PROBLEM) -> Inspection:
    """An inspection of the business; `full`: with the test checklist answered in full (or `answered` items)."""
    inspection = Inspection.objects.create(
        number=f"JC{next(_n):08d}", kind=kind, business=business, subdistrict=business.subdistrict, date=day, status=status,
        result=result, inspector_count=2, checklist=checklist() if (full or answered) else None)
    if full or answered:
        items = list(inspection.checklist.items.order_by("order"))
        for item in items[: (len(items) if answered is None else answered)]:
            ItemResult.objects.create(inspection=inspection, item=item, outcome=ItemOutcome.CONFORM)
    return inspection
