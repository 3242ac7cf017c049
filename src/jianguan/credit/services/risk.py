"""信用风险分类 A–D: the monthly scoring of every existing business from its records, and the manual override.

A business's points on a date D are the sum over the factors below, each read from its own ledger, with the
points, the look-back and the cut-offs of the rules `credit.risk.*` in force on D:

- 未报送年度报告: due for the last report year whose filing window has closed by D, and no filing for it dated
  on or before D (points once);
- 经营异常名录: entries listed (or marked) on or before D and not removed by D (points each);
- 严重违法失信名单: listed on or before D, not removed by D and D not after list_until (points once);
- 行政处罚: penalty decisions (not 不予处罚) in the look-back (D − lookback months, D] (each);
- 抽检不合格: unqualified samples reported in the look-back (each);
- 特种设备超期未检: devices it operates in use on D whose next examination was due before D (each);
- 投诉举报查证属实: reports (举报) the bureau decided to file as a case, and complaints (投诉) mediated
  successfully, in the look-back (each): the two outcomes in which the bureau found the grievance founded;
- 隐患逾期未整改: findings found in the look-back whose deadline passed before D without a rectification
  report or a closing by the deadline (each);
- 新设主体: established less than `credit.risk.new_business_months` before D (points once).

Points at or above cutoff_d → D, cutoff_c → C, cutoff_b → B, else A. The effective class is an open override if
any, else the computed one; it is mirrored on Business.credit_risk_class (what the spot-check strata read) and
kept as a history of periods (RiskClassPeriod) so that the classes can be counted as of any date.

Storage is sparse where it can be: a RiskScore row exists for a business that has (or once had) points; a
business without one scored 0 points, class A, in the last run. A run writes only what changed (risk_store), and
a run after another in the same report year reads the filings and classes only where they may have changed
(risk_delta).
"""

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from jianguan.businesses.models import Business
from jianguan.businesses.services import credit_classes_apply
from jianguan.cases.models import Case
from jianguan.complaints.choices import FilingDecision, Kind, MediationOutcome
from jianguan.complaints.models import Complaint
from jianguan.core.errors import DomainError, NotFound
from jianguan.core.rules import rule_value
from jianguan.core.schedule import periodic
from jianguan.core.services import acting
from jianguan.equipment.choices import EquipmentStatus
from jianguan.equipment.models import Equipment
from jianguan.inspections.choices import FindingStatus
from jianguan.inspections.models import Finding
from jianguan.org.models import User
from jianguan.sampling.choices import Conclusion
from jianguan.sampling.models import Sample

from ..choices import EntryStatus
from ..models import (
    AbnormalEntry,
    RiskClassPeriod,
    RiskOverride,
    RiskRun,
    SeriousEntry,
)
from ..rules import add_months, classify, filing_window_end
from .common import check_decider, not_future, require_text
from .risk_delta import classes_to_check, edited, non_filers_query, non_filers_since, since_last
from .risk_store import chunks, raw, stored_scores, write_periods, write_scores

CLASSES = ("A", "B", "C", "D")
# key, label (the page's wording), counted once whatever the number of records
FACTORS = (
    ("no_annual_report", "未按规定报送年度报告", True),
    ("abnormal", "列入（标记）经营异常名录", False),
    ("serious", "列入严重违法失信名单", True),
    ("penalty", "回溯期内受到行政处罚", False),
    ("unqualified_sample", "回溯期内抽检不合格", False),
    ("overdue_examination", "特种设备超期未检", False),
    ("valid_complaint", "回溯期内投诉举报查证属实", False),
    ("unrectified_finding", "检查发现问题逾期未整改", False),
    ("new_business", "新设主体", True),
)
FACTOR_LABELS = {key: label for key, label, _ in FACTORS}


@dataclass(frozen=True)
class Weights:
    """The rules of the scoring in force on one date."""

    on: dt.date
    points: dict
    cutoff_b: int
    cutoff_c: int
    cutoff_d: int
    lookback_months: int
    new_business_months: int
    report_year: int  # the last year whose annual-report window has closed by `on`

    @property
    def lookback_start(self) -> dt.date:
        """Records dated after this day (and on or before `on`) are in the look-back."""
        return add_months(self.on, -self.lookback_months)

    def classify(self, points: int) -> str:
        return classify(points, cutoff_b=self.cutoff_b, cutoff_c=self.cutoff_c, cutoff_d=self.cutoff_d)


def last_closed_report_year(on: dt.date, deadline_months: int) -> int:
    year = on.year - 1
    return year if on > filing_window_end(year, deadline_months) else year - 1


def weights_on(on: dt.date) -> Weights:
    def value(key):
        return int(rule_value(key, on=on))

    return Weights(
        on=on, points={key: value(f"credit.risk.points.{key}") for key, _, _ in FACTORS},
        cutoff_b=value("credit.risk.cutoff_b"), cutoff_c=value("credit.risk.cutoff_c"), cutoff_d=value("credit.risk.cutoff_d"),
        lookback_months=value("credit.risk.lookback_months"), new_business_months=value("credit.risk.new_business_months"),
        report_year=last_closed_report_year(on, value("credit.annual_report_deadline_months")),
    )


def existing_on(day: dt.date, prefix: str = "") -> Q:
    """存续 on the day: established by then, and still active or ended only later."""
    return Q(**{f"{prefix}established_on__lte": day}) & (
        Q(**{f"{prefix}reg_status": "active"}) | Q(**{f"{prefix}status_date__gt": day})
    )


# ---------------------------------------------------------------- the factors, one grouped query each


def _grouped(qs, field: str = "business_id"):
    return raw(qs.values(field).annotate(n=Count("pk")).order_by().values_list(field, "n"))


def not_existing_on(day: dt.date) -> set[int]:
    """The businesses that do not exist on the day — ended on or before it, or set up after it: a tenth of a
    register, read from the status and establishment indexes. The factors of the record tables are counted
    without joining the million businesses and these are set aside afterwards (a join per factor made
    PostgreSQL hash the whole register six times)."""
    ended = Business.objects.exclude(reg_status="active").filter(status_date__lte=day).order_by().values_list("pk")
    later = Business.objects.filter(established_on__gt=day).order_by().values_list("pk")
    return {pk for (pk,) in raw(ended)} | {pk for (pk,) in raw(later)}


def _factor_rows(w: Weights, only: int | None = None, non_filers: set[int] | None = None):
    """(factor key, rows of (business id, count)) for the businesses that have the factor; those of the record
    tables may include businesses that do not exist on w.on (factor_counts sets them aside). `non_filers`: the
    businesses missing the report year's filing, when the caller knows them (see _non_filers_since)."""
    on, start = w.on, w.lookback_start
    mine = {} if only is None else {"business_id": only}
    # Only the establishment date here: factor_counts sets aside the businesses that do not exist on the day.
    businesses = Business.objects.filter(established_on__lte=on, **({} if only is None else {"pk": only}))
    # In the register's order (ORDER BY id): SQLite then scans the businesses in order and looks each up in the
    # annual reports' (business, year, filed_on) index in order too — without it, it walks a date index and
    # looks them up at random, three times slower. PostgreSQL makes NOT EXISTS a hash anti-join either way.
    if non_filers is None:
        non_filers = [pk for (pk,) in raw(non_filers_query(w.report_year, on, businesses).order_by("pk").values_list("pk"))]
    yield "no_annual_report", ((pk, 1) for pk in non_filers)
    in_force = Q(listed_on__lte=on) & (Q(removed_on__isnull=True) | Q(removed_on__gt=on))
    listed = (EntryStatus.LISTED, EntryStatus.REMOVED)
    yield "abnormal", _grouped(AbnormalEntry.objects.filter(in_force, status__in=listed, **mine))
    yield "serious", _grouped(SeriousEntry.objects.filter(in_force, status__in=listed, list_until__gte=on, **mine))
    yield "penalty", _grouped(Case.objects.filter(business__isnull=False, decided_on__gt=start, decided_on__lte=on, exempt=False, **mine))
    yield "unqualified_sample", _grouped(
        Sample.objects.filter(business__isnull=False, conclusion=Conclusion.UNQUALIFIED, report_on__gt=start, report_on__lte=on, **mine)
    )
    in_use = Q(registered_on__lte=on) & (Q(status=EquipmentStatus.IN_USE) | Q(status_date__gt=on))
    yield "overdue_examination", _grouped(
        Equipment.objects.filter(in_use, operator__isnull=False, next_due__lt=on,
                                 **({} if only is None else {"operator_id": only})), "operator_id")
    founded = Q(kind=Kind.REPORT, filing_decision=FilingDecision.FILED, decided_on__gt=start, decided_on__lte=on) | Q(
        kind=Kind.COMPLAINT, mediation_outcome=MediationOutcome.SUCCESS, mediation_ended_on__gt=start, mediation_ended_on__lte=on
    )
    yield "valid_complaint", _grouped(Complaint.objects.filter(founded, business__isnull=False, **mine))
    on_time = Q(status__in=(FindingStatus.REPORTED, FindingStatus.CLOSED), reported_on__lte=F("deadline")) | Q(
        status=FindingStatus.CLOSED, closed_on__lte=F("deadline")
    )
    yield "unrectified_finding", _grouped(
        Finding.objects.filter(business__isnull=False, found_on__gt=start, found_on__lte=on, deadline__lt=on, **mine).exclude(on_time)
    )
    yield "new_business", ((pk, 1) for (pk,) in raw(businesses.filter(established_on__gt=add_months(on, -w.new_business_months))
                                                     .order_by().values_list("pk")))


def factor_counts(w: Weights, only: int | None = None, dead: set[int] | None = None,
                  non_filers: set[int] | None = None) -> dict[int, dict[str, int]]:
    """{business id: {factor: count}} for every business existing on w.on with at least one factor (`dead`:
    not_existing_on(w.on), when the caller has it already)."""
    dead = not_existing_on(w.on) if dead is None else dead
    counts: dict[int, dict[str, int]] = {}
    for key, rows in _factor_rows(w, only, non_filers):
        for pk, n in rows:
            if n and pk not in dead:
                counts.setdefault(pk, {})[key] = n
    return counts


def explain(counts: dict[str, int], w: Weights) -> tuple[int, str, list[dict]]:
    """(points, computed class, factors as the page shows them) of one business's factor counts."""
    factors, total = [], 0
    for key, label, once in FACTORS:
        n = counts.get(key, 0)
        if not n:
            continue
        points = w.points[key] * (1 if once else n)
        if key == "no_annual_report":
            label = f"未按规定报送{w.report_year}年度报告"
        factors.append({"key": key, "label": label, "count": n, "points": points})
        total += points
    return total, w.classify(total), factors


# ---------------------------------------------------------------- the run


@dataclass
class RunResult:
    on: dt.date
    scored: int
    scores_written: int
    classes_changed: int
    counts: dict
    seconds: float
    dry_run: bool = False


def _open_overrides(on: dt.date, only: int | None = None) -> dict[int, str]:
    qs = RiskOverride.objects.filter(ended_on__isnull=True, set_on__lte=on)
    if only is not None:
        qs = qs.filter(business_id=only)
    found = dict(qs.values_list("business_id", "risk_class"))
    # The few overridden businesses first, then whether they exist: joined the other way round, SQLite walks
    # every business to find the overrides of an almost empty table.
    live = set()
    for chunk in chunks(found):
        live.update(Business.objects.filter(existing_on(on), pk__in=chunk).values_list("pk", flat=True))
    return {pk: cls for pk, cls in found.items() if pk in live}


def _live(on: dt.date, dead: set[int] | None = None):
    """live_of(ids) for write_scores: which of some businesses exist on the day."""
    if dead is not None:
        return lambda ids: [b for b in ids if b not in dead]

    def live_of(ids):
        live = []
        for chunk in chunks(ids):
            live.extend(Business.objects.filter(existing_on(on), pk__in=chunk).values_list("pk", flat=True))
        return live

    return live_of


def _report_year_of(day: dt.date) -> int:
    return last_closed_report_year(day, int(rule_value("credit.annual_report_deadline_months", on=day)))


def _current_classes(on: dt.date, last: RiskRun | None, dead: set[int], check: set[int] | None) -> tuple[dict[int, str], set[int]]:
    """(the classes on the register the run compares with, the businesses that get a class period even when
    their class stays: those registered since the last run). The first time, every business; after that the
    businesses not in class A (a million rows hold a few in B–D, which the class index finds) — or only `check`,
    when the run starts from the last one (risk_delta.classes_to_check)."""
    if last is None:
        current = dict(Business.objects.filter(existing_on(on)).values_list("pk", "credit_risk_class").iterator(chunk_size=10_000))
        return current, set(current)
    touched = {pk for (pk,) in raw(Business.objects.filter(pk__gt=last.last_business_id).order_by().values_list("pk"))} - dead
    if check is not None:
        current = {}
        for chunk in chunks(check):
            current.update(raw(Business.objects.filter(pk__in=chunk).order_by().values_list("pk", "credit_risk_class")))
        return current, touched
    # 未分类 businesses that have ended (never scored, many in an old register) are set aside through the status
    # index, and any other that ended is left out by the caller.
    current = dict(raw(Business.objects.filter(credit_risk_class__in=["", "B", "C", "D"]).order_by().values_list("pk", "credit_risk_class")))
    return {pk: cls for pk, cls in current.items() if cls or pk not in dead}, touched


def risk_score_all(*, actor: User | None = None, on: dt.date, dry_run: bool = False) -> RunResult:
    """Score every business existing on `on`, store what changed, and apply the effective classes."""
    check_decider(actor)
    started, started_at = time.perf_counter(), timezone.now()
    with transaction.atomic():
        w = weights_on(on)
        dead = not_existing_on(on)
        last = RiskRun.objects.order_by("-finished_at").first()
        old = stored_scores()
        since = since_last(last, on, w.report_year, _report_year_of)
        edited_ids = edited(since) if since else set()
        non_filers = non_filers_since(since, w.report_year, on, old, edited_ids) if since else None
        # Most businesses with points share a few combinations of counts: explain each combination once.
        explained: dict[tuple, tuple] = {}
        new = {}
        for pk, counts in factor_counts(w, dead=dead, non_filers=non_filers).items():
            key = tuple(sorted(counts.items()))
            if key not in explained:
                explained[key] = explain(counts, w)
            new[pk] = explained[key]
        overrides = _open_overrides(on)
        effective = {pk: row[1] for pk, row in new.items() if row[1] != "A"}
        effective.update(overrides)
        check = None
        if since:
            computed_changed = {pk for pk in set(new) | set(old)
                                if (new[pk][1] if pk in new else "A") != (old[pk][0] if pk in old else "A")}
            check = classes_to_check(since, on, computed_changed, edited_ids)
        current, touched = _current_classes(on, last, dead, check)
        changes = {}
        for pk in set(current) | touched | (set(effective) if check is None else set()):
            want = effective.get(pk, "A")
            if current.get(pk, "A") != want:
                changes[pk] = want
        if last is not None:  # a business that ended keeps its last class
            changes = {pk: cls for pk, cls in changes.items() if pk not in dead}
        total = Business.objects.count() - len(dead)
        counts = Counter(effective.values())
        counts["A"] = total - sum(counts[c] for c in CLASSES if c != "A")
        counts = {c: counts.get(c, 0) for c in CLASSES}
        last_id = Business.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        if not dry_run:
            written = write_scores(new, on, old, _live(on, dead))
            write_periods({pk: (effective.get(pk, "A"), pk in overrides) for pk in set(changes) | touched}, on)
            credit_classes_apply(classes=changes, on=on, stamp=started_at)
            seconds = time.perf_counter() - started
            with acting(actor):
                RiskRun.objects.create(run_on=on, started_at=started_at, seconds=round(seconds, 3), scored=total, scores_written=written,
                                       classes_changed=len(changes), counts=counts, run_by=actor, last_business_id=last_id)
        else:
            written = len(new)
            transaction.set_rollback(True)
    return RunResult(on=on, scored=total, scores_written=written, classes_changed=len(changes), counts=counts,
                     seconds=round(time.perf_counter() - started, 3), dry_run=dry_run)


def score_business(business: Business, on: dt.date) -> tuple[int, str, list[dict]]:
    """The points, computed class and factors of one business on a date (not stored)."""
    w = weights_on(on)
    return explain(factor_counts(w, only=business.pk).get(business.pk, {}), w)


def _apply_one(business: Business, on: dt.date) -> str:
    """Re-score one business on `on`, store its score, and apply its effective class (after an override
    is set or ended)."""
    w = weights_on(on)
    counts = factor_counts(w, only=business.pk)
    new = {pk: explain(c, w) for pk, c in counts.items()}
    write_scores(new, on, stored_scores(only=business.pk), _live(on))
    overrides = _open_overrides(on, only=business.pk)
    want = overrides.get(business.pk) or (new[business.pk][1] if business.pk in new else "A")
    write_periods({business.pk: (want, business.pk in overrides)}, on)
    if business.credit_risk_class != want:
        credit_classes_apply(classes={business.pk: want}, on=on)
    return want


# ---------------------------------------------------------------- overrides


def _business_for_override(pk: int) -> Business:
    try:
        return Business.objects.select_for_update().get(pk=pk)
    except Business.DoesNotExist as exc:
        raise NotFound("市场主体不存在") from exc


@transaction.atomic
def risk_override_set(*, actor: User | None, ip: str | None = None, business_pk: int, risk_class: str, reason: str,
                      on: dt.date | None = None, today: dt.date | None = None) -> RiskOverride:
    """人工调整: replace the computed class of a business with `risk_class` from `on` until ended."""
    from django.utils import timezone

    check_decider(actor)
    today = today or timezone.localdate()
    on = on or today
    not_future(on, "set_on", "调整日期", today)
    if risk_class not in CLASSES:
        raise DomainError("invalid_credit_class", "人工分类须为 A、B、C、D 之一", {"field": "risk_class"})
    reason = require_text(reason, "reason", "调整理由")
    business = _business_for_override(business_pk)
    if not Business.objects.filter(existing_on(on), pk=business.pk).exists():
        raise DomainError("business_ended", f"{business.name}在{on}不是存续的市场主体，不能调整信用风险分类", {"field": "set_on"})
    if RiskOverride.objects.filter(business=business, ended_on__isnull=True).exists():
        raise DomainError("override_open", "该市场主体已有生效的人工调整，请先撤销再重新调整", {"field": "risk_class"})
    last = RiskClassPeriod.objects.filter(business=business).order_by("-valid_from").first()
    if last is not None and on < last.valid_from:
        raise DomainError("before_last_change", f"调整日期不能早于该主体最近一次分类变动日期（{last.valid_from}）", {"field": "set_on"})
    with acting(actor, ip):
        override = RiskOverride(business=business, risk_class=risk_class, reason=reason, set_on=on, set_by=actor)
        override.full_clean()
        override.save()
    _apply_one(business, on)
    return override


@transaction.atomic
def risk_override_end(*, actor: User | None, ip: str | None = None, pk: int, on: dt.date | None = None,
                      today: dt.date | None = None) -> RiskOverride:
    """撤销人工调整: from `on` the business has its computed class again (re-scored on that day)."""
    from django.utils import timezone

    check_decider(actor)
    today = today or timezone.localdate()
    on = on or today
    not_future(on, "ended_on", "撤销日期", today)
    try:
        override = RiskOverride.objects.select_for_update().get(pk=pk)
    except RiskOverride.DoesNotExist as exc:
        raise NotFound("人工调整记录不存在") from exc
    if override.ended_on is not None:
        raise DomainError("override_ended", f"该人工调整已于{override.ended_on}撤销", {"field": "ended_on"})
    if on < override.set_on:
        raise DomainError("before_set", f"撤销日期不能早于调整日期（{override.set_on}）", {"field": "ended_on"})
    with acting(actor, ip):
        override.ended_on, override.ended_by = on, actor
        override.save(update_fields=["ended_on", "ended_by"])
    _apply_one(_business_for_override(override.business_id), on)
    return override


# ---------------------------------------------------------------- the monthly job


@periodic("credit.risk_score_monthly", every=dt.timedelta(hours=6), label="每月信用风险评分（每月1日起的首次运行）")
def risk_score_monthly() -> int | None:
    # Checked several times a day and run once a month: the first check of a month that finds no run dated in
    # it scores on that day, so a worker that was down on the 1st catches up when it starts.
    from django.utils import timezone

    today = timezone.localdate()
    if RiskRun.objects.filter(run_on__gte=today.replace(day=1), run_on__lte=today).exists():
        return None
    return risk_score_all(actor=None, on=today).classes_changed
