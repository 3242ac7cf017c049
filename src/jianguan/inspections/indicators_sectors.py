"""Inspection figures by the licences of the inspected subject (issue 16: 按许可种类、主体业态统计).

A subject's 主体业态 and 许可种类 on a day are those of the licences it held that day, in force by
`licences.rules.valid_q` (issued on or before it, its term not over, not 注销/吊销 on or before it). A subject
may hold several: an inspection of a subject holding a 食品经营许可证 as 超市 and a 药品经营许可证 as 药品零售
counts once under each 业态, and once only under a 业态 that two of its licences share; subjects holding none
that day fall in no part, and the total counts each inspection (or subject) once.

The figures count their parts themselves (an engine option, `part_counts`): the inspections of the pass joined
to the licences valid on each one's date, grouped by 业态 or 种类. A part's drill-down lists the inspections for
which such a licence exists (`part_condition`); the total, the inspections (or one per subject) with any.
"""


from django.db import connection
from django.db.models import Exists, F, Min, OuterRef, Q

from jianguan.core.indicators import TOTAL, Dimension, Indicator, SharedParts, reference_choices, register
from jianguan.core.periods import Params
from jianguan.licences.choices import ENDED_BY_DECISION
from jianguan.licences.models import Licence, LicenceKind, Sector
from jianguan.licences.rules import valid_q

from .choices import OWN_KINDS
from .indicators import (
    BUSINESS_COLUMNS,
    CAMPAIGN,
    INSPECTION_COLUMNS,
    _done_in_campaign,
    _done_in_period,
    _scope_q,
)
from .models import Inspection

# Not grouped by (the figures count their parts themselves, see `_run`): the path names what a part is.
SECTOR = Dimension("business__licences__sector", "主体业态", choices=reference_choices(Sector))
LICENCE_KIND = Dimension("business__licences__kind", "许可种类", choices=reference_choices(LicenceKind))


def _inspections():
    return Inspection.objects.select_related("business", "subdistrict", "campaign")


# What each figure counts under a part: a distinct inspection, or a distinct subject (holder).
_COUNTS = {
    "inspections.count_by_sector": ("sector", "insp"),
    "inspections.businesses_by_licence": ("kind", "holder"),
    "campaign.inspections_by_sector": ("sector", "insp"),
}


def _licences_held_sql(holder: str, on_day: str) -> tuple[str, list]:
    """SQL: the licences the subject `holder` held on `on_day` (SQL expressions of the outer query), as one string
    "sector/kind,sector/kind" (sector empty when none), or NULL when none. The validity test is
    `licences.rules.valid_q`'s, as SQL; the drill-downs use valid_q itself, and the tests hold the two to the same
    counts. The licences are read from the index on (business, sector, kind, …) alone, in its order, so the same
    licences give the same string."""
    meta = Licence._meta
    col = {f.name: connection.ops.quote_name(f.column) for f in meta.concrete_fields}
    ended = ", ".join("%s" for _ in ENDED_BY_DECISION)
    pair = f"COALESCE(CAST(l.{col['sector']} AS TEXT), '') || '/' || CAST(l.{col['kind']} AS TEXT)"
    agg = f"STRING_AGG({pair}, ',' ORDER BY {pair})" if connection.vendor == "postgresql" else f"GROUP_CONCAT({pair}, ',')"
    sql = (
        f"(SELECT {agg} FROM {connection.ops.quote_name(meta.db_table)} l WHERE l.{col['business']} = {holder}"
        f" AND (l.{col['issued_on']} IS NULL OR l.{col['issued_on']} <= {on_day})"
        f" AND (l.{col['valid_until']} IS NULL OR l.{col['valid_until']} >= {on_day})"
        f" AND (l.{col['status']} NOT IN ({ended}) OR l.{col['status_date']} > {on_day}))"
    )
    return sql, [str(s) for s in ENDED_BY_DECISION]


def _run(records, admitted: dict, p: Params) -> dict:
    """The figures asked for, one pass per set of inspections counted (the two figures of a period count the same
    inspections, and read them once): each inspection is read once and its subject's licences valid that day
    looked up once; grouped by subject (a figure by subjects needs each subject once), each subject becomes a string
    of its inspections' licences, and the database returns each distinct string with how many subjects have it — a
    few thousand at most, since most subjects hold the same licences all year. The parts are then tallied here.

    Written as SQL around the inspections' own query because the ORM reaches a licence from an inspection only
    through the businesses table, whose row for each inspection the database would then read for nothing. Grouped
    by the subject + 0: grouped by the column itself, SQLite reads a campaign's inspections through the index on
    the subject, in its order, instead of sorting the few it needs (thirty times slower at 2,000,000). Two sets of
    inspections are not read in one pass: SQLite cannot then use one index range for both (a campaign is chosen
    by its code, on another table), and reads most of the table."""
    passes: list[tuple[Q, list[str]]] = []
    for key, q in admitted.items():
        for seen, keys in passes:
            if seen == q:
                keys.append(key)
                break
        else:
            passes.append((q, [key]))
    quote = connection.ops.quote_name
    held, held_params = _licences_held_sql(f"r.{quote('holder')}", f"r.{quote('on_day')}")
    agg = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    out = {}
    for q, keys in passes:
        inner, inner_params = (
            records.filter(q).order_by().values(holder=F("business_id"), on_day=F("date")).query.sql_with_params()
        )
        sql = (
            f"SELECT s.subject, COUNT(*) FROM (SELECT {agg}(t.held, ';') AS subject FROM ("
            f"SELECT r.{quote('holder')} AS holder, COALESCE({held}, '') AS held FROM ({inner}) r"
            f") t GROUP BY t.holder + 0) s GROUP BY s.subject"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*held_params, *inner_params])
            out.update(_tally(keys, cursor.fetchall()))
    return out


def _tally(keys: list[str], rows) -> dict:
    """{figure key: {part value: count, TOTAL: total}} from (subject string, number of subjects) rows."""
    out = {key: {TOTAL: 0} for key in keys}
    for subject, n in rows:
        union: dict[str, set] = {key: set() for key in keys}  # a figure by subjects: the parts over its inspections
        for held in subject.split(";"):
            pairs = [pair.split("/") for pair in held.split(",")] if held else []
            for key in keys:
                column, counted = _COUNTS[key]
                parts = {int(s) for s, _ in pairs if s} if column == "sector" else {int(k) for _, k in pairs}
                if counted == "holder":
                    union[key] |= parts
                elif parts:
                    _add(out[key], parts, n)
        for key, parts in union.items():
            if parts:
                _add(out[key], parts, n)
    return out


def _add(counts: dict, parts: set, n: int) -> None:
    counts[TOTAL] += n
    for part in parts:
        counts[part] = counts.get(part, 0) + n


_PARTS = SharedParts(_run)


def _held(**licence):
    """The subject held, on the inspection's date, a valid licence matching `licence`."""
    return Exists(Licence.objects.filter(valid_q(OuterRef("date")), business=OuterRef("business"), **licence))


OWN = Q(kind__in=OWN_KINDS)


def _own(p: Params) -> Q:
    return OWN


def _by_sector(base):
    """Inspections of the pass whose subject held a licence with a 业态 (the total), or of one 业态 (a part)."""

    def condition(p: Params) -> Q:
        return base(p) & OWN & Q(_held(sector__isnull=False))

    def part(p: Params, sector) -> Q:
        return base(p) & OWN & Q(_held(sector=sector))

    return condition, part


def _first_licensed(base, **licence):
    """One inspection per subject (the smallest id) among those of the pass, in the report's scope, whose
    subject held a matching licence that day: the drill-down lists each subject once."""
    first = (
        Inspection.objects.filter(base, OWN, _held(**licence))
        .order_by()
        .values("business")
        .annotate(first=Min("pk"))
        .values("first")
    )
    return Q(pk__in=first)


def _businesses_by_kind(base):
    def condition(p: Params) -> Q:
        return _first_licensed(base(p) & _scope_q(p))

    def part(p: Params, kind) -> Q:
        return _first_licensed(base(p) & _scope_q(p), kind=kind)

    return condition, part


_SECTOR_NOTE = (
    "主体业态按检查日期当日该主体持有的有效许可证（发证日期不晚于检查日期、有效期至不早于检查日期或未填，且检查日期前"
    "未注销、吊销）所载业态确定；同一主体持有两种业态的许可证的，一次检查在两种业态下各计一次（同一业态的两张许可证只计一次），"
    "故各业态之和可能大于合计；合计为检查时持有有效许可证（载有业态）的主体的检查户次，每次检查计一次。检查时未持有有效许可证的主体不计入。"
)

_condition, _part = _by_sector(_done_in_period)
register(
    Indicator(
        key="inspections.count_by_sector", label="按主体业态检查企业户次", unit="户次",
        definition="检查日期在统计期间内、已完成或已归档的本局监督检查次数（与“检查企业户次”同口径），按被检查主体的主体业态统计。"
        + _SECTOR_NOTE,
        uses="period", source="inspections.by_sector", queryset=_inspections, condition=_condition,
        where=_done_in_period, residual=_own, part_counts=_PARTS, part_condition=_part, dimension=SECTOR,
        columns=INSPECTION_COLUMNS,
    )
)

_condition, _part = _businesses_by_kind(_done_in_period)
register(
    Indicator(
        key="inspections.businesses_by_licence", label="按许可种类检查企业户数", unit="户",
        definition="检查日期在统计期间内、已完成或已归档的本局监督检查涉及的主体中，检查日期当日持有该种类有效许可证"
        "（发证日期不晚于检查日期、有效期至不早于检查日期或未填，且检查日期前未注销、吊销）的主体户数，同一主体检查多次计一户；"
        "同一主体持有两种许可证的在两个种类下各计一户，故各种类之和可能大于合计；合计为检查时持有任一有效许可证的主体户数。"
        "明细每户列其中一次检查（编号最小的一次）。",
        uses="period", source="inspections.businesses_by_licence", queryset=_inspections,
        condition=_condition, where=_done_in_period, residual=_own, part_counts=_PARTS, part_condition=_part,
        dimension=LICENCE_KIND,
        distinct_field="business", columns=BUSINESS_COLUMNS,
    )
)

_condition, _part = _by_sector(_done_in_campaign)
register(
    Indicator(
        key="campaign.inspections_by_sector", label="按主体业态检查企业户次", unit="户次",
        definition="截至日期前专项行动内已完成或已归档的本局监督检查次数（与专项行动“检查企业户次”同口径），按被检查主体的"
        "主体业态统计。" + _SECTOR_NOTE,
        uses="as_of", source="inspections.campaign_by_sector", queryset=_inspections, condition=_condition,
        where=_done_in_campaign, residual=_own, part_counts=_PARTS, part_condition=_part, dimension=SECTOR,
        columns=INSPECTION_COLUMNS,
        requires=CAMPAIGN,
    )
)
