"""取数 without a template: `jianguan figures` and GET /api/v1/figures/ give the values a report of the
same parameters quotes, in its JSON shape, every part of a dimension, each with its drill-down link,
scoped like everything else."""

import csv
import datetime as dt
import io
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import CommandError, call_command

from jianguan.businesses.choices import MARKET_ENTITY_CHOICES, EntityType
from jianguan.reports.engine import build_params, build_report

from ..factories import BusinessFactory


@pytest.fixture
def district(org):
    BusinessFactory.create_batch(3, subdistrict=org.subs["dongguan"], entity_type=EntityType.ENTERPRISE)
    BusinessFactory.create_batch(2, subdistrict=org.subs["xiguan"], entity_type=EntityType.INDIVIDUAL)
    BusinessFactory(subdistrict=org.subs["xiguan"], established_on=dt.date(2026, 3, 1))
    return org


def run_figures(*args) -> str:
    out = io.StringIO()
    call_command("figures", *args, stdout=out)
    return out.getvalue()


def test_json_has_the_reports_values_and_every_part(district):
    data = json.loads(run_figures("businesses.active", "businesses.new", "--period", "2026H1"))
    labels = dict(EntityType.choices)
    assert data["indicators"]["businesses.active"] == 6
    assert data["indicators"][f"businesses.active[{labels['enterprise']}]"] == 4
    assert data["indicators"][f"businesses.active[{labels['individual']}]"] == 2
    assert data["indicators"]["businesses.new"] == 1
    # Every part of the dimension is listed, zeros included, in the dimension's order (市场主体 types: 其他组织 are
    # not market entities).
    parts = [k for k in data["indicators"] if k.startswith("businesses.active[")]
    assert parts == [f"businesses.active[{label}]" for _, label in MARKET_ENTITY_CHOICES]
    assert data["parameters"]["period"] == "2026H1" and data["parameters"]["scope"] == "bureau"
    # The same values as a report of the same parameters quoting those figures.
    report = build_report("work_summary", build_params(period="2026H1"))
    for key in ("businesses.active", "businesses.new"):
        if key in report.values:
            assert report.values[key] == data["indicators"][key]


def test_each_figure_links_to_a_drilldown_listing_exactly_its_records(district, client):
    data = json.loads(run_figures("businesses.active", "--as-of", "2026-06-30"))
    client.force_login(district.users.dept)
    for figure in data["figures"]:
        url = urlparse(figure["link"])
        assert parse_qs(url.query)["as_of"] == ["2026-06-30"]
        page = client.get(url.path + "?" + url.query)
        assert page.status_code == 200
        assert page.context["records"] == figure["value"], figure["key"]


def test_csv_lists_figures_with_their_drilldown_links(district, tmp_path):
    path = tmp_path / "数字.csv"
    run_figures("businesses.*", "--period", "2026H1", "--format", "csv", "-o", str(path))
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    assert rows[0][:4] == ["指标标识", "指标名称", "分项", "数值"]
    by_key = {r[0]: r for r in rows[1:]}
    assert by_key["businesses.active"][3] == "6" and by_key["businesses.new"][3] == "1"
    assert {"businesses.deregistered", "businesses.revoked"} <= by_key.keys()
    assert all(r[-1].startswith("http") and "/reports/drill/" in r[-1] for r in rows[1:])


def test_station_user_gets_their_station(district):
    data = json.loads(run_figures("businesses.active", "--as-of", "2026-06-30", "--user", "east"))
    assert data["indicators"]["businesses.active"] == 3
    assert data["parameters"]["scope"] == "station:S1"
    scoped = json.loads(run_figures("businesses.active", "--as-of", "2026-06-30", "--scope", "station:S2"))
    assert scoped["indicators"]["businesses.active"] == 3


@pytest.mark.parametrize(
    "args, message",
    [
        (["nosuch.figure", "--period", "2026H1"], "未知的指标“nosuch.figure”"),
        (["nosuch.*", "--period", "2026H1"], "没有以“nosuch.”开头的指标"),
        (["businesses.active"], "请给出统计期间"),
        (["businesses.active", "--period", "2026H3"], "无法识别的统计期间"),
        (["campaign.findings", "--period", "2026H1"], "专项行动"),
    ],
)
def test_bad_requests_say_why_in_chinese(district, args, message):
    with pytest.raises(CommandError) as exc:
        run_figures(*args)
    assert message in str(exc.value)


def test_api_same_shape_scoped_to_the_caller(district, client):
    client.force_login(district.users.west)
    response = client.get("/api/v1/figures/", {"key": ["businesses.active", "businesses.new"], "as_of": "2026-06-30"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["indicators"]["businesses.active"] == 3  # the west station's businesses only
    assert data["parameters"]["scope"] == "station:S2"
    assert all(f["link"].startswith("http://testserver/reports/drill/") for f in data["figures"])
    refused = client.get("/api/v1/figures/", {"key": "businesses.active", "as_of": "2026-06-30", "scope": "station:S1"})
    assert refused.status_code == 403 and "辖区" in refused.json()["message"]


@pytest.mark.parametrize(
    "query, status, code",
    [
        ({"key": "nosuch", "period": "2026H1"}, 400, "unknown_indicator"),
        ({"key": "businesses.active"}, 400, "missing_period"),
        ({"key": "businesses.active", "as_of": "notadate"}, 400, "invalid_as_of"),
        ({"period": "2026H1"}, 422, "invalid"),
    ],
)
def test_api_bad_requests_are_4xx_with_the_error_body(district, client, query, status, code):
    client.force_login(district.users.dept)
    response = client.get("/api/v1/figures/", query)
    assert response.status_code == status, response.content
    assert response.json()["code"] == code and response.json()["message"]


def test_api_requires_login(district, client):
    assert client.get("/api/v1/figures/", {"key": "businesses.active", "period": "2026H1"}).status_code == 401
