"""取数: any registered figures for a set of parameters, with no template — the values a report of
the same parameters would quote, in the report's JSON shape (`{"parameters", "indicators"}`), each
figure and each of its parts with its drill-down link. Statistics staff need figures that no template
holds, and every module's acceptance is checked through it (`jianguan figures`, /api/v1/figures/)."""

from dataclasses import dataclass

from jianguan.core.errors import DomainError
from jianguan.core.indicators import (
    Indicator,
    all_indicators,
    compute,
    dimension_key,
    effective_params,
    get_indicator,
)
from jianguan.core.periods import Params

from .engine import json_number
from .links import link_maker

# A request names at most this many keys or patterns (a pattern may still cover many figures).
MAX_KEYS = 200


@dataclass(frozen=True)
class FigureRow:
    key: str  # KEY or KEY[值]
    indicator: Indicator
    part: str | None
    value: object
    link: str

    @property
    def label(self) -> str:
        if self.part is None:
            return self.indicator.label
        return f"{self.indicator.label}（{self.indicator.dimension.name_of(self.part)}）"


def resolve(patterns: list[str], params: Params) -> list[Indicator]:
    """The indicators named: exact keys, or `prefix.*` for every figure under a prefix. A named key that
    needs a parameter not given is refused by compute(); a pattern leaves such figures out."""
    patterns = [p.strip() for p in patterns if p and p.strip()]
    if not patterns:
        raise DomainError("missing_key", "请给出至少一个指标标识，如 equipment.in_use；`jianguan indicators` 列出全部指标")
    if len(patterns) > MAX_KEYS:
        raise DomainError("too_many_keys", f"一次最多取 {MAX_KEYS} 个指标（本次 {len(patterns)} 个）")
    found: dict[str, Indicator] = {}
    for pattern in patterns:
        if pattern.endswith("*"):
            prefix = pattern[:-1]
            matched = [
                i for i in all_indicators()
                if i.key.startswith(prefix) and all(getattr(params, name, "") for name in i.requires)
            ]
            if not matched:
                raise DomainError("unknown_indicator", f"没有以“{prefix}”开头的指标", {"key": pattern})
            found.update((i.key, i) for i in matched)
        else:
            indicator = get_indicator(pattern.split("[")[0])
            found[indicator.key] = indicator
    return list(found.values())


def figure_rows(patterns: list[str], params: Params, *, actor=None, base_url: str = "") -> tuple[Params, list[FigureRow]]:
    """Each figure asked for, then its parts in the dimension's order; the parameters actually used
    (a station user asking for the whole bureau gets their station, as in reports)."""
    params = effective_params(params, actor)
    indicators = resolve(patterns, params)
    values = compute([i.key for i in indicators], params, actor)
    link = link_maker(params, base=base_url)
    rows = []
    for ind in indicators:
        rows.append(FigureRow(ind.key, ind, None, values.get(ind.key), link(ind.key, None)))
        if ind.dimension is not None:
            for _, part in ind.dimension.pairs():
                key = dimension_key(ind.key, part)
                if key in values:
                    rows.append(FigureRow(key, ind, part, values[key], link(ind.key, part)))
    return params, rows


def figures_json(params: Params, rows: list[FigureRow]) -> dict:
    """The report's JSON shape: `indicators` maps KEY and KEY[值] to numbers; `figures` adds what a
    reader needs beside them (name, unit, drill-down link), in the order asked."""
    return {
        "parameters": params.as_dict(),
        "indicators": {row.key: json_number(row.value) for row in rows},
        "figures": [
            {"key": row.key, "label": row.label, "unit": row.indicator.unit, "value": json_number(row.value),
             "link": row.link}
            for row in rows
        ],
    }


CSV_HEADERS = ("指标标识", "指标名称", "分项", "数值", "单位", "统计期间", "截至日期", "范围", "明细链接")


def figures_table(params: Params, rows: list[FigureRow]) -> list[list]:
    """Rows for the CSV: one per figure and per part, each with its parameters and drill-down link."""
    out = []
    for row in rows:
        value = json_number(row.value)
        out.append([
            row.key, row.indicator.label, row.part or "", "" if value is None else value, row.indicator.unit,
            params.period.code, params.as_of.isoformat(), params.scope.label, row.link,
        ])
    return out

