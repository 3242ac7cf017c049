"""Every read of sampling for a user, scoped to the actor's jurisdiction: a station sees the samples and
quick tests of its subdistricts (by the sampled business's subdistrict; one without a subdistrict belongs
to the bureau's departments), the departments and the leadership see all. Plans are bureau-wide: everyone
sees them, and what a station sees of a plan's progress is counted in its own jurisdiction."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet

from jianguan.core.errors import DomainError, NotFound
from jianguan.core.models import ProvisionalDeadline
from jianguan.core.rules import rule_value
from jianguan.org.choices import Role
from jianguan.org.models import User
from jianguan.org.selectors import scope_q

from .choices import Conclusion, DisposalStatus, QuickTestResult, SamplingType
from .models import BusinessFormat, FoodCategory, PlanTarget, QuickTest, Sample, SamplingPlan
from .rules import pass_rate, per_thousand

POPULATION_RULE = "region.population"
DUE_KINDS = ("overdue", "soon", "open")
# What a list's `pending` filter narrows to, and the clock its `due` filter reads.
PENDING = {
    "disposal": (Q(disposal_status=DisposalStatus.DISPOSING), "disposal_due"),
    "service": (Q(conclusion=Conclusion.UNQUALIFIED, served_on__isnull=True), "service_due"),
}
SAMPLE_FILTERS = {
    "sampling_type": "sampling_type",
    "format": "business_format__code",
    "category": "food_category__code",
    "conclusion": "conclusion",
    "disposal": "disposal_status",
    "station": "subdistrict__station__code",
}


def due_q(field: str, due: str, *, on: dt.date, until: dt.date) -> Q:
    """已逾期 (before `on`) or 即将到期 (`on` up to `until`) on a deadline field; `open`: any."""
    if due == "overdue":
        return Q(**{f"{field}__lt": on})
    if due == "soon":
        return Q(**{f"{field}__gte": on, f"{field}__lte": until})
    return Q()


# ---------------------------------------------------------------- samples


def _samples(actor: User) -> QuerySet[Sample]:
    return Sample.objects.filter(scope_q(actor=actor)).select_related(
        "subdistrict__station", "business_format", "food_category", "business")


def sample_list(*, actor: User, filters: dict | None = None) -> QuerySet[Sample]:
    """Samples in the actor's scope, narrowed by the list's filters: q (抽样单编号, 被抽样单位 or 样品名称,
    or a USCC exactly), sampling_type, format and category (codes), conclusion, disposal (处置状态),
    station (code), year and sampled_from/sampled_to (抽样日期), business (pk); `pending` (disposal:
    核查处置中; service: 不合格 not yet served) with `due` (overdue/soon/open, with `on`/`until`) on that
    clock. The latest sampled first."""
    filters = filters or {}
    qs = _samples(actor)
    for key, lookup in SAMPLE_FILTERS.items():
        value = filters.get(key)
        if value := value.strip() if isinstance(value, str) else value:
            qs = qs.filter(**{lookup: value})
    if year := filters.get("year"):
        qs = qs.filter(sampled_on__year=int(year))
    if since := filters.get("sampled_from"):
        qs = qs.filter(sampled_on__gte=since)
    if until := filters.get("sampled_to"):
        qs = qs.filter(sampled_on__lte=until)
    if business := filters.get("business"):
        qs = qs.filter(business_id=business)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(number__icontains=q) | Q(business_name__icontains=q) | Q(sample_name__icontains=q)
                       | Q(business_uscc=q.upper()))
    due, pending = filters.get("due") or "", filters.get("pending") or ""
    if due and not pending:
        pending = "disposal"
    if pending in PENDING:
        narrow, clock = PENDING[pending]
        qs = qs.filter(narrow)
        if due in DUE_KINDS and filters.get("on"):
            on = filters["on"]
            qs = qs.filter(due_q(clock, due, on=on, until=filters.get("until") or on))
    return qs.order_by("-sampled_on", "-pk")


def sample_get(*, actor: User, pk: int) -> Sample:
    found = _samples(actor).select_related("lead", "campaign", "created_by").filter(pk=pk).first()
    if found is None:
        raise NotFound("样品不存在，或不在您的辖区范围内")
    return found


def provisional_clocks(sample: Sample) -> set[str]:
    """The clocks of a sample counted on plain weekdays (their year's calendar not known yet): 暂定."""
    if not sample.dues_provisional:
        return set()
    return set(ProvisionalDeadline.objects.filter(app_label="sampling", object_ref=f"sample:{sample.pk}",
                                                  resolved_at__isnull=True).values_list("field_name", flat=True))


def sample_counts(qs: QuerySet[Sample], *, on: dt.date) -> dict[str, int]:
    """One query for a list's head: all, 不合格, 核查处置中, of which past the disposal deadline."""
    return qs.order_by().aggregate(
        total=Count("id"), unqualified=Count("id", filter=Q(conclusion=Conclusion.UNQUALIFIED)),
        disposing=Count("id", filter=Q(disposal_status=DisposalStatus.DISPOSING)),
        overdue=Count("id", filter=Q(disposal_status=DisposalStatus.DISPOSING, disposal_due__lt=on)),
    )


def disposals_pending(*, actor: User) -> QuerySet[Sample]:
    """Unqualified samples whose disposal (核查处置) is not complete, the nearest deadline first."""
    return _samples(actor).filter(PENDING["disposal"][0]).order_by("disposal_due", "pk")


def services_pending(*, actor: User) -> QuerySet[Sample]:
    """Unqualified results not yet served on the business, the nearest service deadline first."""
    return _samples(actor).filter(PENDING["service"][0]).order_by("service_due", "pk")


def business_q(business, prefix: str = "business") -> Q:
    """A registered business's records: linked to it, or kept by its code before it was registered."""
    return Q(**{prefix: business}) | Q(**{f"{prefix}_uscc": business.uscc})


def samples_of_business(*, actor: User, business) -> QuerySet[Sample]:
    return _samples(actor).filter(business_q(business))


# ---------------------------------------------------------------- quick tests


def _quicktests(actor: User) -> QuerySet[QuickTest]:
    return QuickTest.objects.filter(scope_q(actor=actor)).select_related("subdistrict__station", "business", "sample")


def quicktest_list(*, actor: User, filters: dict | None = None) -> QuerySet[QuickTest]:
    """Quick tests in the actor's scope: q (样品名称, 检测地点, or a USCC exactly), result, mode, item,
    year and tested_from/tested_to, `followed` (0: a positive without its follow-up sample). Latest first."""
    filters = filters or {}
    qs = _quicktests(actor)
    for key in ("result", "mode", "item"):
        if value := (filters.get(key) or "").strip():
            qs = qs.filter(**{key: value})
    if year := filters.get("year"):
        qs = qs.filter(tested_on__year=int(year))
    if since := filters.get("tested_from"):
        qs = qs.filter(tested_on__gte=since)
    if until := filters.get("tested_to"):
        qs = qs.filter(tested_on__lte=until)
    if filters.get("unfollowed"):
        qs = qs.filter(result=QuickTestResult.POSITIVE, sample__isnull=True)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(product__icontains=q) | Q(place__icontains=q) | Q(business_uscc=q.upper()))
    return qs.order_by("-tested_on", "-pk")


def quicktest_get(*, actor: User, pk: int) -> QuickTest:
    found = _quicktests(actor).select_related("campaign", "created_by").filter(pk=pk).first()
    if found is None:
        raise NotFound("快检记录不存在，或不在您的辖区范围内")
    return found


def quicktests_of_business(*, actor: User, business) -> QuerySet[QuickTest]:
    return _quicktests(actor).filter(business_q(business)).order_by("-tested_on", "-pk")


# ---------------------------------------------------------------- plans


def plan_list(*, actor: User) -> QuerySet[SamplingPlan]:
    return SamplingPlan.objects.select_related("department", "created_by").order_by("-year", "department__code")


def plan_get(*, actor: User, pk: int) -> SamplingPlan:
    found = plan_list(actor=actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("抽检计划不存在")
    return found


def population(*, actor: User, on: dt.date) -> tuple[int | None, str]:
    """The population of the actor's jurisdiction in force on `on` (rule `region.population`, or
    `region.population.<station code>` for a station's staff), with the rule's key; None when no version
    is in force (the figure is left empty and the page says which rule to set)."""
    key = POPULATION_RULE
    if actor.role == Role.STATION and actor.org_unit_id:
        key = f"{POPULATION_RULE}.{actor.org_unit.code}"
    try:
        value = rule_value(key, on=on)
    except DomainError:
        return None, key
    return (int(value) if value > 0 else None), key


@dataclass
class TargetProgress:
    label: str
    target: int
    done: int

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (Decimal(self.done) * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def short(self) -> bool:
        return self.done < self.target


@dataclass
class PlanProgress:
    plan: SamplingPlan
    on: dt.date
    scope: str
    batches: int
    by_type: dict[str, int]
    qualified: int
    unqualified: int
    total: TargetProgress
    targets: list[TargetProgress] = field(default_factory=list)
    population: int | None = None
    population_key: str = ""
    population_on: dt.date | None = None
    per_thousand: Decimal | None = None

    @property
    def pass_rate(self) -> Decimal | None:
        return pass_rate(self.qualified, self.unqualified)


def plan_progress(*, actor: User, plan: SamplingPlan, on: dt.date) -> PlanProgress:
    """The samples of the plan's year (抽样日期 in the year, up to `on`) in the actor's scope against the
    plan: all batches, each target line (a 食品大类, a 业态, or both), and 批次/千人 over the population in
    force on the year's last day (or on `on` within the year). One grouped query over the samples."""
    start, end = dt.date(plan.year, 1, 1), dt.date(plan.year, 12, 31)
    qs = Sample.objects.filter(scope_q(actor=actor), sampled_on__gte=start, sampled_on__lte=min(end, on)).order_by()
    cells = list(qs.values("food_category_id", "business_format_id", "sampling_type", "conclusion").annotate(n=Count("id")))
    batches = sum(c["n"] for c in cells)
    judged = [c for c in cells if c["sampling_type"] != SamplingType.RISK]
    by_type = {label: sum(c["n"] for c in cells if c["sampling_type"] == value) for value, label in SamplingType.choices}
    targets = []
    # Category lines first, then 业态 lines (NULLs sort differently on SQLite and PostgreSQL: say where).
    order = (F("food_category__order").asc(nulls_last=True), F("business_format__order").asc(nulls_last=True), "pk")
    for t in PlanTarget.objects.filter(plan=plan).select_related("food_category", "business_format").order_by(*order):
        done = sum(c["n"] for c in cells if (t.food_category_id is None or c["food_category_id"] == t.food_category_id)
                   and (t.business_format_id is None or c["business_format_id"] == t.business_format_id))
        label = "·".join(str(x) for x in (t.food_category, t.business_format) if x is not None)
        targets.append(TargetProgress(label, t.batches, done))
    population_on = end if on < start else min(end, on)
    people, key = population(actor=actor, on=population_on)
    return PlanProgress(
        plan=plan, on=on, scope="全局" if actor.role != Role.STATION else f"{actor.org_unit}辖区", batches=batches, by_type=by_type,
        qualified=sum(c["n"] for c in judged if c["conclusion"] == Conclusion.QUALIFIED),
        unqualified=sum(c["n"] for c in judged if c["conclusion"] == Conclusion.UNQUALIFIED),
        total=TargetProgress("全部批次", plan.batches, batches), targets=targets, population=people, population_key=key,
        population_on=population_on, per_thousand=per_thousand(batches, people),
    )


def references() -> dict:
    """The reference tables a form or filter offers (disabled rows left out)."""
    return {"formats": BusinessFormat.objects.filter(disabled_on__isnull=True),
            "categories": FoodCategory.objects.filter(disabled_on__isnull=True)}
