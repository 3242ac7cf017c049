"""The campaign's figures agree everywhere: the campaign page's figures, the built-in campaign report
(engine and command line), and the drill-down lists behind every number."""

import datetime as dt
import html
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jianguan.inspections.metrics import FIGURE_KEYS, campaign_figures
from jianguan.reports.engine import build_params, build_report
from jianguan.reports.models import ReportSnapshot
from jianguan.reports.views import reproduce

from ..reports.test_links import _check_every_figure
from .test_indicators import AS_OF, CODE, EAST, EXPECTED, build_campaign, direct_campaign_counts

pytestmark = pytest.mark.django_db

TOTAL = re.compile(r'data-total="(\d+)"')
FIGURE = re.compile(r'<a class="figure" href="([^"]+)" data-key="([^"]+)"[^>]*>([^<]*)</a>')


@pytest.fixture
def world(org):
    return build_campaign(org)

# The campaign report also quotes the campaign's cases and its samples and quick tests (none in this world).
NO_CASES = {"campaign.cases_filed": 0, "campaign.penalty_amount": 0, "campaign.samples": 0,
            "campaign.samples_unqualified": 0, "campaign.quicktests": 0, "campaign.quicktests_positive": 0}


def _cli(*args) -> dict:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


def test_campaign_figures_equal_the_records_and_the_report(world, org):
    figures = campaign_figures(world.campaign, org.users.dept, as_of=AS_OF)
    assert [f.key for f in figures] == list(FIGURE_KEYS)
    values = {f.key: f.value for f in figures}
    assert values == direct_campaign_counts() == EXPECTED
    report = build_report("campaign_report", build_params(campaign=CODE, as_of=AS_OF.isoformat()), actor=org.users.dept)
    quoted = {k: v for k, v in report.as_json()["indicators"].items() if "[" not in k}
    assert quoted == {**values, **NO_CASES}
    assert report.as_json()["parameters"]["campaign"] == CODE
    by_key = {f.key: f for f in figures}
    assert (by_key["campaign.inspections"].goal, by_key["campaign.inspections"].progress) == (10, Decimal("60.00"))
    assert (by_key["campaign.devices"].goal, by_key["campaign.devices"].progress) == (4, Decimal("75.00"))
    assert (by_key["campaign.inspector_visits"].goal, by_key["campaign.inspector_visits"].progress) == (20, Decimal("65.00"))
    assert by_key["campaign.findings"].goal is None and by_key["campaign.findings"].progress is None
    assert by_key["campaign.inspections"].label == "检查企业户次" and by_key["campaign.inspections"].unit == "户次"


def test_the_campaign_report_reads_like_a_summary(world):
    text = build_report("campaign_report", build_params(campaign=CODE, as_of=AS_OF)).text
    assert "# 测试区市场监督管理局中秋守护专项行动工作总结" in text
    assert (
        "中秋守护专项行动（2026年9月10日至2026年9月30日）期间，截至2026年9月30日，全区共出动执法人员13人次，"
        "检查企业6户次（4户），其中专项检查5户次、回头看1户次，抽查设备3台，发现隐患5条，已整改1条，未整改2条，"
        "其中逾期未整改1条，升级处置2条。"
    ) in text
    assert "下达责令整改通知书1份、特种设备安全监察指令书1份，查封设备1台，移交立案线索1条。" in text
    assert "督促企业自查、社区巡查、第三方巡查共2次（企业自查1次，社区巡查1次）。" in text
    assert "检查企业户次：目标10户次，已完成6户次，完成率60.00%。" in text
    assert "抽查设备：目标4台，已完成3台，完成率75.00%。" in text


def test_the_work_summary_has_the_inspection_section(world):
    text = build_report("work_summary", build_params(period="2026Q3")).text
    assert "## 三、监督检查与隐患整改" in text
    assert (
        "2026年第3季度，全区共检查企业8户次（4户），其中日常检查1户次、专项检查6户次、回头看1户次，出动执法人员17人次，"
        "抽查设备3台，发现隐患6条，已整改1条，未整改3条，其中逾期未整改2条，升级处置2条；"
        "下达责令整改通知书1份、特种设备安全监察指令书1份，移交立案线索1条；截至2026年9月30日，处于查封状态的设备1台。"
    ) in text


def test_command_line(world):
    data = _cli("campaign_report", "--campaign", CODE, "--as-of", "2026-09-30", "--no-snapshot")
    # the campaign's cases (none in this world) are quoted too, from the cases app's figures
    assert {k: v for k, v in data["indicators"].items() if "[" not in k} == {**EXPECTED, **NO_CASES}
    assert data["parameters"]["campaign"] == CODE
    # only the campaign: its own dates are the period, its records up to today
    data = _cli("campaign_report", "--campaign", CODE, "--no-snapshot")
    assert data["parameters"]["period"] == "2026-09-10..2026-09-30"
    with pytest.raises(CommandError, match=r"请指定专项行动（--campaign 编号）"):
        _cli("campaign_report", "--period", "2026Q3", "--no-snapshot")
    with pytest.raises(CommandError, match="“XX9999”不存在"):
        _cli("work_summary", "--period", "2026Q3", "--campaign", "XX9999", "--no-snapshot")
    with pytest.raises(CommandError, match="--campaign"):
        _cli("campaign_report", "--no-snapshot")
    # a report without a campaign keeps its parameters (and hash) as before
    assert "campaign" not in _cli("work_summary", "--period", "2026Q3", "--no-snapshot")["parameters"]


def _drill_total(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return int(TOTAL.search(response.content.decode())[1])


def test_campaign_page_figures_drill_into_as_many_records(world, org, client):
    client.force_login(org.users.dept)
    for figure in campaign_figures(world.campaign, org.users.dept, as_of=AS_OF):
        assert f"campaign={CODE}" in figure.drill_url
        assert _drill_total(client, figure.drill_url) == figure.value, figure.key


def test_a_station_user_sees_their_share(world, org, client):
    figures = campaign_figures(world.campaign, org.users.east, as_of=AS_OF)
    assert {f.key: f.value for f in figures} == direct_campaign_counts(station=org.east) == EAST
    client.force_login(org.users.east)
    for figure in figures:
        assert _drill_total(client, figure.drill_url) == figure.value, figure.key
    report = build_report("campaign_report", build_params(campaign=CODE, as_of=AS_OF), actor=org.users.east)
    assert {k: v for k, v in report.values.items() if "[" not in k} == {**EAST, **NO_CASES}


@pytest.mark.parametrize("template,query", [
    ("campaign_report", {"campaign": CODE, "as_of": "2026-09-30"}),
    ("campaign_report", {"campaign": CODE, "as_of": "2026-09-15"}),
    ("campaign_report", {"campaign": CODE}),
    ("work_summary", {"period": "2026Q3"}),
    ("work_summary", {"period": "2026-09", "as_of": "2026-09-15"}),
])
def test_every_figure_links_to_its_records(world, org, client, template, query):
    client.force_login(org.users.dept)
    assert _check_every_figure(client, template, query) > 10
    client.force_login(org.users.west)
    assert _check_every_figure(client, template, {**query, "scope": "station:S2"}) > 10


def test_report_page_needs_a_campaign_for_the_campaign_report(world, org, client):
    client.force_login(org.users.dept)
    response = client.get("/reports/", {"template": "campaign_report", "period": "2026Q3"})
    assert response.status_code == 400
    assert "请指定专项行动（--campaign 编号）" in response.content.decode()
    response = client.get("/reports/", {"template": "campaign_report", "campaign": "NOPE"})
    assert response.status_code == 400 and "“NOPE”不存在" in response.content.decode()
    response = client.get("/reports/", {"template": "campaign_report", "campaign": CODE, "as_of": "2026-09-30"})
    page = response.content.decode()
    assert response.status_code == 200 and "中秋守护专项行动" in page
    figures = {html.unescape(k): t for _, k, t in FIGURE.findall(page)}
    assert figures["campaign.inspections"] == "6" and figures["campaign.inspector_visits"] == "13"
    assert f'name="campaign" value="{CODE}"' in page  # the downloads keep the campaign


def test_snapshot_keeps_the_campaign_and_reproduces(world, org, client):
    client.force_login(org.users.dept)
    client.get("/reports/", {"template": "campaign_report", "campaign": CODE, "as_of": "2026-09-30"})
    snapshot = ReportSnapshot.objects.get(template_key="campaign_report")
    assert snapshot.parameters["campaign"] == CODE
    _, matches, changed = reproduce(snapshot)
    assert matches and not changed


def test_drill_export_of_a_sum(world, org, client):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(org.users.dept)
    response = client.get("/reports/drill/campaign.inspector_visits/export/",
                          {"campaign": CODE, "as_of": "2026-09-30", "period": "2026Q3", "scope": "bureau"})
    about = {row[0]: row[1] for row in load_workbook(BytesIO(response.content))["说明"].iter_rows(values_only=True)}
    assert about["记录数"] == 6 and about["合计"] == "13人次" and about["专项行动"] == f"中秋守护专项行动（{CODE}）"


def test_as_of_before_the_campaign_counts_nothing(world):
    values = build_report("campaign_report", build_params(campaign=CODE, as_of=dt.date(2026, 9, 1))).values
    assert all(v == 0 for v in values.values())
