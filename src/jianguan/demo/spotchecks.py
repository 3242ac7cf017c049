"""The demo district's 双随机、一公开 year, deterministic for a seed, written through the services.

- 信用风险分类 on every active business (A 60 %, B 25 %, C 10 %, D 3 %, the rest 未分类), one bulk
  update per class, as the annual classification of 2026-01-05 would have left them.
- 一单两库: a list of check items; an inspector pool of every certified user; two object pools
  (enterprises, licensed food businesses); one declared conflict of interest.
- The 2026 plan (信用监督管理科) and three tasks:
  1. published: drawn in March, inspected in April (two problems rectified and re-checked, one
     business not found at its address), results published in May — one of them after its deadline;
  2. in progress: drawn in September; some inspections done in October whose results are now
     overdue for publication, some done in November, the rest still scheduled;
  3. locked, awaiting its draw in December: the commitment and digests are public, not the secret.

The services stamp the real time of locking and drawing; the demo moves those two timestamps onto
its own calendar afterwards (the draw record itself holds no time). Ratios are below the rule's
defaults (3 %/5 %/10 %/30 %) so that the demo stays quick at every scale.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import F
from django.db.models.functions import Mod
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.inspections.choices import InspectionResult
from jianguan.inspections.services.findings import finding_recheck, finding_report
from jianguan.inspections.services.inspections import NewFinding, inspection_complete, inspection_update
from jianguan.org.choices import Role
from jianguan.org.models import OrgUnit, User
from jianguan.spotchecks import services
from jianguan.spotchecks.models import DrawnObject, Task
from jianguan.spotchecks.queries import overdue_publications
from jianguan.spotchecks.services_plans import plan_activate
from jianguan.spotchecks.services_pools import (
    check_item_create,
    conflict_declare,
    inspector_pool_create,
    object_pool_create,
    task_edit,
)

from .equipment import DEMO_DATE

CLASSIFIED_ON = dt.date(2026, 1, 5)
# Share of active businesses per class, cumulative percent over a pseudo-random bucket of the id.
CLASS_BUCKETS = (("A", 60), ("B", 85), ("C", 95), ("D", 98))
RATIOS = {
    "small": {"A": "0.005", "B": "0.01", "C": "0.025", "D": "0.1"},
    "district": {"A": "0.0001", "B": "0.0002", "C": "0.0005", "D": "0.002"},
}
CHECK_ITEMS = [
    ("SJ-XY-01", "企业公示信息抽查", "《企业信息公示暂行条例》第十四条", "书面检查、实地核查", True, "D03"),
    ("SJ-SP-01", "食品经营者检查", "《中华人民共和国食品安全法》第一百一十条", "现场检查", True, "D02"),
    ("SJ-TS-01", "电梯使用单位检查", "《中华人民共和国特种设备安全法》第五十七条", "现场检查", True, "D01"),
    ("SJ-JG-01", "价格行为检查", "《中华人民共和国价格法》第三十四条", "现场检查", False, "D04"),
    ("SJ-GG-01", "广告发布行为检查", "《中华人民共和国广告法》第四十九条", "网络监测、现场检查", False, "D05"),
]
PROBLEMS = [
    "企业未按规定公示年度报告中的从业人数、资产状况等信息，已责令限期补报",
    "经营场所未公示营业执照，已责令立即改正",
]
FOOD_PROBLEMS = [
    "部分食品未建立进货查验记录，已责令限期改正",
    "从业人员健康证明过期，已责令限期办理",
]


@dataclass
class SpotcheckCounts:
    classified: int = 0
    tasks: int = 0
    drawn: int = 0
    published: int = 0
    late: int = 0
    overdue: int = 0

    def summary(self) -> str:
        return (
            f"“双随机、一公开”：信用风险分类 {self.classified} 户；抽查计划 1 项、任务 {self.tasks} 项（已公示、检查中、待抽取各 1 项），"
            f"抽中检查对象 {self.drawn} 个，已公示结果 {self.published} 条（其中逾期公示 {self.late} 条），"
            f"截至 {DEMO_DATE:%Y-%m-%d} 逾期未公示 {self.overdue} 条"
        )


def classify_businesses(seed: int) -> int:
    """One UPDATE per class over a pseudo-random bucket of the id (no row is read into Python)."""
    active = Business.objects.filter(reg_status="active").alias(bucket=Mod(F("pk") * 7919 + seed, 100))
    low = 0
    for cls, high in CLASS_BUCKETS:
        active.filter(bucket__gte=low, bucket__lt=high).update(credit_risk_class=cls, credit_risk_class_on=CLASSIFIED_ON)
        low = high
    return Business.objects.exclude(credit_risk_class="").count()


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _stamp(task: Task, locked: dt.datetime, drawn: dt.datetime | None = None) -> None:
    Task.objects.filter(pk=task.pk).update(locked_at=locked, drawn_at=drawn)


def _writer(team: list[User], business: Business) -> User | None:
    """A team member allowed to write in the business's subdistrict (a department user, or a station's own)."""
    for user in team:
        if user.role == Role.DEPARTMENT or (user.role == Role.STATION and user.org_unit_id == business.subdistrict.station_id):
            return user
    return None  # the demo acts bureau-wide, as the command line does


class _Year:
    def __init__(self, seed: int, scale: str):
        self.rng = random.Random(seed * 31 + 7)
        self.ratios = RATIOS[scale]
        self.planner = User.objects.get(username="xinyong")
        self.units = {u.code: u for u in OrgUnit.objects.filter(code__in=["D01", "D02", "D03", "D04", "D05"])}
        self.people = {u.cert_no: u for u in User.objects.filter(cert_no__isnull=False).select_related("org_unit")}

    def witness(self, day: dt.date, hour: int) -> str:
        code = "".join(self.rng.choice("0123456789") for _ in range(6))
        return f"{day.year}年{day.month}月{day.day}日{hour}时，于局三楼会议室现场抽取，法制科李明监督，现场随机码{code}"

    def station_login(self, business: Business) -> User:
        return User.objects.filter(role=Role.STATION, org_unit_id=business.subdistrict.station_id).order_by("username").first()

    def team(self, obj: DrawnObject) -> list[User]:
        return [self.people[c] for c in obj.team]

    def lock_and_draw(self, task: Task, locked: dt.datetime, drawn: dt.datetime) -> Task:
        task = services.task_lock(actor=self.planner, pk=task.pk, version=None)
        task = services.task_draw(
            actor=self.planner, pk=task.pk, version=None, witness=self.witness(drawn.date(), drawn.hour), witness_name="李明"
        )
        _stamp(task, locked, drawn)
        return task

    def inspect(self, obj: DrawnObject, day: dt.date, problems: list[str] | None = None, not_found: bool = False) -> None:
        """The drawn team inspects on `day`; the result of the spot check is read from the inspection."""
        team, business = self.team(obj), obj.business
        actor = _writer(team, business)
        inspection_update(actor=actor, pk=obj.inspection_id, version=None, date=day)
        if not_found:
            inspection_complete(
                actor=actor, pk=obj.inspection_id, version=None, result=InspectionResult.NOT_FOUND,
                summary="按登记的住所实地核查，未找到该企业，电话无法联系。",
            )
        elif problems:
            deadline = day + dt.timedelta(days=15)
            inspection = inspection_complete(
                actor=actor, pk=obj.inspection_id, version=None, result=InspectionResult.ORDERED, deadline=deadline,
                summary="双随机抽查发现问题，已当场责令限期改正。",
                findings=[NewFinding(description=self.rng.choice(problems), deadline=deadline)],
            )
            # The business reports its rectification (entered for it); the local station re-checks with the team.
            station = self.station_login(business)
            for finding in inspection.findings.all():
                reported = day + dt.timedelta(days=self.rng.randrange(5, 12))
                finding_report(
                    actor=None, pk=finding.pk, version=None, submitted_on=reported, text="已按要求整改完毕，附整改材料。",
                    submitter_name=f"{business.legal_rep or '负责人'}（{business.name[:20]}）",
                )
                finding_recheck(
                    actor=station, pk=finding.pk, version=None, date=reported + dt.timedelta(days=2), passed=True,
                    inspectors=team, note="复查整改到位",
                )
        else:
            inspection_complete(actor=actor, pk=obj.inspection_id, version=None, result=InspectionResult.NO_PROBLEM,
                                summary="双随机抽查未发现问题。")
        services.result_record(actor=self.planner, pk=obj.pk)

    def days(self, start: dt.date, end: dt.date, n: int) -> list[dt.date]:
        """n working days between start and end (weekdays), in order."""
        pool = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        pool = [d for d in pool if d.weekday() < 5]
        return sorted(self.rng.choice(pool) for _ in range(n))


def build_spotchecks(seed: int, scale: str = "small") -> SpotcheckCounts:
    counts = SpotcheckCounts(classified=classify_businesses(seed))
    y = _Year(seed, scale)
    planner, units = y.planner, y.units
    items = {
        code: check_item_create(actor=planner, code=code, name=name, legal_basis=basis, method=method, key_item=key,
                                department=units[unit])
        for code, name, basis, method, key, unit in CHECK_ITEMS
    }
    setup = dt.date(2026, 1, 12)
    inspectors = inspector_pool_create(
        actor=planner, name="2026年度执法检查人员名录库", department=planner.org_unit, members=list(y.people.values()), on=setup,
    )
    enterprises = object_pool_create(
        actor=planner, name="辖区企业名录库", department=planner.org_unit, entity_types=["enterprise"], on=setup,
    )
    food = object_pool_create(
        actor=planner, name="食品经营者名录库", department=units["D02"], licence_kinds=["food_business"], on=setup,
    )
    related = Business.objects.filter(reg_status="active", entity_type="enterprise").order_by("uscc").first()
    conflict_declare(
        actor=planner, inspector=User.objects.get(username="suo1b"), business=related, relation="配偶任该企业财务负责人",
        reason="本人申报回避", on=setup,
    )
    plan = services.plan_create(
        actor=planner, year=2026, name="2026年度“双随机、一公开”抽查工作计划", department=planner.org_unit, on=dt.date(2026, 1, 15),
        description="按信用风险分类实施差异化抽查：A类低比例抽查，D类高比例抽查；抽查结果自产生之日起20个工作日内公示。",
    )
    plan = plan_activate(actor=planner, pk=plan.pk)  # 下达: the year's tasks run under an issued plan

    def new_task(name, pool, item_codes, start, end, departments, cap):
        task = services.task_create(
            actor=planner, plan=plan, name=name, object_pool=pool, inspector_pool=inspectors, start=start, end=end,
            ratios=y.ratios, max_objects_per_inspector=cap,
        )
        return task_edit(actor=planner, pk=task.pk, version=None, items=[items[c] for c in item_codes], departments=departments)

    # 1. Published, one result late.
    first = new_task("2026年度企业公示信息第一批抽查", enterprises, ["SJ-XY-01", "SJ-JG-01"], dt.date(2026, 4, 1),
                     dt.date(2026, 6, 30), [units["D03"]], 8)
    y.lock_and_draw(first, _at(dt.date(2026, 3, 25), 10), _at(dt.date(2026, 3, 30), 9, 30))
    services.task_start(actor=planner, pk=first.pk, version=None, on=first.start)
    objects = list(first.drawn.select_related("business__subdistrict").order_by("order"))
    days = y.days(dt.date(2026, 4, 13), dt.date(2026, 4, 30), len(objects) - 1)
    for i, obj in enumerate(objects):
        day = dt.date(2026, 4, 2) if i == 0 else days[i - 1]  # the first inspected early: its clock runs out first
        y.inspect(obj, day, problems=PROBLEMS if i in (3, 7) else None, not_found=(i == 5))
    dues = sorted(DrawnObject.objects.filter(task=first).values_list("publish_due", flat=True))
    services.results_publish(actor=planner, pk=first.pk, version=None, on=dues[1])  # the earliest deadline is missed

    # 2. In progress: results of October overdue for publication, of November pending, the rest not inspected yet.
    second = new_task("2026年度食品经营者双随机抽查", food, ["SJ-SP-01"], dt.date(2026, 9, 14), dt.date(2026, 12, 15),
                      [units["D02"], units["D03"]], 8)
    y.lock_and_draw(second, _at(dt.date(2026, 9, 7), 15), _at(dt.date(2026, 9, 10), 9))
    services.task_start(actor=planner, pk=second.pk, version=None, on=second.start)
    objects = list(second.drawn.select_related("business__subdistrict").order_by("order"))
    october, november = len(objects) // 3, len(objects) // 4
    for obj, day in zip(objects[:october], y.days(dt.date(2026, 10, 12), dt.date(2026, 10, 23), october), strict=True):
        y.inspect(obj, day, problems=FOOD_PROBLEMS if obj.order % 5 == 0 else None)
    later = y.days(dt.date(2026, 11, 9), dt.date(2026, 11, 20), november)
    for obj, day in zip(objects[october:october + november], later, strict=True):
        y.inspect(obj, day)

    # 3. Locked, awaiting the draw.
    third = new_task("2026年度企业公示信息第二批抽查", enterprises, ["SJ-XY-01"], dt.date(2026, 12, 1),
                     dt.date(2026, 12, 31), [units["D03"]], None)
    third = services.task_lock(actor=planner, pk=third.pk, version=None)
    _stamp(third, _at(dt.date(2026, 11, 24), 16))

    counts.tasks = Task.objects.count()
    counts.drawn = DrawnObject.objects.count()
    published = DrawnObject.objects.filter(published_on__isnull=False)
    counts.published = published.count()
    counts.late = published.filter(published_on__gt=F("publish_due")).count()
    counts.overdue = overdue_publications(DEMO_DATE).count()
    return counts

