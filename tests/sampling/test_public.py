"""The public 食品安全抽检信息公告 (/public/sampling/) and its JSON feed: no login; only 监督抽检 and
评价性抽检 results whose report is out (never 风险监测, a pending sample or a report dated after today);
unqualified rows with their items, measured and standard values and units; an unregistered person's name
masked; filters by report year and month, 食品大类 and conclusion; paged, bounded, escaped, rate limited."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from jianguan.businesses.rules import with_check_digit
from jianguan.sampling.choices import Conclusion, RetestOutcome, SamplingType
from jianguan.sampling.models import UnqualifiedItem
from jianguan.sampling.services import (
    Item,
    sample_dispose,
    sample_result,
    sample_retest_request,
    sample_retest_result,
    sample_serve,
)

from ..factories import BusinessFactory, UserFactory
from .factories import SampleFactory, category, fmt, sampled

pytestmark = pytest.mark.django_db
URL, FEED = "/public/sampling/", "/public/sampling/feed.json"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the public pages are rate limited per client, counted in the cache
    yield
    cache.clear()


def today() -> dt.date:
    return timezone.localdate()


def reported(days_ago: int = 5, report_on: dt.date | None = None, sampled_on: dt.date | None = None, **kw):
    """A sample whose report is out `days_ago` days before today (sampled 20 days earlier)."""
    report_on = report_on or today() - dt.timedelta(days=days_ago)
    return SampleFactory(sampled_on=sampled_on or report_on - dt.timedelta(days=20), report_on=report_on, **kw)


def with_items(sample, *items):
    for n, (name, measured, standard, unit) in enumerate(items, 1):
        UnqualifiedItem.objects.create(sample=sample, name=name, measured=measured, standard=standard, unit=unit, order=n)
    return sample


def feed(client, **params) -> dict:
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def numbers(client, **params) -> set[str]:
    return {r["number"] for r in feed(client, **params)["results"]}


def test_only_supervision_and_evaluation_results_with_the_report_out_are_published(client):
    qualified = reported(number="DC-PUB-1")
    evaluation = reported(number="DC-PUB-2", sampling_type=SamplingType.EVALUATION)
    failed = with_items(reported(number="DC-PUB-3", conclusion=Conclusion.UNQUALIFIED), ("铅（以Pb计）", "0.35", "≤0.2", "mg/kg"))
    risk_ok = reported(number="FX-PUB-4", sampling_type=SamplingType.RISK)
    risk_problem = with_items(reported(number="FX-PUB-5", sampling_type=SamplingType.RISK, conclusion=Conclusion.PROBLEM),
                              ("镉（以Cd计）", "0.3", "≤0.1", "mg/kg"))
    pending = SampleFactory(number="DC-PUB-6", sampled_on=today() - dt.timedelta(days=3), conclusion=Conclusion.PENDING)
    tomorrow = SampleFactory(number="DC-PUB-7", sampled_on=today() - dt.timedelta(days=10), report_on=today() + dt.timedelta(days=1))

    page = client.get(URL)  # anonymous
    assert page.status_code == 200
    body = page.content.decode()
    for sample in (qualified, evaluation, failed):
        assert sample.number in body
    for sample in (risk_ok, risk_problem, pending, tomorrow):
        assert sample.number not in body
    assert "镉" not in body and "问题样品" not in body
    assert "风险监测的结果用于发现和排查食品安全风险，不作合格判定，不在本页公布" in body
    assert "共公布 3 批次，其中合格 2 批次、不合格 1 批次" in body

    data = feed(client)
    assert data["as_of"] == today().isoformat() and data["count"] == 3
    assert {r["number"] for r in data["results"]} == {qualified.number, evaluation.number, failed.number}
    assert {r["sampling_type"] for r in data["results"]} == {"监督抽检", "评价性抽检"}


def test_unqualified_rows_show_each_item_with_measured_and_standard_values_and_units(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关鑫源便民超市")
    failed = with_items(
        reported(number="DC-ITEM-1", conclusion=Conclusion.UNQUALIFIED, business=business, sample_name="韭菜",
                 food_category=category("食用农产品"), producer_name="寿光市某蔬菜合作社", institution="济南市食品药品检验检测中心",
                 batch="2026-09-01"),
        ("腐霉利", "0.82", "≤0.2", "mg/kg"), ("毒死蜱", "0.05", "≤0.02", "mg/kg"))
    passed = reported(number="DC-ITEM-2", business=business)

    item = next(r for r in feed(client)["results"] if r["number"] == failed.number)
    assert item["conclusion"] == "不合格" and item["unqualified"] is True
    assert item["items"] == [
        {"name": "腐霉利", "measured": "0.82", "standard": "≤0.2", "unit": "mg/kg"},
        {"name": "毒死蜱", "measured": "0.05", "standard": "≤0.02", "unit": "mg/kg"},
    ]
    assert item["business_name"] == "东关鑫源便民超市" and item["business_uscc"] == business.uscc
    assert item["subdistrict"] == "东关街道" and item["producer_name"] == "寿光市某蔬菜合作社"
    assert item["institution"] == "济南市食品药品检验检测中心" and item["food_category"] == "食用农产品"
    assert item["disposal"] == "核查处置中"
    other = next(r for r in feed(client)["results"] if r["number"] == passed.number)
    assert other["conclusion"] == "合格" and other["items"] == [] and other["disposal"] == ""

    body = client.get(URL).content.decode()
    for text in ("腐霉利", "0.82", "≤0.2", "mg/kg", "毒死蜱", "寿光市某蔬菜合作社", "济南市食品药品检验检测中心", "2026-09-01"):
        assert text in body, text


def test_the_retest_and_the_disposal_as_the_public_sees_them_and_nothing_internal(client, org):
    officer = UserFactory(username="east-officer", role="station", org_unit=org.east, full_name="执法员欧阳明")
    base = today() - dt.timedelta(days=60)

    def failed(number):
        sample = sampled(org, actor=officer, number=number, sampled_on=base, sent_on=base)
        sample = sample_result(actor=officer, sample=sample, report_on=base + dt.timedelta(days=14), conclusion=Conclusion.UNQUALIFIED,
                               items=[Item("苯甲酸及其钠盐（以苯甲酸计）", "1.6", "≤1.0", "g/kg")])
        return sample_serve(actor=officer, sample=sample, served_on=base + dt.timedelta(days=15))

    asked = sample_retest_request(actor=officer, sample=failed("DC-RT-1"), requested_on=base + dt.timedelta(days=16))
    overturned = sample_retest_request(actor=officer, sample=failed("DC-RT-2"), requested_on=base + dt.timedelta(days=16))
    overturned = sample_retest_result(actor=officer, sample=overturned, report_on=base + dt.timedelta(days=30),
                                      outcome=RetestOutcome.OVERTURNED)
    disposed = sample_dispose(actor=officer, sample=failed("DC-RT-3"), disposed_on=base + dt.timedelta(days=40),
                              cause="内部核查：进货查验记录缺失", no_case_reason="内部意见：货值较小", note="内部备注")

    results = {r["number"]: r for r in feed(client)["results"]}
    assert results[asked.number]["note"] == "被抽样单位已申请复检，以复检结论为准"
    assert results[overturned.number]["conclusion"] == "合格" and results[overturned.number]["items"] == []
    assert results[overturned.number]["note"] == "经复检合格，原不合格检验结论不成立"
    day = disposed.disposed_on
    assert results[disposed.number]["disposal"] == f"已于{day.year}年{day.month}月{day.day}日完成核查处置"
    for url in (URL, FEED):
        body = client.get(url).content.decode()
        for secret in ("内部核查", "内部意见", "内部备注", "执法员欧阳明"):
            assert secret not in body, (url, secret)


def test_an_unregistered_persons_name_is_masked_registered_parties_are_not(client, org):
    stall = reported(number="DC-NAME-1", business=None, business_name="欧阳娜娜", business_uscc="",
                     subdistrict=org.subs["dongguan"], business_format=fmt("农贸市场"))
    individual = BusinessFactory(subdistrict=org.subs["jiefang"], name="示范区解放张记熟食店", entity_type="individual")
    shop = reported(number="DC-NAME-2", business=individual)
    school_code = with_check_digit("12370102MB0000001")
    canteen = reported(number="DC-NAME-3", business=None, business_name="示范区实验中学食堂", business_uscc=school_code,
                       subdistrict=org.subs["xiguan"])

    for url in (URL, FEED):
        body = client.get(url).content.decode()
        assert "欧阳娜娜" not in body, url
        assert "欧***" in body and "示范区解放张记熟食店" in body and "示范区实验中学食堂" in body, url
    results = {r["number"]: r for r in feed(client)["results"]}
    assert results[stall.number]["business_name"] == "欧***" and results[stall.number]["business_kind"] == "个人（未登记）"
    assert results[shop.number]["business_uscc"] == individual.uscc
    assert results[canteen.number]["business_uscc"] == school_code


def test_everything_shown_is_escaped(client):
    with_items(reported(number="DC-<b>X</b>", conclusion=Conclusion.UNQUALIFIED, sample_name="<script>alert(1)</script>",
                        producer_name='"><img src=x onerror=alert(2)>', business=None, business_name="<i>某摊</i>", business_uscc=""),
               ("<svg onload=alert(3)>", "<1>", "&", "<u>"))
    body = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body and "<svg" not in body and "<b>X</b>" not in body and "<u>" not in body
    assert "&lt;svg onload=alert(3)&gt;" in body
    result = feed(client)["results"][0]
    assert result["sample_name"] == "<script>alert(1)</script>"  # JSON carries the text as it is, for the client to escape
    assert client.get(FEED)["Content-Type"].startswith("application/json")


def test_filters_by_report_year_and_month_food_category_and_conclusion(client):
    last_year = today().year - 1
    july = reported(number="DC-F-1", report_on=dt.date(last_year, 7, 31), sampled_on=dt.date(last_year, 7, 10))
    august = reported(number="DC-F-2", report_on=dt.date(last_year, 8, 1), sampled_on=dt.date(last_year, 7, 10),
                      food_category=category("糕点"))
    august_failed = with_items(reported(number="DC-F-3", report_on=dt.date(last_year, 8, 20), sampled_on=dt.date(last_year, 8, 1),
                                        conclusion=Conclusion.UNQUALIFIED, food_category=category("糕点")),
                               ("菌落总数", "1.2×10⁵", "≤1×10⁴", "CFU/g"))
    this_year = reported(number="DC-F-4", days_ago=0)

    assert numbers(client) == {july.number, august.number, august_failed.number, this_year.number}
    assert numbers(client, year=last_year) == {july.number, august.number, august_failed.number}
    assert numbers(client, year=last_year, month=7) == {july.number}  # by the report date, not the sampling date
    assert numbers(client, year=last_year, month=8) == {august.number, august_failed.number}
    assert numbers(client, year=today().year) == {this_year.number}
    cakes = category("糕点").code
    assert numbers(client, category=cakes) == {august.number, august_failed.number}
    assert numbers(client, category=cakes, conclusion="unqualified") == {august_failed.number}
    assert numbers(client, conclusion="qualified") == {july.number, august.number, this_year.number}
    assert feed(client, year=last_year, month=8, category=cakes)["filters"] == {
        "year": last_year, "month": 8, "category": cakes, "category_name": "糕点"}

    page = client.get(URL, {"year": last_year, "month": 8, "category": cakes}).content.decode()
    assert august.number in page and july.number not in page and this_year.number not in page
    assert "共公布 2 批次，其中合格 1 批次、不合格 1 批次" in page
    assert f'<option value="{last_year}" selected>' in page and '<option value="8" selected>' in page
    assert f'<option value="{cakes}" selected>' in page


@pytest.mark.parametrize("params, code", [
    ({"year": "abc"}, "invalid_year"),
    ({"year": "1999"}, "invalid_year"),
    ({"year": "9" * 30}, "invalid_year"),
    ({"year": "2026", "month": "13"}, "invalid_month"),
    ({"month": "7"}, "month_without_year"),
    ({"category": "no-such"}, "invalid_category"),
    ({"conclusion": "problem"}, "invalid_conclusion"),
])
def test_bad_filters_are_a_400_in_the_feed_and_a_message_on_the_page(client, params, code):
    shown = reported(number="DC-BAD-1")
    response = client.get(FEED, params)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == code and error["message"] and error["extra"]["field"] in params
    page = client.get(URL, params)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="filter-error"' in body and "已显示全部公告信息" in body and shown.number in body


def test_feed_pages_and_bounds(client):
    for n in range(5):
        reported(number=f"DC-P-{n}", days_ago=n + 1)
    first = feed(client, page_size=2)
    assert first["count"] == 5 and first["page"] == 1 and first["page_size"] == 2 and first["previous"] is None
    assert [r["number"] for r in first["results"]] == ["DC-P-0", "DC-P-1"]  # the latest report first
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    last = feed(client, page_size=2, page=3)
    assert [r["number"] for r in last["results"]] == ["DC-P-4"] and last["next"] is None and "page=2" in last["previous"]
    assert feed(client, page_size=2, page=9)["results"] == []
    assert len(feed(client)["results"]) == 5
    filtered = feed(client, page_size=1, conclusion="qualified", year=today().year)
    assert "conclusion=qualified" in filtered["next"] and f"year={today().year}" in filtered["next"]
    for bad in ({"page_size": 101}, {"page_size": 0}, {"page_size": "x"}, {"page": 0}, {"page": "9" * 30}):
        response = client.get(FEED, bad)
        assert response.status_code == 400 and response.json()["code"].startswith("invalid_page"), bad


def test_the_page_is_paged_with_its_filters_kept(client):
    for n in range(32):
        reported(number=f"DC-PG-{n:02d}", days_ago=n % 3)
    body = client.get(URL, {"conclusion": "qualified"}).content.decode()
    assert "共 32 项，第 1/2 页" in body and "conclusion=qualified&amp;page=2" in body
    second = client.get(URL, {"conclusion": "qualified", "page": 2}).content.decode()
    assert "第 2/2 页" in second and second.count("DC-PG-") == 2
    assert client.get(URL, {"page": "9" * 40}).status_code == 200


def test_read_only_unknown_paths_answer_publicly(client):
    reported()
    assert client.post(URL).status_code == 405
    assert client.post(FEED).status_code == 405
    other = client.get("/public/sampling/nothing/here")
    assert other.status_code == 404 and "返回食品安全抽检信息公告" in other.content.decode()
    assert client.get("/public/sampling/unknown.json").json()["code"] == "not_found"
    assert client.get("/public/sampling").status_code == 301


def test_public_pages_are_rate_limited(client, settings):
    settings.JIANGUAN_RATE_LIMITS = {"public": "2/m"}
    assert client.get(URL).status_code == 200 and client.get(FEED).status_code == 200
    refused = client.get(URL)
    assert refused.status_code == 429 and "访问过于频繁" in refused.content.decode() and int(refused["Retry-After"]) >= 1
    assert client.get(FEED).json()["code"] == "rate_limited"
