"""The yearly inspection plan (年度监督检查计划): from the grades of the year in force on the day it is built, each
food business with the inspections it is due — at least `food.plan.min.<grade>`, at most `food.plan.max.<grade>`
(the rules in force on the year's first day) — under the station of its subdistrict. A later build of the same
year supersedes the plan from its own date."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jianguan.core.errors import DomainError
from jianguan.core.services import acting, save_valid
from jianguan.org.models import User

from ..choices import GRADES
from ..models import PlanItem, PlanRun
from .common import check_planner, check_year, frequency
from .grading import current_grade_run


@dataclass
class PlanResult:
    year: int
    on: dt.date
    items: int
    min_total: int
    max_total: int
    by_grade: dict  # grade: (businesses, min, max)
    by_station: list  # (station, businesses, min, max), by station name
    dry_run: bool = False
    run: PlanRun | None = None


def plan_build(*, actor: User | None = None, year: int, on: dt.date, dry_run: bool = False,
               today: dt.date | None = None) -> PlanResult:
    check_planner(actor)
    today = today or timezone.localdate()
    check_year(year, on)
    if on > today:
        raise DomainError("future_date", f"编制日期不能晚于今天（{today}）", {"field": "on"})
    with transaction.atomic():
        grade_run = current_grade_run(year, on)
        if grade_run is None:
            raise DomainError("no_grades", f"{year}年度截至{on}尚未评定风险等级，请先运行 jianguan food grade --year {year}",
                              {"field": "year"})
        latest = PlanRun.objects.select_for_update().filter(year=year, superseded_on__isnull=True).order_by("-built_on", "-pk").first()
        if latest is not None and on < latest.built_on:
            raise DomainError("before_last_plan", f"{year}年度计划已于{latest.built_on}编制，新的编制日期不能早于该日", {"field": "on"})
        freq = {g: frequency(g, year) for g in GRADES}
        grades = list(grade_run.grades.values_list("pk", "business_id", "grade", "business__subdistrict_id",
                                                   "business__subdistrict__station__name"))
        items, by_grade, stations = [], Counter(), {}
        for grade_pk, business_id, grade, subdistrict_id, station in grades:
            low, high = freq[grade]
            items.append(PlanItem(year=year, business_id=business_id, food_grade_id=grade_pk, grade=grade, min_inspections=low,
                                  max_inspections=high, subdistrict_id=subdistrict_id))
            by_grade[grade] += 1
            s = stations.setdefault(station or "—", [0, 0, 0])
            s[0], s[1], s[2] = s[0] + 1, s[1] + low, s[2] + high
        min_total, max_total = sum(i.min_inspections for i in items), sum(i.max_inspections for i in items)
        run = None
        if not dry_run:
            with acting(actor):
                if latest is not None:
                    latest.superseded_on = on
                    latest.save(update_fields=["superseded_on"])
                run = PlanRun(year=year, built_on=on, grade_run=grade_run, items=len(items), min_total=min_total,
                              max_total=max_total, run_by=actor)
                save_valid(run)
                for item in items:
                    item.run = run
                PlanItem.objects.bulk_create(items, batch_size=2000)
    return PlanResult(
        year=year, on=on, items=len(items), min_total=min_total, max_total=max_total,
        by_grade={g: (by_grade.get(g, 0), by_grade.get(g, 0) * freq[g][0], by_grade.get(g, 0) * freq[g][1]) for g in GRADES},
        by_station=[(name, *v) for name, v in sorted(stations.items())], dry_run=dry_run, run=run,
    )
