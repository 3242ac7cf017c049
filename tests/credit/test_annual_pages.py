"""The filing-progress page (/credit/annual/) and the report_year a report's drill-down links carry."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ..conftest import make_org
from ..factories import BusinessFactory
from .factories import AnnualReportFactory

pytestmark = pytest.mark.django_db
YEAR = dt.date.today().year - 1


@pytest.fixture
def world():
    org = make_org()
    b = {
        "east_filed": BusinessFactory(subdistrict=org.subs["dongguan"], name="东关甲公司"),
        "east_missing": BusinessFactory(subdistrict=org.subs["jiefang"], name="解放乙商店", entity_type="individual"),
        "west_missing": BusinessFactory(subdistrict=org.subs["xiguan"], name="西关丙公司"),
    }
    AnnualReportFactory(business=b["east_filed"], year=YEAR, filed_on=dt.date(YEAR + 1, 1, 2))
    return org, b


def _login(client, user):
    client.force_login(user)
    return client


def test_bureau_sees_every_station_and_the_non_filers(client, world):
    org, b = world
    response = _login(client, org.users.dept).get(reverse("credit:annual"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "东关市场监管所" in html and "西关市场监管所" in html
    assert "西关丙公司" in html and "解放乙商店" in html and "东关甲公司" not in html.split('id="annual-missing"')[1]
    totals = response.context["totals"]
    assert (totals[-1].due, totals[-1].filed, str(totals[-1].rate)) == (3, 1, "33.33")
    # filters and search
    response = client.get(reverse("credit:annual"), {"entity_type": "individual"})
    assert [x.name for x in response.context["rows"]] == ["解放乙商店"]
    response = client.get(reverse("credit:annual"), {"q": "西关丙"})
    assert [x.name for x in response.context["rows"]] == ["西关丙公司"]
    response = client.get(reverse("credit:annual"), {"station": "abc", "year": "1800"})
    assert response.status_code == 200 and len(response.context["problems"]) == 2


def test_station_sees_its_jurisdiction_only_and_exports_it(client, world):
    org, b = world
    response = _login(client, org.users.east).get(reverse("credit:annual"))
    assert [x.name for x in response.context["rows"]] == ["解放乙商店"]
    assert "西关" not in "".join(r.station for r in response.context["progress"])
    export = client.get(reverse("credit:annual"), {"export": "xlsx"})
    assert export.status_code == 200
    rows = [[c.value for c in r] for r in load_workbook(io.BytesIO(export.content)).active.iter_rows()]
    assert rows[0][:3] == ["统一社会信用代码", "名称", "主体类型"]
    assert [r[1] for r in rows[1:]] == ["解放乙商店"]


def test_report_drilldown_links_carry_the_report_year(client, world):
    org, _ = world
    from jianguan.core.periods import Params
    from jianguan.reports.links import drill_url

    params = Params.build(as_of=dt.date.today(), report_year=YEAR - 1)
    url = drill_url("credit.annual_reports_missing", "企业", params)
    assert f"report_year={YEAR - 1}" in url
    _login(client, org.users.dept)
    # the drill-down reads it: for the year before, nobody has filed
    assert client.get(url).context["records"] == 2
    url = drill_url("credit.annual_reports_missing", "企业", Params.build(as_of=dt.date.today(), report_year=YEAR))
    assert client.get(url).context["records"] == 1
    bad = client.get(reverse("reports:drill", args=["credit.annual_reports_due"]), {"as_of": "2026-01-01", "report_year": "abc"})
    assert bad.status_code == 404
