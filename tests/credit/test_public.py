"""The public 信用信息查询 (/public/credit/): no login; search by a name fragment of two characters or more or
by an exact, valid USCC; per business the abnormal-list entries decided (列入 and 标记, in force or removed, with
reason, dates and the deciding bureau), the serious-list entries and the report years filed and published —
never the risk class, a proposal, a declined proposal, a revoked listing or the legal representative;
paged, escaped, 404 in the public layout, rate limited."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from jianguan.cases.choices import SeriousCategory
from jianguan.credit.choices import AbnormalReason, EntryStatus, RemovalReason, SeriousSource
from jianguan.credit.models import RiskScore, SeriousEntry

from ..factories import BusinessFactory
from .factories import AnnualReportFactory, entry

pytestmark = pytest.mark.django_db
URL = "/public/credit/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the public pages are rate limited per client, counted in the cache
    yield
    cache.clear()


def today() -> dt.date:
    return timezone.localdate()


def _page(client, q: str, **params):
    resp = client.get(URL, {"q": q, **params})
    return resp, resp.content.decode()


def _section(page: str, uscc: str) -> str:
    start = page.index(f'id="business-{uscc}"')
    return page[start: page.index("</section>", start)]


@pytest.fixture
def world(org):
    d = today()
    shop = BusinessFactory(name="泉城惠民超市有限公司", subdistrict=org.subs["dongguan"], legal_rep="李大明")
    stall = BusinessFactory(name="泉城老张烧烤店", entity_type="individual", subdistrict=org.subs["xiguan"])
    clean = BusinessFactory(name="泉城清白商贸有限公司", subdistrict=org.subs["dongguan"])
    listed = entry(shop, report_year=d.year - 2, proposed_on=d - dt.timedelta(days=400), listed_on=d - dt.timedelta(days=390))
    removed = entry(shop, reason=AbnormalReason.UNREACHABLE, report_year=None, proposed_on=d - dt.timedelta(days=300),
                    listed_on=d - dt.timedelta(days=290), removed_on=d - dt.timedelta(days=100))
    revoked = entry(shop, reason=AbnormalReason.FALSE_INFO, report_year=None, proposed_on=d - dt.timedelta(days=200),
                    listed_on=d - dt.timedelta(days=190), removed_on=d - dt.timedelta(days=180),
                    removal_reason=RemovalReason.REVOKED)
    proposed = entry(shop, reason=AbnormalReason.NOT_DISCLOSED, report_year=None, proposed_on=d - dt.timedelta(days=3))
    marked = entry(stall, report_year=d.year - 1, proposed_on=d - dt.timedelta(days=20), listed_on=d - dt.timedelta(days=10))
    serious = SeriousEntry.objects.create(
        business=shop, source=SeriousSource.ABNORMAL, category=SeriousCategory.REGISTRATION, abnormal_entry=listed,
        status=EntryStatus.LISTED, proposed_on=d - dt.timedelta(days=30), listed_on=d - dt.timedelta(days=20),
        list_until=d + dt.timedelta(days=1000))
    declined = SeriousEntry.objects.create(
        business=shop, source=SeriousSource.ABNORMAL, category=SeriousCategory.FOOD_DRUG, abnormal_entry=removed,
        status=EntryStatus.DECLINED, proposed_on=d - dt.timedelta(days=60), declined_reason="不符合条件")
    AnnualReportFactory(business=shop, year=d.year - 3, filed_on=d - dt.timedelta(days=700))
    AnnualReportFactory(business=shop, year=d.year - 4, filed_on=d - dt.timedelta(days=1100), published=False)
    AnnualReportFactory(business=clean, year=d.year - 1, filed_on=d - dt.timedelta(days=5))
    RiskScore.objects.create(business=shop, scored_on=d, points=95, computed_class="D", factors=[
        {"key": "serious", "label": "内部因素标签", "count": 1, "points": 95}], changed_on=d)
    return dict(shop=shop, stall=stall, clean=clean, listed=listed, removed=removed, revoked=revoked, proposed=proposed,
                marked=marked, serious=serious, declined=declined)


def test_search_by_name_shows_the_public_record(client, world):
    shop, d = world["shop"], today()
    resp, page = _page(client, "惠民超市")
    assert resp.status_code == 200 and "共找到 1 户" in page
    record = _section(page, shop.uscc)
    # The listing in force and the one removed, with reason, dates, the bureau and the removal reason.
    assert "未按规定报送年度报告" in record and f"（{d.year - 2}年度）" in record
    assert world["listed"].listed_on.isoformat() in record and "测试区市场监督管理局" in record
    assert "通过登记的住所或者经营场所无法联系" in record and world["removed"].removed_on.isoformat() in record
    assert "申请移出（已纠正）" in record
    # Never a revoked listing, a proposal or a declined serious proposal.
    assert "公示信息隐瞒真实情况" not in record and "未按责令期限公示有关信息" not in record
    assert "食品药品安全领域" not in record
    # The serious list entry in force, with its category and dates.
    assert "违反登记管理、信息公示规定" in record and world["serious"].list_until.isoformat() in record
    assert record.count("在列") >= 2 and "经营异常</span>" in record and "严重违法失信</span>" in record
    # Annual reports: only the year filed and published.
    assert f"{d.year - 3}年度" in record and f"{d.year - 4}年度" not in record
    # Never the risk class or its factors, never the legal representative.
    assert "内部因素标签" not in page and "D 类" not in page and "风险分类：" not in page and "李大明" not in page


def test_an_individual_business_is_shown_as_marked(client, world):
    stall = world["stall"]
    resp, page = _page(client, stall.uscc)
    assert resp.status_code == 200
    record = _section(page, stall.uscc)
    assert "标记为经营异常状态" in record and "列入经营异常名录" not in record.split("<tbody>")[1]
    assert "暂无已公示的年度报告" in record


def test_a_clean_business_shows_no_entries_and_its_reports(client, world):
    resp, page = _page(client, "清白商贸")
    record = _section(page, world["clean"].uscc)
    assert "无经营异常名录信息" in record and "无严重违法失信名单信息" in record and "badge danger" not in record
    assert f"{today().year - 1}年度" in record


def test_search_by_code_is_exact_and_checked(client, world):
    shop = world["shop"]
    resp, page = _page(client, shop.uscc.lower())
    assert resp.status_code == 200 and "共找到 1 户" in page and shop.name in page
    wrong = shop.uscc[:17] + ("0" if shop.uscc[17] != "0" else "1")
    resp, page = _page(client, wrong)
    assert resp.status_code == 400 and "校验位错误" in page and shop.name not in page
    # A prefix of a code is neither a code nor a name: nothing found, no error.
    resp, page = _page(client, shop.uscc[:10])
    assert resp.status_code == 200 and "共找到 0 户" in page


def test_one_character_is_refused_with_the_reason(client, world):
    resp, page = _page(client, "泉")
    assert resp.status_code == 400 and "至少输入2个字" in page and world["shop"].name not in page
    resp, page = _page(client, "")
    assert resp.status_code == 200 and "共找到" not in page  # the empty form


def test_results_are_paged_and_escaped(client, org):
    for n in range(23):
        BusinessFactory(name=f"济南分页测试<b>{n:02d}</b>店", subdistrict=org.subs["dongguan"])
    resp, page = _page(client, "分页测试")
    assert "共找到 23 户" in page and page.count('class="card record') == 20 and "<b>" not in page and "&lt;b&gt;" in page
    resp, page = _page(client, "分页测试", page="2")
    assert page.count('class="card record') == 3
    assert _page(client, "分页测试", page="abc")[0].status_code == 200


def test_no_login_needed_and_404_in_public_layout(client, world):
    other = client.get("/public/credit/nothing-here/")
    assert other.status_code == 404 and "返回信用信息查询" in other.content.decode()
    assert client.get("/public/credit").status_code == 301


def test_public_lookup_is_rate_limited(client, settings, world):
    settings.JIANGUAN_RATE_LIMITS = {"public": "2/m"}
    assert _page(client, "惠民")[0].status_code == 200 and _page(client, "惠民")[0].status_code == 200
    refused = client.get(URL, {"q": "惠民"})
    assert refused.status_code == 429 and "访问过于频繁" in refused.content.decode()


def test_the_lookup_reads_a_bounded_number_of_queries(client, org, world, django_assert_max_num_queries):
    for n in range(15):
        b = BusinessFactory(name=f"泉城批量{n}号店", subdistrict=org.subs["jiefang"])
        entry(b, listed_on=today() - dt.timedelta(days=5), proposed_on=today() - dt.timedelta(days=9))
        AnnualReportFactory(business=b, year=today().year - 1, filed_on=today() - dt.timedelta(days=9))
    # bureau name, count, page, three reads of the records, rate limit cache aside: the same for 15 as for 1
    with django_assert_max_num_queries(7):
        resp, page = _page(client, "泉城")
    assert page.count('class="card record') == 18
