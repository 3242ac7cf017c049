"""The indicator registry: every figure a report can quote, declared by the app that owns the ledger.

An app's `indicators.py` calls `register(Indicator(...))`. Indicators over the same source (one
model) are computed together in ONE grouped query with conditional aggregation, so a report reads
each table once however many of its figures it quotes. `drilldown()` returns exactly the records
that a figure counts, so every number can be traced.
"""

import importlib
import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum

from .errors import DomainError
from .periods import Params, Scope

RATIOS = ("rate", "per_thousand")
UNITS = ("批次/千人", "户", "户次", "家", "台", "起", "批次", "件", "元", "%", "条", "人次", "次", "项", "份", "个", "名")


@dataclass(frozen=True)
class Dimension:
    """What a figure is broken down by. `choices` are (stored value, key label) pairs in report order —
    or a callable returning them, for reference tables — and `names` gives a label's display name
    when the key uses a code (`equipment.registered[3000]` is 电梯)."""

    field: str  # model field path grouped by, e.g. "entity_type"
    label: str  # 主体类型
    choices: tuple[tuple[str, str], ...] | Callable[[], tuple[tuple[str, str], ...]] = ()
    names: Callable[[], dict[str, str]] | None = None

    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple(self.choices()) if callable(self.choices) else self.choices

    def name_of(self, label: str) -> str:
        return (self.names() if self.names else {}).get(label, label)


_REFERENCE_TTL = 60.0  # seconds a reference table's rows are cached (an administrator rarely adds one)
_reference_cache: dict[str, tuple[float, tuple[tuple[int, str], ...]]] = {}


def reference_choices(model):
    """Dimension choices over a reference table (core.models.Reference): (pk, name) of every row in its order,
    disabled ones too (old records keep theirs); cached briefly so that rendering a report's parts costs no
    query per part."""

    def pairs() -> tuple[tuple[int, str], ...]:
        now = time.monotonic()
        found = _reference_cache.get(model._meta.label)
        if found is None or now - found[0] > _REFERENCE_TTL:
            found = (now, tuple(model.objects.order_by("order", "code").values_list("pk", "name")))
            _reference_cache[model._meta.label] = found
        return found[1]

    return pairs


def clear_reference_cache() -> None:
    _reference_cache.clear()


@dataclass(frozen=True)
class Column:
    header: str
    path: str  # attribute path on the record, e.g. "subdistrict.name"; "get_x_display" works too


# In what `part_counts` returns: the figure's total, counted in the same pass as its parts (else the engine counts
# the records `condition` admits).
TOTAL = "__total__"


@dataclass(frozen=True, eq=False)
class SharedParts:
    """`part_counts` for several figures over the same records (same `queryset` and `scope_field`) that one pass
    counts together when a report asks for them together: `run(records, admitted, params)` gets the scoped records
    and {figure key: Q of the records it counts (`where` & `residual`)}, and returns {figure key: {stored value:
    count, …, TOTAL: total}}. One read of the records and their joins instead of one per figure."""

    run: Callable[[QuerySet, dict, Params], dict]


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str
    definition: str
    uses: str  # "as_of" (a stock, 截至) or "period" (a flow within the period)
    source: str = ""  # figures with the same source share one query
    queryset: Callable[[], QuerySet] | None = None  # unscoped base records
    condition: Callable[[Params], Q] | None = None  # which base records this figure counts
    # Path to the record's subdistrict. "" for records of the bureau itself that belong to no jurisdiction
    # (a spot-check plan, a name list): every scope counts all of them, and the definition says so.
    scope_field: str = "subdistrict"
    dimension: Dimension | None = None
    # count | sum | rate (numerator ÷ denominator × 100) | per_thousand (numerator ÷ population × 1000, the
    # population being the rule `denominator` for the report's scope, see `population`). A rate with a
    # dimension is computed part by part over its numerator's and denominator's parts (same dimension).
    aggregate: str = "count"
    sum_field: str = ""
    distinct_field: str = ""  # count distinct values of this field instead of records (e.g. operators)
    numerator: str = ""  # rates: the indicators divided
    denominator: str = ""  # rates: the indicator divided by; per_thousand: the population rule's key
    columns: tuple[Column, ...] = field(default_factory=tuple)
    # A cheap, index-friendly superset of `condition` (e.g. a date range). When every figure of a pass
    # has one, the pass reads only the rows they admit instead of the whole table.
    where: Callable[[Params], Q] | None = None
    # A figure that is arithmetic on others of the same pass, so the pass counts fewer things:
    # ("+", a, b, …) sum, ("-", a, b) difference, ("[]", a, part) one part of a. Its `condition` still
    # defines the drill-down, which must list exactly as many records (the link test checks it).
    derived: tuple = ()
    # With a `where` shared by its whole pass: the rest of the condition, counted inside that prefilter
    # (condition must equal where & residual, which the drill-down uses).
    residual: Callable[[Params], Q] | None = None
    # Parameters beyond period, as-of date and scope that the figure cannot do without, e.g.
    # ("campaign",) for a campaign's figures: computing or drilling into it without one is refused.
    requires: tuple[str, ...] = ()
    # Count each part of the dimension with a filter of its own instead of grouping the rows: for a pass over
    # a join, which SQLite groups by sorting every joined row (the filings joined to their businesses: 0.68 s
    # grouped, 0.44 s by filter at a million). A static choice list only; values outside it count in the total.
    parts_by_filter: bool = False
    # A dimension the records reach through a many-valued relation, so a record may fall in several parts or in
    # none (an inspection's 业态 are those of every licence its subject held that day): the figure counts its parts
    # itself, `part_counts(records, params)` giving {stored value: count} from the records (in scope) that `where`
    # & `residual` admit — typically a join grouped by the value, each record (or `distinct_field` value) counted
    # once per part; the total counts the records `condition` admits (it must admit exactly those with at least
    # one part, each once), and a part's drill-down lists the records `part_condition(params, stored value)` admits.
    # A `SharedParts` instead: counted with the other figures naming it in one pass.
    part_counts: Callable[[QuerySet, Params], dict] | SharedParts | None = None
    part_condition: Callable[[Params, object], Q] | None = None

    @property
    def is_rate(self) -> bool:
        """A ratio computed from other figures (a rate, a per-thousand figure): it drills into its
        numerator's records."""
        return self.aggregate in RATIOS

    @property
    def depends_on(self) -> tuple[str, ...]:
        if self.aggregate == "per_thousand":
            return (self.numerator,)  # the denominator is a rule, not a figure
        if self.is_rate:
            return (self.numerator, self.denominator)
        if self.derived:
            op, *args = self.derived
            return (args[0],) if op == "[]" else tuple(args)
        return ()

    def describe_params(self) -> str:
        base = "截至日期" if self.uses == "as_of" else "统计期间"
        extra = [(_PARAMETERS[n].label if n in _PARAMETERS and _PARAMETERS[n].label else n) for n in self.requires]
        return "、".join([base, *extra])


_REGISTRY: dict[str, Indicator] = {}
_DISCOVERED = False


@dataclass(frozen=True)
class ParameterSpec:
    """An optional report parameter some figures require: what to say when it is missing, and a
    check of its value (registered by the app that knows what the value names)."""

    name: str
    missing: str  # the Chinese message when a figure needs it and none was given
    check: Callable[[str], None] | None = None  # raises DomainError for a value that names nothing
    label: str = ""  # 专项行动


_PARAMETERS: dict[str, ParameterSpec] = {}


def register_parameter(spec: ParameterSpec) -> ParameterSpec:
    _PARAMETERS[spec.name] = spec
    return spec


def check_required(indicators: Iterable[Indicator], params: Params) -> None:
    """Refuse figures whose required parameter is missing or names nothing (with a Chinese message)."""
    _discover()
    for name in sorted({n for ind in indicators for n in ind.requires}):
        spec = _PARAMETERS.get(name) or ParameterSpec(name, f"请指定参数“{name}”")
        value = getattr(params, name, "")
        if not value:
            raise DomainError(f"missing_{name}", spec.missing, {"parameter": name})
        if spec.check is not None:
            spec.check(value)


def register(indicator: Indicator) -> Indicator:
    if indicator.unit not in UNITS:
        raise ValueError(f"{indicator.key}: unknown unit {indicator.unit}")
    if indicator.is_rate != bool(indicator.numerator and indicator.denominator):
        raise ValueError(f"{indicator.key}: a rate needs a numerator and a denominator, nothing else does")
    if indicator.aggregate == "per_thousand" and indicator.dimension is not None:
        raise ValueError(f"{indicator.key}: a per-thousand figure has one population, so no parts")
    if indicator.key.startswith("campaign.") and "campaign" not in indicator.requires:
        raise ValueError(f"{indicator.key}: a campaign's figure requires the campaign parameter")
    if bool(indicator.part_counts) != bool(indicator.part_condition) or (indicator.part_counts and not indicator.dimension):
        raise ValueError(f"{indicator.key}: parts counted by the figure need a dimension, part_counts and part_condition")
    _REGISTRY[indicator.key] = indicator
    return indicator


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    for app in settings.INSTALLED_APPS:
        if app.startswith("jianguan."):
            try:
                importlib.import_module(f"{app}.indicators")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.indicators":
                    raise
    _DISCOVERED = True


def all_indicators() -> list[Indicator]:
    _discover()
    return sorted(_REGISTRY.values(), key=lambda i: i.key)


def get_indicator(key: str) -> Indicator:
    _discover()
    try:
        return _REGISTRY[key]
    except KeyError:
        raise DomainError("unknown_indicator", f"未知的指标“{key}”", {"key": key}) from None


def dimension_key(key: str, label: str) -> str:
    return f"{key}[{label}]"


def _scoped(indicator: Indicator, params: Params, actor) -> QuerySet:
    from jianguan.org.selectors import scope_q  # org sits above core

    qs = indicator.queryset()
    path = indicator.scope_field
    if not path:  # bureau-level records: no jurisdiction to narrow to
        return qs
    if params.scope.kind == "station":
        qs = qs.filter(**{f"{path}__station__code": params.scope.code})
    elif params.scope.kind == "subdistrict":
        qs = qs.filter(**{f"{path}__code": params.scope.code})
    if actor is not None:
        qs = qs.filter(scope_q(actor=actor, subdistrict_field=path))
    return qs


def _shared_where(group: list[Indicator], params: Params) -> Q | None:
    if not all(ind.where for ind in group):
        return None
    first = group[0].where(params)
    return first if all(ind.where(params) == first for ind in group[1:]) else None


def _aggregate(indicator: Indicator, params: Params, residual: bool = False, part: Q | None = None):
    cond = indicator.residual(params) if residual and indicator.residual else indicator.condition(params)
    if part is not None:
        cond &= part
    if indicator.aggregate == "sum":
        return Sum(indicator.sum_field, filter=cond)
    if indicator.distinct_field:
        return Count(indicator.distinct_field, filter=cond, distinct=True)
    return Count("pk", filter=cond)


def _rate(numerator, denominator, per: int = 100) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator or 0) * per / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def population_key(key: str, scope: Scope) -> str:
    """The rule holding the population of the report's area: `key` for the bureau's whole district,
    `key.<station code>` for a station's, `key.<subdistrict code>` for a subdistrict's."""
    return key if scope.kind == "bureau" else f"{key}.{scope.code}"


def population(key: str, params: Params) -> int | None:
    """The population of the report's scope in force on the period's last day (rule `population_key`);
    None when no version is in force then or its value is not a positive number: the figure is then
    left empty, never guessed."""
    from .models import Rule  # models load after this registry
    from .rules import parse_rule_value

    rule_key = population_key(key, params.scope)
    rule = Rule.objects.filter(key=rule_key, valid_from__lte=params.period.end).order_by("-valid_from").first()
    if rule is None:
        return None
    try:
        value = parse_rule_value(rule.value, rule.unit, rule_key)
    except DomainError:
        return None
    return int(value) if value > 0 else None


def _ratio(ind: Indicator, values: dict, params: Params) -> dict:
    """A rate (× 100, and part by part when it has a dimension) or a per-thousand figure (× 1000 over
    the population of the report's scope)."""
    if ind.aggregate == "per_thousand":
        return {ind.key: _rate(values[ind.numerator], population(ind.denominator, params), per=1000)}
    out = {ind.key: _rate(values[ind.numerator], values[ind.denominator])}
    if ind.dimension:
        for part in (ind.numerator, ind.denominator):
            if get_indicator(part).dimension != ind.dimension:
                raise ValueError(f"{ind.key}: a rate by parts needs {part} broken down by the same dimension")
        for _, label in ind.dimension.pairs():
            out[dimension_key(ind.key, label)] = _rate(
                values.get(dimension_key(ind.numerator, label)), values.get(dimension_key(ind.denominator, label))
            )
    return out


def effective_params(params: Params, actor) -> Params:
    """A station user asking for the whole bureau gets their station: conditions that look at the
    report's scope (e.g. "one device per operator within the scope") then see the same records."""
    if actor is None or params.scope.kind != "bureau" or getattr(actor, "role", None) != "station" or not actor.org_unit_id:
        return params
    unit = actor.org_unit
    return params.with_scope(Scope("station", unit.code, unit.name))


def compute(keys: Iterable[str], params: Params, actor=None) -> dict[str, int | Decimal | None]:
    """Values for the given keys and their dimension parts (`KEY[维度值]`), one query per source."""
    params = effective_params(params, actor)
    wanted, todo = set(), [get_indicator(k) for k in keys]
    while todo:
        ind = todo.pop()
        if ind not in wanted:
            wanted.add(ind)
            todo.extend(get_indicator(k) for k in ind.depends_on)
    check_required(wanted, params)
    by_source: dict[tuple, list[Indicator]] = {}
    values: dict[str, int | Decimal | None] = {}
    shared: dict[tuple, list[Indicator]] = {}
    for ind in wanted:
        if isinstance(ind.part_counts, SharedParts):
            shared.setdefault((ind.part_counts, ind.queryset, ind.scope_field), []).append(ind)
        elif ind.part_counts is not None:
            values.update(_compute_many_valued(ind, params, actor))
        elif not ind.is_rate and not ind.derived:
            # A distinct count cannot be summed over groups, so it gets a pass of its own per source.
            by_source.setdefault((ind.source or ind.key, bool(ind.distinct_field and not ind.dimension)), []).append(ind)
    for (parts, *_), group in shared.items():
        values.update(_compute_shared_parts(parts, sorted(group, key=lambda i: i.key), params, actor))
    for group in by_source.values():
        values.update(_compute_group(sorted(group, key=lambda i: i.key), params, actor))
    pending = [ind for ind in wanted if ind.derived]
    while pending:  # derived figures may build on each other; resolve in dependency order
        ready = [ind for ind in pending if all(k in values for k in ind.depends_on)]
        if not ready:
            raise ValueError(f"circular derived indicators: {[i.key for i in pending]}")
        for ind in ready:
            values.update(_derive(ind, values))
            pending.remove(ind)
    for ind in wanted:
        if ind.is_rate:
            values.update(_ratio(ind, values, params))
    return values


def _derive(ind: Indicator, values: dict) -> dict:
    op, *args = ind.derived
    if op == "[]":
        return {ind.key: values.get(dimension_key(args[0], args[1]), 0)}
    labels = [label for _, label in ind.dimension.pairs()] if ind.dimension else []
    out = {}
    for suffix in [None, *labels]:
        picked = [values.get(dimension_key(k, suffix) if suffix else k, 0) or 0 for k in args]
        total = sum(picked) if op == "+" else picked[0] - picked[1]
        out[dimension_key(ind.key, suffix) if suffix else ind.key] = total
    return out


def _compute_group(group: list[Indicator], params: Params, actor) -> dict:
    qs = _scoped(group[0], params, actor)
    shared = _shared_where(group, params)
    if shared is not None:
        # Every figure of the pass has the same prefilter: apply it once, and count each figure's
        # own condition (`residual`) inside it.
        qs = qs.filter(shared)
    elif all(ind.where for ind in group):
        wheres = []
        for ind in group:
            q = ind.where(params)
            if q not in wheres:
                wheres.append(q)
        combined = wheres[0]
        for q in wheres[1:]:
            combined |= q
        qs = qs.filter(combined)
    aliases = {f"v{i}": ind for i, ind in enumerate(group)}
    aggs = {alias: _aggregate(ind, params, residual=shared is not None) for alias, ind in aliases.items()}
    dims = sorted({ind.dimension.field for ind in group if ind.dimension})
    values: dict = {ind.key: 0 for ind in group}
    labels = {}
    for ind in group:
        if ind.dimension:
            labels[ind.key] = dict(ind.dimension.pairs())
            values.update({dimension_key(ind.key, label): 0 for label in labels[ind.key].values()})
    if dims and all(ind.parts_by_filter for ind in group if ind.dimension):
        return _compute_parts_by_filter(qs, aliases, aggs, params, residual=shared is not None)
    rows = qs.values(*dims).annotate(**aggs).order_by() if dims else [qs.aggregate(**aggs)]
    for row in rows:
        for alias, ind in aliases.items():
            n = row[alias] or 0
            values[ind.key] += n
            if ind.dimension:
                label = labels[ind.key].get(row[ind.dimension.field])
                if label is not None:
                    values[dimension_key(ind.key, label)] += n
    return values


def _admitted(ind: Indicator, params: Params) -> Q:
    return ind.where(params) & ind.residual(params) if ind.where and ind.residual else (ind.where or ind.condition)(params)


def _many_valued_values(ind: Indicator, counts: dict, total) -> dict:
    values = {ind.key: counts[TOTAL] if TOTAL in counts else total()}
    values.update({dimension_key(ind.key, label): counts.get(value, 0) for value, label in ind.dimension.pairs()})
    return values


def _compute_many_valued(ind: Indicator, params: Params, actor) -> dict:
    """A figure that counts its own parts (see `part_counts`): its total, and each part of its dimension."""
    qs = _scoped(ind, params, actor)
    counts = ind.part_counts(qs.filter(_admitted(ind, params)), params)
    return _many_valued_values(ind, counts, lambda: qs.filter(ind.condition(params)).count())


def _compute_shared_parts(parts: SharedParts, group: list[Indicator], params: Params, actor) -> dict:
    """Figures whose parts one pass counts (see `SharedParts`)."""
    qs = _scoped(group[0], params, actor)
    counts = parts.run(qs, {ind.key: _admitted(ind, params) for ind in group}, params)
    values = {}
    for ind in group:
        values.update(_many_valued_values(ind, counts[ind.key], lambda ind=ind: qs.filter(ind.condition(params)).count()))
    return values


def _compute_parts_by_filter(qs, aliases: dict, aggs: dict, params: Params, residual: bool) -> dict:
    """One row: each figure's total and each of its parts as an aggregate of its own (see parts_by_filter)."""
    parts = {}
    for alias, ind in aliases.items():
        if ind.dimension:
            for j, (value, label) in enumerate(ind.dimension.pairs()):
                parts[f"{alias}p{j}"] = (ind, label)
                aggs[f"{alias}p{j}"] = _aggregate(ind, params, residual, part=Q(**{ind.dimension.field: value}))
    row = qs.aggregate(**aggs)
    values = {ind.key: row[alias] or 0 for alias, ind in aliases.items()}
    values.update({dimension_key(ind.key, label): row[alias] or 0 for alias, (ind, label) in parts.items()})
    return values


class ChainedRecords:
    """The records of a sum of figures over different tables (e.g. transfers decided on leads plus
    transfers of cases): each term's drill-down in turn, read as a drill-down is read (count, slices,
    iteration, `iterator`). A record belongs to one term only, so each is listed once."""

    model = None  # no one model: readers take the column paths record by record
    ordered = True

    def __init__(self, parts: list[QuerySet]):
        self.parts = [qs if qs.ordered else qs.order_by("pk") for qs in parts]
        self._counts: list[int] | None = None

    def _sizes(self) -> list[int]:
        if self._counts is None:
            self._counts = [qs.count() for qs in self.parts]
        return self._counts

    def count(self) -> int:
        return sum(self._sizes())

    def __len__(self) -> int:
        return self.count()

    def exists(self) -> bool:
        return any(qs.exists() for qs in self.parts)

    def order_by(self, *fields) -> "ChainedRecords":
        return self  # each term keeps its own order; the terms follow one another

    def __iter__(self):
        return itertools.chain.from_iterable(self.parts)

    def iterator(self, chunk_size: int = 2000):
        return itertools.chain.from_iterable(qs.iterator(chunk_size=chunk_size) for qs in self.parts)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            found = self[index : index + 1] if index >= 0 else list(self)[index : index + 1 or None]
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop = index.start or 0, index.stop
        if index.step not in (None, 1) or start < 0 or (stop is not None and stop < 0):
            return list(self)[index]
        out, offset = [], 0
        for qs, size in zip(self.parts, self._sizes(), strict=True):
            lo, hi = max(start - offset, 0), size if stop is None else min(stop - offset, size)
            if lo < hi:
                out.extend(qs[lo:hi])
            offset += size
        return out


def drilldown(key: str, params: Params, actor=None, part: str | None = None) -> QuerySet | ChainedRecords:
    """Exactly the records a figure counts (a rate drills into its numerator; a sum of figures over
    different tables, derived "+" without a queryset of its own, into its terms one after the other)."""
    params = effective_params(params, actor)
    indicator = get_indicator(key)
    if indicator.is_rate:
        return drilldown(indicator.numerator, params, actor, part)
    if indicator.derived and indicator.queryset is None:
        op, *terms = indicator.derived
        if op != "+":
            raise ValueError(f"{key}: only a sum of figures can drill into its terms")
        return ChainedRecords([drilldown(term, params, actor, part) for term in terms])
    check_required([indicator], params)
    qs = _scoped(indicator, params, actor)
    if part is None:
        return qs.filter(indicator.condition(params))
    if indicator.dimension is None:
        raise DomainError("unknown_dimension", f"指标“{indicator.label}”没有分项")
    value = next((v for v, label in indicator.dimension.pairs() if label == part), None)
    if value is None:
        raise DomainError("unknown_dimension", f"指标“{indicator.label}”没有分项“{part}”")
    if indicator.part_condition is not None:
        return qs.filter(indicator.part_condition(params, value))
    return qs.filter(indicator.condition(params)).filter(**{indicator.dimension.field: value})


def column_value(record, path: str):
    value = record
    for part in path.split("."):
        value = getattr(value, part, None)
        if callable(value):
            value = value()
        if value is None:
            return ""
    if isinstance(value, bool):  # a drill-down is read by staff: 是/否, not True/False
        return "是" if value else "否"
    return value
