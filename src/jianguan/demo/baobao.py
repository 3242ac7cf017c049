"""The demo district's 包保 (两个责任), deterministic for a seed, all through the baobao services.

Called after the demo's licences (the subjects are holders of a valid food licence). On the year's first working
day the district grades a share of its food subjects (a quota per grade and scale): A for the highest-stake
(食品生产, 中央厨房, 集体用餐配送, 学校食堂, 大型餐饮), B for the middle ones (中型餐饮, 托幼机构食堂, 超市, 农贸市场,
食品批发), C for the rest; it registers its cadres: a few county leaders, two township cadres per subdistrict and
village (community) cadres. Each graded subject gets a cadre of the matching tier from that day; the cadres
supervise at about their frequency (the versioned rules), some late, so that on the demo date a few are overdue;
some 督导 find problems, most rectified. One assignment ends in the summer when its cadre moves, and a colleague
takes the subject over.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Count

from jianguan.baobao.choices import GRADE_LEVEL, BaobaoGrade, CadreLevel
from jianguan.baobao.models import Assignment, Cadre, Supervision
from jianguan.baobao.rules import add_months
from jianguan.baobao.selectors import active_q, food_subject_q, months
from jianguan.baobao.services import (
    assignment_create,
    assignment_end,
    cadre_save,
    grade_set,
    supervision_record,
)
from jianguan.businesses.models import Business
from jianguan.licences.choices import Domain
from jianguan.licences.models import Licence
from jianguan.org.models import Subdistrict, User

from .equipment import DEMO_DATE
from .names import GIVEN, SURNAMES

START = dt.date(DEMO_DATE.year, 1, 5)  # the year's first working day
# How many subjects of each grade are 包保ed, by scale (county leaders 包保 a handful each).
QUOTAS = {"small": {"A": 10, "B": 40, "C": 100}, "district": {"A": 30, "B": 300, "C": 1500}}
GRADE_A = {"food_production", "central_kitchen", "group_catering", "school_canteen", "catering_large"}
GRADE_B = {"catering_medium", "kindergarten_canteen", "supermarket", "market", "food_wholesale"}
CHECKED = ("食品安全主体责任落实情况、“日管控、周排查、月调度”记录", "进货查验和索证索票", "从业人员健康管理和培训",
           "食品贮存条件与过期食品清理", "餐用具清洗消毒", "食品安全管理人员配备和考核")
PROBLEMS = ("周排查记录缺失", "过期食品未及时清理", "健康证过期", "进货查验记录不全", "消毒设施未正常使用")
COUNTY_POSTS = (("区委", "常委"), ("区政府", "副区长"), ("区政府", "副区长"), ("区人大常委会", "副主任"), ("区政协", "副主席"))


@dataclass
class BaobaoCounts:
    subjects: dict
    cadres: dict
    assignments: int = 0
    supervisions: int = 0
    overdue: int = 0

    def summary(self) -> str:
        grades = "，".join(f"{g}级 {self.subjects.get(g, 0)} 家" for g in BaobaoGrade.values)
        cadres = "、".join(f"{CadreLevel(k).label} {v} 名" for k, v in self.cadres.items())
        return (f"包保（两个责任）：包保主体 {grades}；包保干部 {cadres}；包保关系 {self.assignments} 个，督导记录 {self.supervisions} 条，"
                f"截至演示日督导逾期 {self.overdue} 个")


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed * 13 + 4)
        self.actor = User.objects.get(username="shipin")
        self.phones = set()

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.randint(1, 2)))

    def phone(self) -> str:
        while True:
            number = f"13{self.rng.randint(0, 9)}{self.rng.randint(0, 99999999):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def cadres(self, subdistricts: list[Subdistrict]) -> dict[str, list[Cadre]]:
        out = {level: [] for level in CadreLevel.values}
        for unit, post in COUNTY_POSTS:
            out[CadreLevel.COUNTY].append(cadre_save(actor=self.actor, name=self.name(), level=CadreLevel.COUNTY, unit=unit, post=post,
                                                     phone=self.phone()))
        for sub in subdistricts:
            for post in ("党工委副书记", "办事处副主任"):
                out[CadreLevel.TOWNSHIP].append(cadre_save(actor=self.actor, name=self.name(), level=CadreLevel.TOWNSHIP, unit=f"{sub.name}办事处",
                                                           post=post, phone=self.phone(), subdistrict=sub))
            for n in range(1, 4):
                out[CadreLevel.VILLAGE].append(cadre_save(actor=self.actor, name=self.name(), level=CadreLevel.VILLAGE,
                                                          unit=f"{sub.name}第{n}社区居委会", post="社区书记" if n == 1 else "网格长",
                                                          phone=self.phone(), subdistrict=sub))
        return out

    def supervise(self, assignment: Assignment, every: int) -> int:
        rng, day, n = self.rng, assignment.start_on, 0
        while True:
            late = rng.random() < 0.1
            day = add_months(day, every) - dt.timedelta(days=rng.randint(0, 12)) + dt.timedelta(days=rng.randint(15, 40) if late else 0)
            if day > DEMO_DATE or (assignment.end_on and day > assignment.end_on):
                return n
            problems = rng.sample(PROBLEMS, rng.randint(1, 2)) if rng.random() < 0.15 else []
            rectified = (rng.random() < 0.85) if problems else None
            supervision_record(actor=self.actor, assignment_pk=assignment.pk, on=day, checked=rng.choice(CHECKED), problems=problems,
                               rectified=rectified, rectified_on=min(day + dt.timedelta(days=rng.randint(3, 15)), DEMO_DATE) if rectified else None)
            n += 1


def _grade(sector_code: str) -> str:
    return BaobaoGrade.A if sector_code in GRADE_A else BaobaoGrade.B if sector_code in GRADE_B else BaobaoGrade.C


def build_baobao(seed: int, scale: str = "small") -> BaobaoCounts:
    """Grades, cadres, assignments and a year and a half of 督导, up to the demo date."""
    b = _Builder(seed)
    subdistricts = list(Subdistrict.objects.order_by("code"))
    cadres = b.cadres(subdistricts)
    sectors = dict(Licence.objects.filter(kind__domain=Domain.FOOD).exclude(sector=None).order_by("business_id", "pk")
                   .values_list("business_id", "sector__code"))
    subjects = list(Business.objects.filter(food_subject_q(START)).filter(food_subject_q(DEMO_DATE)).select_related("subdistrict")
                    .order_by("pk"))
    b.rng.shuffle(subjects)
    quota = dict(QUOTAS.get(scale, QUOTAS["small"]))
    freq = months(DEMO_DATE)
    for business in subjects:
        grade = _grade(sectors.get(business.pk, ""))
        if quota[grade] <= 0:
            continue
        quota[grade] -= 1
        grade_set(actor=b.actor, business=business, grade=grade, on=START, reason="按业态和供餐对象确定")
        level = GRADE_LEVEL[BaobaoGrade(grade)]
        pool = cadres[level] if level == CadreLevel.COUNTY else [c for c in cadres[level] if c.subdistrict_id == business.subdistrict_id]
        assignment = assignment_create(actor=b.actor, business=business, cadre=b.rng.choice(pool), start_on=START)
        b.supervise(assignment, freq[level])
    # A cadre moves: their first assignment ends and a colleague takes it over.
    moved = Assignment.objects.filter(cadre__level=CadreLevel.VILLAGE).order_by("pk").first()
    if moved is not None:
        last = moved.supervisions.order_by("-on").values_list("on", flat=True).first() or moved.start_on
        end_on = max(last, dt.date(DEMO_DATE.year, 6, 30))
        assignment_end(actor=b.actor, pk=moved.pk, version=None, end_on=end_on)
        other = next(c for c in cadres[CadreLevel.VILLAGE] if c.subdistrict_id == moved.cadre.subdistrict_id and c.pk != moved.cadre_id)
        successor = assignment_create(actor=b.actor, business=moved.business, cadre=other, start_on=end_on + dt.timedelta(days=1))
        b.supervise(successor, freq[CadreLevel.VILLAGE])
    return _count()


def _count() -> BaobaoCounts:
    from jianguan.baobao.models import GradeRecord
    from jianguan.baobao.selectors import due_q, grade_on_q, with_anchor

    subjects = dict(GradeRecord.objects.filter(grade_on_q(DEMO_DATE)).values_list("grade").annotate(n=Count("pk")))
    active = Assignment.objects.filter(active_q(DEMO_DATE))
    cadres = dict(Cadre.objects.values_list("level").annotate(n=Count("pk")))
    overdue = with_anchor(active, DEMO_DATE).filter(due_q("overdue", DEMO_DATE, DEMO_DATE, months(DEMO_DATE))).count()
    return BaobaoCounts(subjects=subjects, cadres={k: cadres.get(k, 0) for k in CadreLevel.values}, assignments=active.count(),
                        supervisions=Supervision.objects.count(), overdue=overdue)
