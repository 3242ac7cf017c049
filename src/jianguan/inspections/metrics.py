"""A campaign's figures (专项行动工作量与进度), computed through the indicator registry.

The campaign page, the campaign report and the drill-down lists all read the same `campaign.*`
indicators (inspections/indicators.py), so they agree by construction.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from jianguan.campaigns.models import Campaign
from jianguan.core.indicators import compute, get_indicator
from jianguan.core.periods import Params, Period, Scope

# In the order a campaign's summary reads (seed 000): 出动执法人员, 检查企业户次（户数）, 抽查设备, 隐患 …
FIGURE_KEYS = (
    "campaign.inspector_visits",
    "campaign.inspections",
    "campaign.businesses",
    "campaign.devices",
    "campaign.findings",
    "campaign.rectified",
    "campaign.unrectified",
    "campaign.overdue",
    "campaign.escalated",
    "campaign.rectification_notices",
    "campaign.supervision_orders",
    "campaign.sealed",
    "campaign.case_leads",
    "campaign.external",
)
# Campaign.goals keys (campaigns.choices.CampaignGoal) and the figure each is measured by.
GOAL_FIGURES = {
    "inspections": "campaign.inspections",
    "businesses": "campaign.businesses",
    "devices": "campaign.devices",
    "inspector_visits": "campaign.inspector_visits",
}


@dataclass(frozen=True)
class CampaignFigure:
    key: str  # the indicator key, e.g. "campaign.inspections"
    label: str  # 检查户次
    unit: str  # 户
    value: int
    goal: int | None  # from Campaign.goals, when set for this figure
    progress: Decimal | None  # value / goal in percent (two decimals), None without a goal
    drill_url: str  # the reports drill-down page, with the campaign as parameter


def campaign_period(campaign: Campaign) -> Period:
    return Period(campaign.start, campaign.end, f"{campaign.start.isoformat()}..{campaign.end.isoformat()}")


def campaign_params(campaign: Campaign, as_of: dt.date | None = None) -> Params:
    """The report parameters of a campaign's figures: the campaign's dates as the period (the figures
    ignore it; it names the campaign's span), the whole bureau (narrowed to the actor's jurisdiction
    when computing), records up to `as_of` (default: today)."""
    return Params(as_of or timezone.localdate(), campaign_period(campaign), Scope("bureau"), campaign.code)


def progress(value, goal: int | None) -> Decimal | None:
    if not goal:
        return None
    return (Decimal(value or 0) * 100 / Decimal(goal)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def drill_url(key: str, params: Params) -> str:
    """The reports drill-down page of a figure (the same query string as the reports' own links)."""
    query = {"as_of": params.as_of.isoformat(), "period": params.period.code, "scope": params.scope.text,
             "campaign": params.campaign}
    return f"{reverse('reports:drill', args=[key])}?{urlencode(query)}"


def campaign_figures(campaign: Campaign, actor, as_of: dt.date | None = None) -> list[CampaignFigure]:
    """Every campaign.* figure of the campaign as of a date (default: today), scoped to the actor (a
    station user sees their station's share). Computed by the indicator registry, like the report."""
    params = campaign_params(campaign, as_of)
    values = compute(FIGURE_KEYS, params, actor)
    goal_of = {figure: (campaign.goals or {}).get(goal) for goal, figure in GOAL_FIGURES.items()}
    out = []
    for key in FIGURE_KEYS:
        indicator = get_indicator(key)
        value = values[key] or 0
        goal = goal_of.get(key)
        goal = int(goal) if goal else None
        out.append(CampaignFigure(key, indicator.label, indicator.unit, value, goal, progress(value, goal), drill_url(key, params)))
    return out
