from ninja import Query, Router, Schema
from pydantic import Field

from jianguan.core.errors import DomainError

from .engine import build_params
from .selectors import check_scope
from .takeout import MAX_KEYS, figure_rows, figures_json

router = Router(tags=["取数"])


class FigureQuery(Schema):
    key: list[str] = Field(..., max_length=MAX_KEYS, description="指标标识，可重复；前缀.* 取该前缀下全部指标")
    period: str | None = Field(None, max_length=40, description="统计期间：2026H1、2026Q3、2026-08、2026 或 起..止")
    as_of: str | None = Field(None, max_length=10, description="截至日期 YYYY-MM-DD")
    scope: str | None = Field(None, max_length=60, description="station:代码 或 subdistrict:代码；缺省为全局")
    campaign: str | None = Field(None, max_length=60, description="专项行动编号（campaign.* 指标必填）")


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    value: float | int | None
    link: str


class FiguresOut(Schema):
    parameters: dict
    indicators: dict[str, float | int | None]
    figures: list[FigureOut]


@router.get("/", response=FiguresOut, summary="取数：任意指标的数值与明细链接（与报表 JSON 同形）")
def figures(request, query: Query[FigureQuery]):
    if not (query.period or query.as_of or query.campaign):
        raise DomainError("missing_period", "请给出统计期间（period）、截至日期（as_of）或专项行动（campaign）")
    params = build_params(as_of=query.as_of, period=query.period, scope=query.scope, campaign=query.campaign)
    check_scope(actor=request.auth, scope=params.scope, allow_bureau=True)
    params, rows = figure_rows(query.key, params, actor=request.auth, base_url=request.build_absolute_uri("/")[:-1])
    return figures_json(params, rows)
