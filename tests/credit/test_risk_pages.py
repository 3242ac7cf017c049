"""The 信用风险分类 pages: the distribution and list by jurisdiction, a business's explanation, the override form
for the credit department (refused to stations and leadership, with the reason required), never public."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.businesses.choices import CreditRiskClass
from jianguan.businesses.models import Business
from jianguan.credit.models import RiskOverride, RiskScore
from jianguan.credit.services.risk import risk_score_all

from ..factories import BusinessFactory
from .factories import AnnualReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(org):
    """East: one business without its last report (points), one that filed; west: one that filed. Scored today."""
    today = timezone.localdate()
    year = today.year - 2  # a year whose filing window has closed, whatever today is
    east_missing = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关欠报商行", established_on=dt.date(2015, 1, 1))
    east_ok = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关守信商行", established_on=dt.date(2015, 1, 1))
    west_ok = BusinessFactory(subdistrict=org.subs["xiguan"], name="西关守信商行", established_on=dt.date(2015, 1, 1))
    for b in (east_ok, west_ok):
        for y in (year, year + 1):
            AnnualReportFactory(business=b, year=y, filed_on=dt.date(y + 1, 3, 1))
    AnnualReportFactory(business=east_missing, year=year, filed_on=dt.date(year + 1, 3, 1))
    risk_score_all(on=today)
    return east_missing, east_ok, west_ok


def test_list_is_scoped_and_explains(client, org, scored):
    east_missing, east_ok, west_ok = scored
    client.force_login(org.users.east)
    page = client.get("/credit/risk/").content.decode()
    assert east_missing.name in page and east_ok.name in page and west_ok.name not in page
    client.force_login(org.users.dept)
    page = client.get("/credit/risk/", {"q": "守信"}).content.decode()
    assert east_ok.name in page and west_ok.name in page and east_missing.name not in page
    page = client.get("/credit/risk/", {"risk_class": "Z", "station": "999"}).content.decode()
    assert "无效" in page
    score = RiskScore.objects.get(business=east_missing)
    page = client.get(f"/credit/risk/{east_missing.pk}/").content.decode()
    for f in score.factors:
        assert f["label"] in page and str(f["points"]) in page
    assert f"{score.points} 分" in page


def test_station_cannot_see_another_jurisdiction_and_anonymous_is_sent_to_login(client, org, scored):
    _, _, west_ok = scored
    client.force_login(org.users.east)
    assert client.get(f"/credit/risk/{west_ok.pk}/").status_code == 404
    client.logout()
    response = client.get(f"/credit/risk/{west_ok.pk}/")
    assert response.status_code == 302 and "login" in response["Location"]


def test_override_form_for_the_department_only(client, org, scored):
    east_missing, _, _ = scored
    url = f"/credit/risk/{east_missing.pk}/override/"
    for role in ("east", "leader"):
        client.force_login(getattr(org.users, role))
        assert "override-form" not in client.get(f"/credit/risk/{east_missing.pk}/").content.decode()
        response = client.post(url, {"risk_class": "D", "reason": "测试"})
        assert response.status_code == 403 and not RiskOverride.objects.exists()
    client.force_login(org.users.dept)
    response = client.post(url, {"risk_class": "D", "reason": ""})
    assert response.status_code == 400 and "请填写调整理由" in response.content.decode()
    response = client.post(url, {"risk_class": "D", "reason": "多次被投诉", "set_on": "2099-01-01"})
    assert response.status_code == 400 and "不能晚于今天" in response.content.decode()
    response = client.post(url, {"risk_class": "D", "reason": "多次被投诉"})
    assert response.status_code == 302
    assert Business.objects.get(pk=east_missing.pk).credit_risk_class == "D"
    page = client.get(f"/credit/risk/{east_missing.pk}/").content.decode()
    assert "多次被投诉" in page and "人工调整" in page
    assert client.post(f"/credit/risk/{east_missing.pk}/override/end/").status_code == 302
    assert Business.objects.get(pk=east_missing.pk).credit_risk_class == RiskScore.objects.get(business=east_missing).computed_class
    assert client.post(f"/credit/risk/{east_missing.pk}/override/end/").status_code == 400


def test_the_class_is_never_on_the_public_pages(client, org, scored):
    east_missing, _, _ = scored
    score = RiskScore.objects.get(business=east_missing)
    client.logout()
    response = client.get("/public/credit/", {"q": east_missing.uscc})
    assert response.status_code == 200
    page = response.content.decode()
    assert east_missing.name in page  # found, and shown without its class
    for label in [label for _, label in CreditRiskClass.choices] + [f["label"] for f in score.factors] + ["风险分值"]:
        assert label not in page
