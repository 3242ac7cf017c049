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

import time

from django.db import connection
from django.db.models import Exists, F, Min, OuterRef, Q

from jianguan.core.indicators import Dimension, Indicator, register
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

_TTL = 60.0  # seconds a reference table's rows are cached for (an administrator rarely adds one)
_cache: dict[str, tuple[float, tuple]] = {}


def _reference(model):
    def pairs() -> tuple[tuple[int, str], ...]:
        now = time.monotonic()
        found = _cache.get(model.__name__)
        if found is None or now - found[0] > _TTL:
            found = (now, tuple(model.objects.order_by("order", "code").values_list("pk", "name")))
            _cache[model.__name__] = found
        return found[1]

    return pairs


def clear_reference_cache() -> None:
    _cache.clear()


# Not grouped by (the figures count their parts themselves, see `_parts`): the path names what a part is.
SECTOR = Dimension("business__licences__sector", "主体业态", choices=_reference(Sector))
LICENCE_KIND = Dimension("business__licences__kind", "许可种类", choices=_reference(LicenceKind))


def _inspections():
    return Inspection.objects.select_related("business", "subdistrict", "campaign")


def _parts(column: str, counted: str):
    """{业态 or 种类: count} over the given inspections joined to the licences their subjects held on each
    inspection's date, grouped by the licence's `column`, counting distinct `counted` ("insp": inspections,
    "holder": subjects).

    Written as SQL around the inspections' own query because the ORM reaches a licence from an inspection only
    through the businesses table, whose row for each inspection the database would then read for nothing (five
    times slower on SQLite at 200,000 inspections). The validity test is `licences.rules.valid_q`'s, as SQL; the
    drill-downs use valid_q itself, and the tests hold the two to the same counts. Grouped by the column + 0:
    grouped by the column itself, SQLite walks the licences in that column's index order and looks up each one's
    inspections, reading every licence (20 times slower for a campaign). Licences without one group under None.
    """
    meta = Licence._meta
    col = {f.name: meta.get_field(f.name).column for f in meta.concrete_fields}
    quote = connection.ops.quote_name
    group = quote(meta.get_field(column).column)
    ended = ", ".join("%s" for _ in ENDED_BY_DECISION)

    def counts(records, p: Params) -> dict:
        inner, inner_params = (
            records.order_by().values(insp=F("pk"), holder=F("business_id"), on_day=F("date")).query.sql_with_params()
        )
        sql = (
            f"SELECT l.{group} + 0, COUNT(DISTINCT r.{quote(counted)}) FROM ({inner}) r "
            f"INNER JOIN {quote(meta.db_table)} l ON l.{quote(col['business'])} = r.{quote('holder')} "
            f"WHERE (l.{quote(col['issued_on'])} IS NULL OR l.{quote(col['issued_on'])} <= r.{quote('on_day')})"
            f" AND (l.{quote(col['valid_until'])} IS NULL OR l.{quote(col['valid_until'])} >= r.{quote('on_day')})"
            f" AND (l.{quote(col['status'])} NOT IN ({ended}) OR l.{quote(col['status_date'])} > r.{quote('on_day')})"
            f" GROUP BY 1"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*inner_params, *(str(s) for s in ENDED_BY_DECISION)])
            return dict(cursor.fetchall())

    return counts


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
        where=_done_in_period, residual=_own, part_counts=_parts("sector", "insp"), part_condition=_part, dimension=SECTOR,
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
        condition=_condition, where=_done_in_period, residual=_own, part_counts=_parts("kind", "holder"), part_condition=_part,
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
        where=_done_in_campaign, residual=_own, part_counts=_parts("sector", "insp"), part_condition=_part, dimension=SECTOR,
        columns=INSPECTION_COLUMNS,
        requires=CAMPAIGN,
    )
)
