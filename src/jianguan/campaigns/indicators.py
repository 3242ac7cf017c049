"""The campaign parameter of reports: figures about a campaign (`campaign.*`, registered by the apps
that count them, e.g. inspections) require it, and it must name an existing campaign."""

from jianguan.core.indicators import ParameterSpec, register_parameter

from .selectors import campaign_by_code


def _check_campaign(code: str) -> None:
    campaign_by_code(code)


register_parameter(ParameterSpec("campaign", "请指定专项行动（--campaign 编号）", _check_campaign, label="专项行动"))
