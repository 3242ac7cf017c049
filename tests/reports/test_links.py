"""Acceptance: every number of every built-in template's HTML links to a list whose count equals it."""

import datetime as dt
import html
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from jianguan.campaigns.services import campaign_create
from jianguan.core.indicators import get_indicator
from jianguan.demo.district import build_businesses, build_org
from jianguan.org.models import User
from jianguan.reports import engine

pytestmark = pytest.mark.django_db

# data-scale: the number shown was divided by it (罚没款 in 万元: 10000); the list's total is not.
FIGURE = re.compile(r'<a class="figure" href="([^"]+)" data-key="([^"]+)"(?: data-scale="(\d+)")?[^>]*>([^<]*)</a>')
TOTAL = re.compile(r'data-total="(-?[\d.]+)"')  # a count, or a sum such as 挽回经济损失 145465.04
PARAMETER_SETS = [{"period": "2026H1"}, {"as_of": "2025-12-31"}, {"period": "2025Q4"}]
CAMPAIGN = "LINKS2026"  # every query names it: templates quoting campaign.* need it, the others ignore it


@pytest.fixture(scope="module")
def demo(module_db, django_db_blocker):
    """Built once for the module's tests (which only read it), rolled back after them."""
    with django_db_blocker.unblock():
        _, subdistricts, _ = build_org()
        build_businesses(subdistricts, 800, seed=3)
        planner = User.objects.get(username="tezhong")
        campaign_create(actor=planner, code=CAMPAIGN, name="链接测试专项行动", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30),
                        lead_department=planner.org_unit, goals={"inspections": 10})
    return subdistricts


def _figures(page: str) -> list[tuple[str, str, str, int]]:
    return [(html.unescape(href), html.unescape(key), text, int(scale or 1)) for href, key, scale, text in FIGURE.findall(page)]


def _check_every_figure(client, template: str, query: dict) -> int:
    response = client.get("/reports/", {"template": template, **query})
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    figures = _figures(page)
    assert figures, f"{template}: no linked figure in the page"
    for href, key, text, scale in figures:
        drill = client.get(href)
        assert drill.status_code == 200, (key, href)
        if key.startswith("campaign."):
            assert f"campaign={query['campaign']}" in href, href
        total = TOTAL.search(drill.content.decode())
        assert total, (key, href)
        if get_indicator(key.split("[")[0]).is_rate:
            continue  # a rate drills into its numerator's records
        shown = (Decimal(total[1]) / scale).quantize(Decimal("0.01"), ROUND_HALF_UP) if scale != 1 else Decimal(total[1])
        assert shown == Decimal(text), f"{template} {query} {key}: figure {text}, drill-down {total[1]}"
    return len(figures)


@pytest.mark.parametrize("template", sorted(engine._builtin_files()))
def test_every_figure_of_every_builtin_template_links_to_its_records(client, demo, template):
    client.force_login(User.objects.get(username="tezhong"))  # department: the whole bureau
    for query in PARAMETER_SETS:
        assert _check_every_figure(client, template, {**query, "campaign": CAMPAIGN}) > 0
    # a subdistrict scope
    assert _check_every_figure(client, template, {"period": "2026H1", "scope": f"subdistrict:{demo[0].code}", "campaign": CAMPAIGN}) > 0


@pytest.mark.parametrize("template", sorted(engine._builtin_files()))
def test_station_user_figures_link_to_their_records(client, demo, template):
    station_user = User.objects.get(username="suo1")
    client.force_login(station_user)
    code = station_user.org_unit.code
    for query in PARAMETER_SETS:
        assert _check_every_figure(client, template, {**query, "scope": f"station:{code}", "campaign": CAMPAIGN}) > 0
    sub = next(s for s in demo if s.station_id == station_user.org_unit_id)
    assert _check_every_figure(client, template, {"period": "2026H1", "scope": f"subdistrict:{sub.code}", "campaign": CAMPAIGN}) > 0


def test_figures_are_nonzero_on_the_demo_and_station_totals_are_smaller(client, demo):
    """Guard against a vacuous pass: the demo has businesses, and a station sees fewer than the bureau."""
    client.force_login(User.objects.get(username="tezhong"))
    bureau = {k: Decimal(t) for _, k, t, scale in _figures(client.get("/reports/", {"template": "work_summary", "period": "2026H1"}).content.decode()) if scale == 1}
    client.force_login(User.objects.get(username="suo1"))
    station_user = User.objects.get(username="suo1")
    station = {k: Decimal(t) for _, k, t, scale in _figures(client.get(
        "/reports/", {"template": "work_summary", "period": "2026H1", "scope": f"station:{station_user.org_unit.code}"}
    ).content.decode()) if scale == 1}
    assert bureau["businesses.active"] > 700
    assert 0 < station["businesses.active"] < bureau["businesses.active"]
