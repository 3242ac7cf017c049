"""The demo district's canteens (学校食堂与明厨亮灶), deterministic for a seed, all through the canteens services.

Called after the demo's licences (the canteens are the licences whose 业态 is a canteen) and its inspections
(an evaluation is an inspection of the school, by two of the station's certified inspectors):
- every canteen gets its profile (school name and level from the holder's name, diners);
- 明厨亮灶: most school canteens built between 2021 and 2025 and most of those connected to the district's
  platform; in 2026 some connect for the first time (新接入) and some move to the city's new platform (改接);
  fewer of the other canteens are built;
- 评价验收: each school canteen valid in 2026 is evaluated between March and November, about four in five
  passing (优秀、良好、一般); a 不合格 one has problems that become findings with a 15-day deadline, and some
  are evaluated again after rectifying.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from jianguan.canteens.choices import ChangeKind, EvaluationResult, SchoolLevel
from jianguan.canteens.selectors import canteen_licences
from jianguan.canteens.services import canteen_update, evaluation_record, mingchu_record
from jianguan.licences.choices import CanteenKind
from jianguan.licences.rules import valid_q
from jianguan.org.models import User

from .equipment import DEMO_DATE

YEAR = DEMO_DATE.year
PLATFORMS = ("区“互联网+明厨亮灶”监管平台", "市阳光食安智慧监管平台")
PROBLEMS = ("食品留样不足48小时", "从业人员健康证过期", "餐用具消毒记录不全", "库房食品离地离墙不足", "防蝇防鼠设施缺失",
            "原料进货查验记录不全", "专间紫外线消毒未开启", "冰箱生熟混放")
LEVELS = (("幼儿园", SchoolLevel.KINDERGARTEN), ("托育", SchoolLevel.KINDERGARTEN), ("小学", SchoolLevel.PRIMARY),
          ("初中", SchoolLevel.JUNIOR), ("中学", SchoolLevel.JUNIOR), ("高中", SchoolLevel.SENIOR), ("职业", SchoolLevel.VOCATIONAL),
          ("学院", SchoolLevel.COLLEGE), ("大学", SchoolLevel.COLLEGE))


@dataclass
class CanteenCounts:
    canteens: int = 0
    school: int = 0
    built: int = 0
    connected: int = 0
    new_connections: int = 0
    reconnected: int = 0
    evaluated: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (f"学校食堂与明厨亮灶：食堂 {self.canteens} 个（学校食堂 {self.school} 个），明厨亮灶已建 {self.built} 个、已接入平台 "
                f"{self.connected} 个，{YEAR}年新接入 {self.new_connections} 个、改接 {self.reconnected} 个；学校食堂评价验收 "
                f"{self.evaluated} 个，不合格 {self.failed} 个（问题已转为检查问题）")


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    day = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
    return day if day.weekday() < 5 else day - dt.timedelta(days=day.weekday() - 4)


def _level(name: str) -> str:
    return next((level for word, level in LEVELS if word in name), "")


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed * 11 + 16)
        self.actor = User.objects.get(username="shipin")
        self.counts = CanteenCounts()
        self._inspectors: dict[int, list[User]] = {}

    def inspectors(self, station_id: int, on: dt.date) -> list[User]:
        if station_id not in self._inspectors:
            self._inspectors[station_id] = list(User.objects.filter(org_unit_id=station_id, is_active=True)
                                                .exclude(cert_no=None).exclude(cert_no="").order_by("username"))
        valid = [u for u in self._inspectors[station_id] if u.cert_valid_on(on)]
        return valid[:2] if len(valid) >= 2 else []

    def canteen(self, lic) -> None:
        rng, school = self.rng, lic.sector.canteen == CanteenKind.SCHOOL
        name = lic.business.name
        canteen_update(actor=self.actor, licence_pk=lic.pk, version=None, school_name=name if school else "",
                       school_level=_level(name) if school else "", diners=rng.randrange(80, 2400, 10))
        self.counts.canteens += 1
        self.counts.school += school
        start = max(lic.issued_on or dt.date(2021, 1, 1), dt.date(2021, 1, 1))
        if start >= DEMO_DATE - dt.timedelta(days=30) or rng.random() > (0.92 if school else 0.6):
            return
        built_on = _day(rng, start, min(dt.date(2025, 12, 31), DEMO_DATE - dt.timedelta(days=30)))
        if built_on < start:
            built_on = start
        mingchu_record(actor=self.actor, licence_pk=lic.pk, version=None, kind=ChangeKind.BUILT, on=built_on)
        self.counts.built += 1
        if rng.random() > (0.8 if school else 0.5):
            return
        # Connected in 2026 for about one in five of those connecting: the year's 新接入.
        this_year = rng.random() < 0.2
        low = max(built_on, dt.date(YEAR, 1, 5)) if this_year else built_on
        high = DEMO_DATE - dt.timedelta(days=10) if this_year else max(built_on, dt.date(YEAR - 1, 12, 31))
        connected_on = _day(rng, low, high) if high >= low else low
        connected_on = max(connected_on, built_on)
        mingchu_record(actor=self.actor, licence_pk=lic.pk, version=None, kind=ChangeKind.CONNECTED, on=connected_on,
                       platform=PLATFORMS[0])
        self.counts.connected += 1
        self.counts.new_connections += connected_on.year == YEAR
        if connected_on.year < YEAR and rng.random() < 0.15:  # moved to the city's platform in the demo year
            mingchu_record(actor=self.actor, licence_pk=lic.pk, version=None, kind=ChangeKind.RECONNECTED,
                           on=_day(rng, dt.date(YEAR, 3, 2), DEMO_DATE - dt.timedelta(days=5)), platform=PLATFORMS[1], note="全市平台统一接入")
            self.counts.reconnected += 1

    def evaluate(self, lic) -> None:
        rng = self.rng
        on = _day(rng, dt.date(YEAR, 3, 2), min(dt.date(YEAR, 11, 13), DEMO_DATE - dt.timedelta(days=3)))
        roll = rng.random()
        result = (EvaluationResult.EXCELLENT if roll < 0.25 else EvaluationResult.GOOD if roll < 0.6 else
                  EvaluationResult.FAIR if roll < 0.79 else EvaluationResult.FAIL)
        problems = rng.sample(PROBLEMS, rng.randint(1, 3)) if result == EvaluationResult.FAIL else (
            rng.sample(PROBLEMS, 1) if result == EvaluationResult.FAIR and rng.random() < 0.5 else [])
        deadline = on + dt.timedelta(days=15) if problems else None
        team = self.inspectors(lic.business.subdistrict.station_id, on)
        evaluation_record(actor=self.actor, licence_pk=lic.pk, on=on, result=result, evaluator="区市场监管局、区教育和体育局联合评价组",
                          problems=problems, deadline=deadline, inspectors=team)
        self.counts.evaluated += 1
        self.counts.failed += result == EvaluationResult.FAIL
        again = on + dt.timedelta(days=rng.randint(20, 40))
        if result == EvaluationResult.FAIL and again <= DEMO_DATE and rng.random() < 0.6:  # re-evaluated after rectifying
            again = _day(rng, again, again)
            evaluation_record(actor=self.actor, licence_pk=lic.pk, on=again, result=EvaluationResult.FAIR,
                              evaluator="区市场监管局、区教育和体育局联合评价组", inspectors=self.inspectors(lic.business.subdistrict.station_id, again))


def build_canteens(seed: int, scale: str = "small") -> CanteenCounts:
    """Profiles, 明厨亮灶 and the year's evaluations of every canteen licence the demo holds."""
    b = _Builder(seed)
    licences = list(canteen_licences().select_related("sector", "business__subdistrict").order_by("pk"))
    for lic in licences:
        b.canteen(lic)
    valid = set(canteen_licences().filter(valid_q(dt.date(YEAR, 3, 1)), valid_q(DEMO_DATE)).values_list("pk", flat=True))
    for lic in licences:
        if lic.pk in valid and lic.sector.canteen == CanteenKind.SCHOOL:
            b.evaluate(lic)
    return b.counts
