"""A campaign's figures (专项行动工作量与进度), computed through the indicator registry.

The campaign page, the campaign report and the drill-down lists all read the same `campaign.*`
indicators (inspections/indicators.py), so they agree by construction.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .models import Campaign


@dataclass(frozen=True)
class CampaignFigure:
    key: str  # the indicator key, e.g. "campaign.inspections"
    label: str  # 检查户次
    unit: str  # 户
    value: int
    goal: int | None  # from Campaign.goals, when set for this figure
    progress: Decimal | None  # value / goal in percent (two decimals), None without a goal
    drill_url: str  # the reports drill-down page, with the campaign as parameter


def campaign_figures(campaign: Campaign, actor, as_of: dt.date | None = None) -> list[CampaignFigure]:
    """Every campaign.* figure of the campaign as of a date (default: today), scoped to the actor."""
    raise NotImplementedError  # filled in below, same signature
