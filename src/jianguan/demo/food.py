"""The demo district's food risk grading (食品安全风险分级) for the demo year, through the food services.

Called after the licences (the graded are the holders of a valid food licence) and after credit (the grading
reads the credit class): the food department grades every food business on the year's first working day and
builds the year's plan from those grades; it sets one grade by hand (a school canteen raised to D after a
complaint, with its reason); on the demo date it grades again, so that the explanation shows the year's
inspections, samples, complaints, cases and credit, while the plan of January stays the plan the stations
carried out (its progress is the year's inspections).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jianguan.core.indicators import compute
from jianguan.core.periods import Params
from jianguan.food.choices import GRADES
from jianguan.food.models import FoodGrade
from jianguan.food.selectors import current_plan
from jianguan.food.services.grading import grade_all, grade_override
from jianguan.food.services.plan import plan_build
from jianguan.org.models import User

from .equipment import DEMO_DATE

YEAR = DEMO_DATE.year
FIRST_GRADING = dt.date(YEAR, 1, 5)  # the year's first working day (the inspections demo's YEAR_START)
OVERRIDE_REASON = "学生家长集中投诉，经约谈后上调风险等级，加密检查频次"


@dataclass
class FoodCounts:
    graded: int = 0
    counts: dict = field(default_factory=dict)
    overridden: int = 0
    planned: int = 0
    min_total: int = 0
    max_total: int = 0
    done: int = 0
    uncovered: int = 0

    def summary(self) -> str:
        grades = "、".join(f"{g}级{self.counts.get(g, 0)}户" for g in GRADES)
        return (f"食品安全风险分级：{YEAR}年度评定食品生产经营者{self.graded}户（{grades}），人工调整{self.overridden}户；"
                f"年度检查计划{self.planned}户、应检{self.min_total}–{self.max_total}次，截至演示日完成{self.done}次（计至最低频次），"
                f"两年内未全项检查{self.uncovered}户")


def build_food(seed: int, scale: str = "small") -> FoodCounts:
    """Deterministic for the seed: the only choice (which canteen is raised by hand) follows the register's order."""
    del seed, scale  # the grades follow from the records; nothing here is drawn at random
    shipin = User.objects.get(username="shipin")
    counts = FoodCounts()
    grade_all(actor=shipin, year=YEAR, on=FIRST_GRADING, today=DEMO_DATE)
    plan_build(actor=shipin, year=YEAR, on=FIRST_GRADING, today=DEMO_DATE)
    canteen = (FoodGrade.objects.filter(run__year=YEAR, run__superseded_on__isnull=True, sector__canteen="school")
               .exclude(grade="D").order_by("business__uscc").first())
    if canteen is not None:
        grade_override(actor=shipin, pk=canteen.pk, version=canteen.version, grade="D", reason=OVERRIDE_REASON,
                       today=FIRST_GRADING + dt.timedelta(days=30))
    result = grade_all(actor=shipin, year=YEAR, on=DEMO_DATE, today=DEMO_DATE)
    counts.graded, counts.counts, counts.overridden = result.graded, result.counts, result.overrides_kept
    values = compute(["food.plan_done_rate", "food.two_year_coverage"], Params.build(as_of=DEMO_DATE.isoformat()))
    counts.done, counts.min_total = int(values["food.plan_inspections_done"]), int(values["food.plan_due"])
    counts.uncovered = int(values["food.businesses"]) - int(values["food.fully_inspected"])
    plan = current_plan(YEAR, DEMO_DATE)
    if plan is not None:
        counts.planned, counts.max_total = plan.items, plan.max_total
    return counts
