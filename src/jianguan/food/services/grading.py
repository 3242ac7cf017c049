"""食品安全风险分级: grade every food business for a year on a date, and the manual override of one grade.

A business's points on the grading date D are its static points plus its dynamic points, with the rules
`food.risk.*` in force on D:

- static: of each valid food licence, the points of its 许可种类 (`food.risk.static.kind.<code>`) plus those of
  its 主体业态 (`food.risk.static.sector.<code>`; a kind or 业态 without a rule of its own takes the `default`
  one); the licence with the most points counts;
- dynamic, in the look-back (D − `food.risk.lookback_months`, D]:
  检查发现问题 — plan inspections (conditions.py) with result 发现问题、责令整改 or 立案线索 (each);
  问题逾期未整改 — findings found in the look-back whose deadline passed before D without a rectification report
  or a closing by the deadline (each; credit's definition);
  抽检不合格 — unqualified samples reported in the look-back (each);
  投诉举报查证属实 — reports filed as a case and complaints mediated successfully (credit's 查证属实, each);
  受到行政处罚 — penalty decisions (not 不予处罚) (each);
- credit on D: 信用风险分类 C or D (the class period in force on D; a business never scored by the credit module
  keeps its imported class), 经营异常名录 in force, 严重违法失信名单 in force (each once).

Points at or above `food.risk.cutoff_d` → D, `cutoff_c` → C, `cutoff_b` → B, else A.
"""

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.cases.models import Case
from jianguan.cases.services.common import check_version
from jianguan.complaints.choices import FilingDecision, Kind, MediationOutcome
from jianguan.complaints.models import Complaint
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.rules import rule_value
from jianguan.core.services import acting, save_valid
from jianguan.credit.choices import EntryStatus
from jianguan.credit.models import AbnormalEntry, RiskClassPeriod, SeriousEntry
from jianguan.inspections.choices import FindingStatus, InspectionResult
from jianguan.inspections.models import Finding
from jianguan.org.models import User
from jianguan.sampling.choices import Conclusion
from jianguan.sampling.models import Sample

from ..choices import GRADES
from ..conditions import food_licences, plan_inspections
from ..models import FoodGrade, GradeRun, PlanItem, PlanRun
from ..rules import add_months, classify
from .common import check_planner, check_year, frequency, int_rule

# key, label, counted once whatever the number of records
DYNAMIC = (
    ("inspection_problems", "检查发现问题", False),
    ("unrectified_finding", "问题逾期未整改", False),
    ("unqualified_sample", "抽检不合格", False),
    ("founded_complaint", "投诉举报查证属实", False),
    ("penalty", "受到行政处罚", False),
    ("credit_c", "信用风险分类为C类", True),
    ("credit_d", "信用风险分类为D类", True),
    ("abnormal", "列入经营异常名录（在列）", True),
    ("serious", "列入严重违法失信名单（在列）", True),
)
PROBLEM_RESULTS = (InspectionResult.PROBLEMS, InspectionResult.ORDERED, InspectionResult.CASE_LEAD)


@dataclass
class Weights:
    """The rules of the grading in force on one date."""

    on: dt.date
    cutoff_b: int
    cutoff_c: int
    cutoff_d: int
    lookback_months: int
    points: dict
    _static: dict = field(default_factory=dict)

    @property
    def start(self) -> dt.date:
        """Records dated after this day (and on or before `on`) are in the look-back."""
        return add_months(self.on, -self.lookback_months)

    def static(self, part: str, code: str | None) -> int:
        """Points of a kind or 业态 code (`part` "kind" or "sector"); no 业态 on the licence: 0."""
        if not code:
            return 0
        key = (part, code)
        if key not in self._static:
            try:
                self._static[key] = int(rule_value(f"food.risk.static.{part}.{code}", on=self.on))
            except DomainError as exc:
                if exc.code != "rule_missing":
                    raise
                self._static[key] = int(rule_value(f"food.risk.static.{part}.default", on=self.on))
        return self._static[key]

    def grade(self, points: int) -> str:
        return classify(points, cutoff_b=self.cutoff_b, cutoff_c=self.cutoff_c, cutoff_d=self.cutoff_d)


def weights_on(on: dt.date) -> Weights:
    return Weights(
        on=on, cutoff_b=int_rule("food.risk.cutoff_b", on), cutoff_c=int_rule("food.risk.cutoff_c", on),
        cutoff_d=int_rule("food.risk.cutoff_d", on), lookback_months=int_rule("food.risk.lookback_months", on),
        points={key: int_rule(f"food.risk.points.{key}", on) for key, _, _ in DYNAMIC},
    )


# ---------------------------------------------------------------- who, and their static factors


@dataclass
class Static:
    licence_id: int
    kind_id: int
    sector_id: int | None
    points: int
    factors: list


def static_factors(w: Weights, only: int | None = None) -> dict[int, Static]:
    """{business id: its static factors} for every food business on w.on (the licence with the most points)."""
    on = w.on
    qs = (food_licences(on).filter(Q(business__reg_status="active") | Q(business__status_date__gt=on))
          .order_by("business_id", "pk"))
    if only is not None:
        qs = qs.filter(business_id=only)
    found: dict[int, Static] = {}
    rows = qs.values_list("business_id", "pk", "kind_id", "kind__code", "kind__name", "sector_id", "sector__code", "sector__name")
    for business_id, pk, kind_id, kind_code, kind_name, sector_id, sector_code, sector_name in rows:
        kind_points, sector_points = w.static("kind", kind_code), w.static("sector", sector_code)
        total = kind_points + sector_points
        if business_id in found and found[business_id].points >= total:
            continue
        factors = [{"key": "static_kind", "label": f"许可种类：{kind_name}", "count": 1, "points": kind_points}]
        factors.append({"key": "static_sector", "label": f"主体业态：{sector_name}" if sector_id else "主体业态：未登记",
                        "count": 1, "points": sector_points})
        found[business_id] = Static(pk, kind_id, sector_id, total, factors)
    return found


# ---------------------------------------------------------------- dynamic factors, one grouped query each


def _grouped(qs, field: str = "business_id") -> dict[int, int]:
    return dict(qs.values(field).annotate(n=Count("pk")).order_by().values_list(field, "n"))


def _credit_classes(on: dt.date, only: int | None) -> dict[int, str]:
    """The credit risk class in force on the day, C and D only (the periods the credit scoring keeps; a business
    without any period keeps the class imported before the credit module)."""
    mine = {} if only is None else {"business_id": only}
    periods = RiskClassPeriod.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on), valid_from__lte=on, **mine)
    found = dict(periods.filter(risk_class__in=("C", "D")).values_list("business_id", "risk_class"))
    imported = Business.objects.filter(credit_risk_class__in=("C", "D"), credit_class_periods__isnull=True)
    if only is not None:
        imported = imported.filter(pk=only)
    for pk, cls in imported.values_list("pk", "credit_risk_class"):
        found.setdefault(pk, cls)
    return found


def dynamic_counts(w: Weights, only: int | None = None) -> dict[int, dict[str, int]]:
    on, start = w.on, w.start
    mine = {} if only is None else {"business_id": only}
    counts: dict[int, dict[str, int]] = {}

    def add(key, rows):
        for pk, n in rows.items():
            if n:
                counts.setdefault(pk, {})[key] = n

    add("inspection_problems", _grouped(plan_inspections(start + dt.timedelta(days=1), on).filter(result__in=PROBLEM_RESULTS, **mine)))
    on_time = Q(status__in=(FindingStatus.REPORTED, FindingStatus.CLOSED), reported_on__lte=F("deadline")) | Q(
        status=FindingStatus.CLOSED, closed_on__lte=F("deadline"))
    add("unrectified_finding", _grouped(
        Finding.objects.filter(found_on__gt=start, found_on__lte=on, deadline__lt=on, **mine).exclude(on_time)))
    add("unqualified_sample", _grouped(
        Sample.objects.filter(business__isnull=False, conclusion=Conclusion.UNQUALIFIED, report_on__gt=start, report_on__lte=on, **mine)))
    founded = Q(kind=Kind.REPORT, filing_decision=FilingDecision.FILED, decided_on__gt=start, decided_on__lte=on) | Q(
        kind=Kind.COMPLAINT, mediation_outcome=MediationOutcome.SUCCESS, mediation_ended_on__gt=start, mediation_ended_on__lte=on)
    add("founded_complaint", _grouped(Complaint.objects.filter(founded, business__isnull=False, **mine)))
    add("penalty", _grouped(Case.objects.filter(business__isnull=False, decided_on__gt=start, decided_on__lte=on, exempt=False, **mine)))
    for pk, cls in _credit_classes(on, only).items():
        counts.setdefault(pk, {})["credit_c" if cls == "C" else "credit_d"] = 1
    in_force = Q(listed_on__lte=on) & (Q(removed_on__isnull=True) | Q(removed_on__gt=on))
    listed = (EntryStatus.LISTED, EntryStatus.REMOVED)
    add("abnormal", _grouped(AbnormalEntry.objects.filter(in_force, status__in=listed, **mine)))
    add("serious", _grouped(SeriousEntry.objects.filter(in_force, status__in=listed, list_until__gte=on, **mine)))
    return counts


def explain(static: Static, counts: dict[str, int], w: Weights) -> tuple[int, int, str, list[dict]]:
    """(static points, dynamic points, computed grade, factors as the page shows them)."""
    factors = list(static.factors)
    dynamic = 0
    for key, label, once in DYNAMIC:
        n = counts.get(key, 0)
        if not n:
            continue
        points = w.points[key] * (1 if once else n)
        factors.append({"key": key, "label": label, "count": n, "points": points})
        dynamic += points
    return static.points, dynamic, w.grade(static.points + dynamic), factors


# ---------------------------------------------------------------- the run


@dataclass
class GradeResult:
    year: int
    on: dt.date
    graded: int
    counts: dict
    overrides_kept: int
    seconds: float
    dry_run: bool = False
    run: GradeRun | None = None


def current_grade_run(year: int, on: dt.date) -> GradeRun | None:
    """The grading run of `year` in force on `on` (the latest made by then)."""
    return (GradeRun.objects.filter(year=year, graded_on__lte=on).filter(Q(superseded_on__isnull=True) | Q(superseded_on__gt=on))
            .order_by("-graded_on", "-pk").first())


def grade_all(*, actor: User | None = None, year: int, on: dt.date, dry_run: bool = False, today: dt.date | None = None) -> GradeResult:
    """Grade every food business of `year` on `on`; the run supersedes the year's earlier run from `on`.
    A grade set by hand in the run it supersedes is kept (with its reason), the computed grade beside it."""
    check_planner(actor)
    today = today or timezone.localdate()
    check_year(year, on)
    if on > today:
        raise DomainError("future_date", f"评定日期不能晚于今天（{today}）", {"field": "on"})
    started = time.perf_counter()
    with transaction.atomic():
        latest = GradeRun.objects.select_for_update().filter(year=year, superseded_on__isnull=True).order_by("-graded_on", "-pk").first()
        if latest is not None and on < latest.graded_on:
            raise DomainError("before_last_run", f"{year}年度已于{latest.graded_on}评定，新的评定日期不能早于该日", {"field": "on"})
        w = weights_on(on)
        statics = static_factors(w)
        dynamics = dynamic_counts(w)
        kept = {}
        if latest is not None:
            kept = {g.business_id: g for g in latest.grades.filter(overridden=True)}
        grades = []
        for pk, static in statics.items():
            s, d, computed, factors = explain(static, dynamics.get(pk, {}), w)
            grade = FoodGrade(year=year, graded_on=on, business_id=pk, licence_id=static.licence_id, kind_id=static.kind_id,
                              sector_id=static.sector_id, static_points=s, dynamic_points=d, points=s + d,
                              computed_grade=computed, grade=computed, factors=factors)
            old = kept.get(pk)
            if old is not None:
                grade.grade, grade.overridden, grade.override_reason = old.grade, True, old.override_reason
                grade.override_by_id, grade.override_on = old.override_by_id, old.override_on
            grades.append(grade)
        counts = Counter(g.grade for g in grades)
        counts = {c: counts.get(c, 0) for c in GRADES}
        overrides_kept = sum(g.overridden for g in grades)
        run = None
        if not dry_run:
            with acting(actor):
                if latest is not None:
                    latest.superseded_on = on
                    latest.save(update_fields=["superseded_on"])
                run = GradeRun(year=year, graded_on=on, graded=len(grades), counts=counts, run_by=actor)
                save_valid(run)
                for g in grades:
                    g.run = run
                FoodGrade.objects.bulk_create(grades, batch_size=2000)
                run.seconds = round(time.perf_counter() - started, 3)
                run.save(update_fields=["seconds"])
    return GradeResult(year=year, on=on, graded=len(grades), counts=counts, overrides_kept=overrides_kept,
                       seconds=round(time.perf_counter() - started, 3), dry_run=dry_run, run=run)


def grade_business(business: Business, on: dt.date) -> tuple[int, int, str, list[dict]] | None:
    """The points and factors one business would get on a date (not stored); None: not a food business then."""
    w = weights_on(on)
    static = static_factors(w, only=business.pk).get(business.pk)
    if static is None:
        return None
    return explain(static, dynamic_counts(w, only=business.pk).get(business.pk, {}), w)


# ---------------------------------------------------------------- the override


@transaction.atomic
def grade_override(*, actor: User | None, ip: str | None = None, pk: int, version: int | None, grade: str, reason: str,
                   today: dt.date | None = None) -> FoodGrade:
    """人工调整: set the grade of a business in the run in force by hand, with the reason (audited). Setting it
    back to the computed grade ends the override. The plan in force for the year follows the new grade."""
    check_planner(actor)
    today = today or timezone.localdate()
    try:
        food_grade = FoodGrade.objects.select_for_update().select_related("run", "business").get(pk=pk)
    except FoodGrade.DoesNotExist as exc:
        raise NotFound("风险等级记录不存在") from exc
    check_version(food_grade, version)
    if food_grade.run.superseded_on is not None:
        raise DomainError("superseded", f"该等级所在的评定批次已于{food_grade.run.superseded_on}被重新评定替代，只能调整现行等级",
                          {"field": "grade"})
    if grade not in GRADES:
        raise DomainError("invalid_grade", "风险等级须为 A、B、C、D 之一", {"field": "grade"})
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason_required", "请填写调整理由", {"field": "reason"})
    if len(reason) > 300:
        raise DomainError("reason_too_long", "调整理由不能超过300字", {"field": "reason"})
    if grade == food_grade.grade:
        raise DomainError("nothing_changed", f"现行等级已是{grade}级", {"field": "grade"})
    back = grade == food_grade.computed_grade
    with acting(actor, ip):
        food_grade.grade = grade
        food_grade.overridden = not back
        food_grade.override_reason = "" if back else reason
        food_grade.override_by = None if back else actor
        food_grade.override_on = None if back else today
        food_grade.version += 1
        save_valid(food_grade)
        _replan(food_grade)
    return food_grade


def _replan(food_grade: FoodGrade) -> None:
    """The item of the plan in force for the grade's year follows a changed grade (saved one by one: audited)."""
    plan = PlanRun.objects.filter(year=food_grade.year, superseded_on__isnull=True, grade_run=food_grade.run).first()
    if plan is None:
        return
    item = PlanItem.objects.select_for_update().filter(run=plan, business_id=food_grade.business_id).first()
    if item is None:
        return
    low, high = frequency(food_grade.grade, food_grade.year)
    plan.min_total += low - item.min_inspections
    plan.max_total += high - item.max_inspections
    item.grade, item.min_inspections, item.max_inspections = food_grade.grade, low, high
    item.version += 1
    save_valid(item)
    plan.save(update_fields=["min_total", "max_total"])
