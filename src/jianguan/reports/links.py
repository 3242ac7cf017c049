"""Where a figure's number links to: its drill-down list, with the report's parameters."""

from urllib.parse import urlencode

from django.urls import reverse


def drill_url(key: str, part: str | None, params) -> str:
    query = {"as_of": params.as_of.isoformat(), "period": params.period.code, "scope": params.scope.text}
    if params.campaign:
        query["campaign"] = params.campaign
    if params.report_year:  # the annual-report figures of a chosen report year drill into that year
        query["report_year"] = str(params.report_year)
    if part:
        query["part"] = part
    return f"{reverse('reports:drill', args=[key])}?{urlencode(query)}"


def link_maker(params, base: str = ""):
    return lambda key, part: base + drill_url(key, part, params)
