"""The 抽检 staff pages through the Django test client: the sample list (filters, the nearest clock, overdue
in red), recording a sample (from scratch and after a positive quick test), the sample's page (timeline,
clocks with 暂定, every step form through its service, refusals in Chinese next to the field, a stale
version caught), quick-test entry and its list, plans and their progress; station scoping (404 outside the
jurisdiction) and leadership read-only (403, no forms)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jianguan.cases.choices import LeadSource
from jianguan.cases.models import Lead
from jianguan.core.models import Rule
from jianguan.org.choices import OrgKind
from jianguan.sampling.choices import Conclusion, DisposalStatus, QuickTestResult, RetestOutcome, SamplingType
from jianguan.sampling.models import PlanTarget, QuickTest, Sample, SamplingPlan
from jianguan.sampling.services import Target, plan_save, sample_serve

from ..factories import BusinessFactory, OrgUnitFactory
from .factories import QuickTestFactory, SampleFactory, category, fmt, sampled, unqualified

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 9, 21)  # a Monday


@pytest.fixture(autouse=True)
def now(monkeypatch):
    moment = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(10)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return TODAY


def html(response) -> str:
    return response.content.decode()


def ids(response, prefix: str) -> list[int]:
    return [int(pk) for pk in re.findall(rf'<tr id="{prefix}-(\d+)"', html(response))]


def row(response, prefix: str, pk: int) -> str:
    return re.search(rf'<tr id="{prefix}-{pk}"[^>]*>.*?</tr>', html(response), re.S).group(0)


def field_errors(response, auto_id: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="errors-{auto_id}">(.*?)</ul>', html(response), re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)) if found else ""


def post_step(client, sample: Sample, step: str, **data):
    sample.refresh_from_db()
    return client.post(reverse("sampling:act", args=[sample.pk, step]), {"version": sample.version, **data})


@pytest.fixture
def shops(org):
    return {"east": BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"]),
            "west": BusinessFactory(name="西关副食店", subdistrict=org.subs["xiguan"])}


@pytest.fixture
def world(org, shops):
    """Samples at both stations in every state the list tells apart."""
    return {
        "pending": SampleFactory(business=shops["east"], conclusion=Conclusion.PENDING, sampled_on=dt.date(2026, 9, 15),
                                 sample_name="酱油"),
        "qualified": SampleFactory(business=shops["east"], sampled_on=dt.date(2026, 8, 1), sample_name="大米",
                                   food_category=category("粮食加工品")),
        "overdue": SampleFactory(business=shops["east"], conclusion=Conclusion.UNQUALIFIED, sampled_on=dt.date(2026, 5, 1),
                                 report_on=dt.date(2026, 5, 20), served_on=dt.date(2026, 5, 22), sample_name="腌菜"),
        "disposed": SampleFactory(business=shops["east"], conclusion=Conclusion.UNQUALIFIED, sampled_on=dt.date(2025, 6, 1),
                                  report_on=dt.date(2025, 6, 20), served_on=dt.date(2025, 6, 23), disposed_on=dt.date(2025, 8, 1),
                                  cause="进货未查验", no_case_reason="已改正", business_format=fmt("餐饮")),
        "risk": SampleFactory(business=shops["east"], sampling_type=SamplingType.RISK, conclusion=Conclusion.PROBLEM,
                              sampled_on=dt.date(2026, 7, 1)),
        "west": SampleFactory(business=shops["west"], conclusion=Conclusion.UNQUALIFIED, sampled_on=dt.date(2026, 9, 1),
                              report_on=dt.date(2026, 9, 18), sample_name="豆腐"),
    }


# ---------------------------------------------------------------- every page, every role


def test_every_page_answers_each_role(client, org, world):
    plan = plan_save(actor=None, year=2026, department=org.dept, title="食品安全监督抽检计划", batches=100)
    test = QuickTestFactory(subdistrict=org.subs["dongguan"])
    sample = world["overdue"]
    read = ["/sampling/", "/sampling/quicktests/", "/sampling/plans/", f"/sampling/{sample.pk}/", f"/sampling/plans/{plan.pk}/",
            "/sampling/?q=腌菜&sampling_type=supervision&format=03&category=16&conclusion=unqualified&disposal=disposing&year=2026",
            "/sampling/quicktests/?result=positive&mode=station&item=农药残留&year=2026&unfollowed=1&q=白菜"]
    writes = ["/sampling/new/", "/sampling/quicktests/new/", f"/sampling/quicktests/new/?again={test.pk}"]
    for role in ("east", "dept", "leader", "admin"):
        client.force_login(getattr(org.users, role))
        for url in read:
            assert client.get(url).status_code == 200, (role, url)
        for url in writes:
            assert client.get(url).status_code == (403 if role == "leader" else 200), (role, url)
        expected = 200 if role in ("dept", "admin") else 403
        assert client.get("/sampling/plans/new/").status_code == expected, role
        assert client.get(f"/sampling/plans/{plan.pk}/edit/").status_code == expected, role
    # The navigation names the section for every staff role.
    assert 'href="/sampling/"' in html(client.get("/"))


def test_a_station_sees_only_its_jurisdiction(client, org, world):
    test = QuickTestFactory(subdistrict=org.subs["dongguan"], result=QuickTestResult.POSITIVE)
    client.force_login(org.users.west)
    assert ids(client.get("/sampling/"), "sample") == [world["west"].pk]
    for url in (f"/sampling/{world['overdue'].pk}/", f"/sampling/quicktests/new/?again={test.pk}", f"/sampling/new/?quicktest={test.pk}",
                "/sampling/99999999999999999999/"):
        assert client.get(url).status_code == 404, url
    resp = post_step(client, world["overdue"], "dispose", cause="x")
    assert resp.status_code == 404
    assert ids(client.get("/sampling/quicktests/"), "quicktest") == []
    client.force_login(org.users.east)
    listed = ids(client.get("/sampling/"), "sample")
    assert world["west"].pk not in listed and world["overdue"].pk in listed
    assert ids(client.get("/sampling/quicktests/"), "quicktest") == [test.pk]


# ---------------------------------------------------------------- the list


def test_the_list_shows_the_next_clock_with_overdue_in_red(client, org, world):
    client.force_login(org.users.dept)
    resp = client.get("/sampling/")
    assert ids(resp, "sample") == [world[k].pk for k in ("pending", "west", "qualified", "risk", "overdue", "disposed")]
    overdue = row(resp, "sample", world["overdue"].pk)
    assert 'class="overdue"' in overdue and "已逾期" in overdue and "处置期限" in overdue and "核查处置中" in overdue
    # The west sample awaits service: 5 working days from Friday 18 Sept, Sunday 20 Sept a 调休 working day.
    west = row(resp, "sample", world["west"].pk)
    assert "送达期限 2026-09-24" in west and "剩余 3 个工作日" in west and 'class="soon"' in west
    assert "报告期限" in row(resp, "sample", world["pending"].pk) or "送检期限" in row(resp, "sample", world["pending"].pk)
    page = html(resp)
    assert re.search(r'id="total-count">6<', page) and re.search(r'id="unqualified-count">3<', page)
    assert re.search(r'id="disposing-count">2<', page) and re.search(r'id="overdue-count">1<', page)


def test_the_list_filters(client, org, shops, world):
    client.force_login(org.users.dept)

    def listed(**params):
        return set(ids(client.get("/sampling/", params), "sample"))

    assert listed(q="腌菜") == {world["overdue"].pk}
    assert listed(q=world["overdue"].number[-6:]) == {world["overdue"].pk}
    assert listed(q=shops["west"].uscc.lower()) == {world["west"].pk}
    assert listed(sampling_type="risk") == {world["risk"].pk}
    assert listed(format=fmt("餐饮").code) == {world["disposed"].pk}
    assert listed(category=category("粮食加工品").code) == {world["qualified"].pk}
    assert listed(conclusion="unqualified") == {world[k].pk for k in ("overdue", "disposed", "west")}
    assert listed(disposal="disposed") == {world["disposed"].pk}
    assert listed(year="2025") == {world["disposed"].pk}
    assert listed(station="S2") == {world["west"].pk}
    assert listed(pending="disposal", due="overdue") == {world["overdue"].pk}
    assert listed(due="overdue") == {world["overdue"].pk}
    assert listed(pending="service") == {world["west"].pk}
    assert listed(pending="service", due="soon") == {world["west"].pk}
    assert listed(pending="service", due="overdue") == set()
    # A value that means nothing is said and ignored, never an error.
    resp = client.get("/sampling/", {"conclusion": "坏", "year": "²", "due": "later"})
    assert resp.status_code == 200 and len(ids(resp, "sample")) == 6
    assert "检验结论“坏”无效" in html(resp) and "年度“²”无效" in html(resp)


def test_the_ledger_exports_are_scoped(client, org, world):
    QuickTestFactory(subdistrict=org.subs["dongguan"], product="东关小白菜")
    QuickTestFactory(subdistrict=org.subs["xiguan"], product="西关菠菜")
    client.force_login(org.users.east)
    page = html(client.get("/sampling/"))
    assert 'href="/sampling/export/" id="export-link"' in page and 'href="/imports/samples/" id="import-link"' in page
    resp = client.get("/sampling/export/", {"format": "csv"})
    assert resp.status_code == 200 and "attachment" in resp["Content-Disposition"]
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    assert "处置期限" in text.splitlines()[0] and "处置状态" in text.splitlines()[0]
    assert world["overdue"].number in text and world["west"].number not in text
    text = b"".join(client.get("/sampling/quicktests/export/", {"format": "csv"}).streaming_content).decode("utf-8-sig")
    assert "东关小白菜" in text and "西关菠菜" not in text
    # Leadership exports (reads) and is offered no import.
    client.force_login(org.users.leader)
    page = html(client.get("/sampling/quicktests/"))
    assert 'id="export-link"' in page and 'id="import-link"' not in page
    assert client.get("/sampling/export/").status_code == 200


# ---------------------------------------------------------------- recording a sample


def sample_form(**kw) -> dict:
    data = {"number": "DC26370102990001", "sampled_on": "2026-09-21", "sampling_type": "supervision",
            "business_format": fmt("超市").pk, "food_category": category("蔬菜制品").pk, "sample_name": "泡菜",
            "business_uscc": "", "business_name": "", "subdistrict": ""}
    data.update(kw)
    return data


def test_recording_a_sample_through_the_form(client, org, shops):
    client.force_login(org.users.east)
    resp = client.post("/sampling/new/", sample_form(business_uscc=shops["east"].uscc.lower(), sent_on="2026-09-22",
                                                     institution="山东省食品药品检验研究院"))
    sample = Sample.objects.get()
    assert resp.status_code == 302 and resp.url == f"/sampling/{sample.pk}/"
    assert (sample.business, sample.subdistrict, sample.created_by) == (shops["east"], org.subs["dongguan"], org.users.east)
    assert sample.sent_on == dt.date(2026, 9, 22) and sample.report_due is not None
    page = html(client.get(resp.url))
    assert "DC26370102990001" in page and "东关便民超市" in page and 'id="clock-report_due"' in page
    # An unregistered stall, by name and subdistrict.
    resp = client.post("/sampling/new/", sample_form(number="DC26370102990002", business_name="刘记菜摊",
                                                     subdistrict=org.subs["jiefang"].pk))
    assert resp.status_code == 302
    stall = Sample.objects.get(number="DC26370102990002")
    assert stall.business is None and stall.subdistrict == org.subs["jiefang"] and stall.send_due is not None


def test_sample_refusals_are_shown_next_to_their_fields(client, org, shops):
    SampleFactory(number="DC26370102990001", business=shops["east"])
    client.force_login(org.users.east)
    resp = client.post("/sampling/new/", sample_form(business_uscc=shops["east"].uscc))
    assert resp.status_code == 400 and "已登记" in field_errors(resp, "id_number")
    assert 'value="泡菜"' in html(resp)  # what was typed is kept
    resp = client.post("/sampling/new/", sample_form(number="X1", business_uscc="91370102MA3C8XXXX0"))
    assert resp.status_code == 400 and "校验不通过" in field_errors(resp, "id_business_uscc")
    resp = client.post("/sampling/new/", sample_form(number="X1", business_name="", subdistrict=org.subs["jiefang"].pk))
    assert resp.status_code == 400 and "被抽样单位名称" in field_errors(resp, "id_business_name")
    resp = client.post("/sampling/new/", sample_form(number="X1", business_uscc=shops["east"].uscc, sent_on="2026-09-01"))
    assert resp.status_code == 400 and "早于抽样日期" in field_errors(resp, "id_sent_on")
    resp = client.post("/sampling/new/", sample_form(number="X1", business_format="", food_category="99999"))
    assert "请选择业态" in field_errors(resp, "id_business_format") and "食品大类无效" in field_errors(resp, "id_food_category")
    # Outside the station's jurisdiction: the service's 403, said on top of the form.
    client.force_login(org.users.west)
    resp = client.post("/sampling/new/", sample_form(number="X1", business_uscc=shops["east"].uscc))
    assert resp.status_code == 403 and "不在您的辖区范围内" in html(resp)
    assert Sample.objects.count() == 1


def test_a_positive_quick_test_proposes_its_follow_up_sample(client, org, shops):
    test = QuickTestFactory(business=shops["east"], business_uscc=shops["east"].uscc, subdistrict=org.subs["dongguan"],
                            result=QuickTestResult.POSITIVE, product="韭菜", tested_on=dt.date(2026, 9, 18))
    client.force_login(org.users.east)
    resp = client.get(f"/sampling/new/?quicktest={test.pk}")
    page = html(resp)
    assert 'id="from-quicktest"' in page and 'value="韭菜"' in page and f'value="{shops["east"].uscc}"' in page
    assert 'value="2026-09-18"' in page and f'name="quick_test" value="{test.pk}"' in page
    resp = client.post("/sampling/new/", sample_form(business_uscc=shops["east"].uscc, sample_name="韭菜", quick_test=test.pk,
                                                     sampled_on="2026-09-18", food_category=category("食用农产品").pk))
    assert resp.status_code == 302
    test.refresh_from_db()
    assert test.sample == Sample.objects.get()
    assert "韭菜" in html(client.get(resp.url)) and 'id="from-quicktest"' in html(client.get(resp.url))
    # Proposed once: the second time the page says so and proposes nothing.
    page = html(client.get(f"/sampling/new/?quicktest={test.pk}", follow=True))
    assert "已登记跟进抽样" in page and 'id="from-quicktest"' not in page


# ---------------------------------------------------------------- the sample's page and its steps


def test_send_and_result_with_several_unqualified_items(client, org):
    sample = sampled(org, sampled_on=dt.date(2026, 9, 14))
    client.force_login(org.users.east)
    page = html(client.get(f"/sampling/{sample.pk}/"))
    assert 'id="form-send"' in page and 'id="form-result"' in page and 'id="form-dispose"' not in page
    resp = post_step(client, sample, "send", sent_on="2026-09-15", institution="济南市食品药品检验检测中心")
    assert resp.status_code == 302
    sample.refresh_from_db()
    assert sample.sent_on == dt.date(2026, 9, 15) and sample.institution == "济南市食品药品检验检测中心"
    # Unqualified without an item: refused next to the items.
    resp = post_step(client, sample, "result", conclusion="unqualified", report_on="2026-09-21", item_1_name="")
    assert resp.status_code == 400 and "至少填写一个不合格项目" in field_errors(resp, "result_items")
    assert 'id="step-result" open' in html(resp)
    # A value without its item's name: the form's own check on that row.
    resp = post_step(client, sample, "result", conclusion="unqualified", report_on="2026-09-21", item_1_measured="1.2")
    assert resp.status_code == 400 and "请填写项目名称" in field_errors(resp, "result_item_1_name")
    resp = post_step(client, sample, "result", conclusion="unqualified", report_on="2026-09-21",
                     item_1_name="苯甲酸及其钠盐", item_1_measured="1.2", item_1_standard="≤0.5", item_1_unit="g/kg",
                     item_2_name="", item_3_name="二氧化硫残留量", item_3_measured="0.3", item_3_standard="≤0.1", item_3_unit="g/kg",
                     item_4_name="")
    assert resp.status_code == 302
    sample.refresh_from_db()
    assert sample.conclusion == Conclusion.UNQUALIFIED and sample.disposal_status == DisposalStatus.DISPOSING
    assert [(i.name, i.measured, i.standard, i.unit) for i in sample.items.all()] == [
        ("苯甲酸及其钠盐", "1.2", "≤0.5", "g/kg"), ("二氧化硫残留量", "0.3", "≤0.1", "g/kg")]
    page = html(client.get(f"/sampling/{sample.pk}/"))
    assert "二氧化硫残留量" in page and 'id="clock-service_due"' in page and 'id="clock-disposal_due"' in page
    assert 'id="form-serve"' in page and 'id="form-dispose"' in page and 'id="form-open-lead"' in page
    assert 'id="form-result"' not in page
    # 风险监测 offers 合格 or 问题样品, never 不合格.
    risk = sampled(org, sampling_type=SamplingType.RISK)
    page = html(client.get(f"/sampling/{risk.pk}/"))
    assert "问题样品" in page and 'value="unqualified"' not in re.search(r'id="form-result".*?</form>', page, re.S).group(0)


def test_a_stale_version_is_caught_and_the_typed_values_kept(client, org):
    sample = unqualified(org)
    client.force_login(org.users.east)
    resp = client.post(reverse("sampling:act", args=[sample.pk, "serve"]), {"version": sample.version - 1, "served_on": "2026-09-21"})
    assert resp.status_code == 409 and 'id="stale"' in html(resp)
    assert f'name="version" value="{sample.version}"' in html(resp) and 'value="2026-09-21"' in html(resp)
    sample.refresh_from_db()
    assert sample.served_on is None


def test_clocks_timeline_and_provisional_dues_on_the_page(client, org):
    late = unqualified(org, report_on=dt.date(2026, 5, 20), sampled_on=dt.date(2026, 5, 1))
    sample_serve(actor=None, sample=late, served_on=dt.date(2026, 5, 22))
    year_end = unqualified(org, report_on=dt.date(2026, 12, 28), sampled_on=dt.date(2026, 12, 1))
    client.force_login(org.users.east)
    page = html(client.get(f"/sampling/{late.pk}/"))
    disposal = re.search(r'<li id="clock-disposal_due".*?</li>', page, re.S).group(0)
    assert "clock-overdue" in disposal and "已逾期" in disposal and 'class="overdue"' in disposal
    assert "按期" in re.search(r'<li id="clock-service_due".*?</li>', page, re.S).group(0)
    timeline = re.search(r'<ol class="timeline".*?</ol>', page, re.S).group(0)
    assert [t for t in ("抽样", "检验报告", "送达") if t in timeline] == ["抽样", "检验报告", "送达"]
    assert timeline.index("抽样") < timeline.index("检验报告") < timeline.index("送达")
    # Service by 5 working days from 28 Dec runs into 2027, whose calendar is not known: 暂定.
    page = html(client.get(f"/sampling/{year_end.pk}/"))
    service = re.search(r'<li id="clock-service_due".*?</li>', page, re.S).group(0)
    assert "暂定" in service and 'id="provisional-note"' in page
    assert "暂定" in row(client.get("/sampling/"), "sample", year_end.pk)


def test_serve_retest_and_an_overturning_result(client, org):
    sample = unqualified(org, report_on=dt.date(2026, 9, 14))
    client.force_login(org.users.east)
    assert post_step(client, sample, "serve", served_on="2026-09-15").status_code == 302
    sample.refresh_from_db()
    assert sample.retest_due is not None
    resp = post_step(client, sample, "retest", retest_requested_on="2026-09-16", retest_institution="山东省食品药品检验研究院")
    assert resp.status_code == 302
    page = html(client.get(f"/sampling/{sample.pk}/"))
    assert 'id="form-retest"' not in page and 'id="form-retest-result"' in page
    resp = post_step(client, sample, "retest-result", retest_report_on="2026-09-21", retest_outcome=RetestOutcome.OVERTURNED)
    assert resp.status_code == 302
    sample.refresh_from_db()
    assert sample.conclusion == Conclusion.QUALIFIED and sample.disposal_status == DisposalStatus.NONE
    page = html(client.get(f"/sampling/{sample.pk}/", follow=True))
    assert "复检合格" in page and 'id="form-dispose"' not in page


def test_objection_out_of_time_is_refused_next_to_its_date(client, org):
    sample = unqualified(org, report_on=dt.date(2026, 9, 1))
    sample_serve(actor=None, sample=sample, served_on=dt.date(2026, 9, 2))
    client.force_login(org.users.east)
    resp = post_step(client, sample, "objection", objection_on="2026-09-21")
    assert resp.status_code == 400 and "已逾期" in field_errors(resp, "objection_objection_on")
    resp = post_step(client, sample, "objection", objection_on="2026-09-07", objection_outcome="rejected")
    assert resp.status_code == 400 and "异议处理日期" in field_errors(resp, "objection_objection_decided_on")
    resp = post_step(client, sample, "objection", objection_on="2026-09-07", objection_outcome="rejected",
                     objection_decided_on="2026-09-10")
    assert resp.status_code == 302
    sample.refresh_from_db()
    assert sample.objection_outcome == "rejected" and sample.conclusion == Conclusion.UNQUALIFIED


def test_the_disposal_form(client, org):
    sample = unqualified(org, report_on=dt.date(2026, 9, 14))
    client.force_login(org.users.east)
    # Quantities without their unit, and a negative one.
    resp = post_step(client, sample, "dispose", removed_qty="12", cause="")
    assert resp.status_code == 400 and "数量单位" in field_errors(resp, "dispose_qty_unit")
    resp = post_step(client, sample, "dispose", removed_qty="-1", qty_unit="公斤")
    assert resp.status_code == 400 and "不能为负数" in field_errors(resp, "dispose_removed_qty")
    # Work in progress: no completion date yet.
    resp = post_step(client, sample, "dispose", removed_qty="12.5", recalled_qty="3", qty_unit="公斤", stopped_selling="on",
                     cause="供货商未提供检验报告")
    assert resp.status_code == 302
    sample.refresh_from_db()
    assert (str(sample.removed_qty), sample.qty_unit, sample.stopped_selling) == ("12.50", "公斤", True)
    assert sample.disposal_status == DisposalStatus.DISPOSING
    page = html(client.get(f"/sampling/{sample.pk}/"))
    assert 'value="12.50"' in page and "供货商未提供检验报告" in page  # the form starts from what was saved
    # Completing asks for a case lead or the reason for none, next to the reason.
    resp = post_step(client, sample, "dispose", removed_qty="12.5", qty_unit="公斤", cause="供货商未提供检验报告",
                     disposed_on="2026-09-21")
    assert resp.status_code == 400 and "不移交立案的理由" in field_errors(resp, "dispose_no_case_reason")
    resp = post_step(client, sample, "dispose", removed_qty="12.5", qty_unit="公斤", cause="供货商未提供检验报告",
                     disposed_on="2026-09-21", open_lead="on", note="已下架封存")
    assert resp.status_code == 302
    sample.refresh_from_db()
    lead = Lead.objects.get()
    assert sample.lead == lead and lead.source == LeadSource.SAMPLING and sample.disposal_status == DisposalStatus.DISPOSED
    page = html(client.get(f"/sampling/{sample.pk}/"))
    assert f'href="/cases/leads/{lead.pk}/"' in page and 'id="form-dispose"' not in page and 'id="form-open-lead"' not in page
    assert "核查处置完成" in page and "移交案件线索" in page


def test_the_separate_lead_button_opens_one_lead_only(client, org):
    sample = unqualified(org, report_on=dt.date(2026, 9, 14))
    client.force_login(org.users.east)
    resp = post_step(client, sample, "open-lead", received_on="2026-09-10")
    assert resp.status_code == 400 and "早于报告日期" in field_errors(resp, "open-lead_received_on")
    assert post_step(client, sample, "open-lead", received_on="2026-09-21").status_code == 302
    lead = Lead.objects.get()
    assert lead.received_on == TODAY and lead.source_ref == f"sampling.sample:{sample.pk}"
    resp = post_step(client, sample, "open-lead", received_on="2026-09-21")
    assert resp.status_code == 400 and "不能重复移交" in html(resp) and Lead.objects.count() == 1
    resp = client.get(f"/sampling/{sample.pk}/")
    assert f'href="/cases/leads/{lead.pk}/"' in html(resp)


def test_leadership_reads_only(client, org):
    sample = unqualified(org)
    client.force_login(org.users.leader)
    page = html(client.get(f"/sampling/{sample.pk}/"))
    assert "<form" not in page.split("<main>")[1] and 'id="read-only"' in page
    resp = post_step(client, sample, "serve", served_on="2026-09-21")
    assert resp.status_code == 403 and "只读" in html(resp)
    assert client.post("/sampling/new/", sample_form()).status_code == 403
    assert client.post("/sampling/quicktests/new/", {"result": "negative"}).status_code == 403
    sample.refresh_from_db()
    assert sample.served_on is None and Sample.objects.count() == 1


def test_an_unknown_step_is_404(client, org):
    sample = unqualified(org)
    client.force_login(org.users.east)
    assert client.post(f"/sampling/{sample.pk}/explode/", {}).status_code == 404
    assert client.get(f"/sampling/{sample.pk}/serve/").status_code == 405


# ---------------------------------------------------------------- quick tests


def quick(**kw) -> dict:
    data = {"tested_on": "2026-09-21", "mode": "station", "place": "东关农贸市场快检室", "subdistrict": "", "business_uscc": "",
            "product": "小白菜", "item": "农药残留", "note": ""}
    data.update(kw)
    return data


def test_quick_tests_one_after_another_at_a_stall(client, org, shops):
    client.force_login(org.users.east)
    page = html(client.get("/sampling/quicktests/new/"))
    assert '<datalist id="quicktest-items">' in page and '<option value="农药残留">' in page
    assert 'id="result-negative"' in page and 'id="result-positive"' in page
    resp = client.post("/sampling/quicktests/new/", quick(subdistrict=org.subs["dongguan"].pk, result="negative"))
    first = QuickTest.objects.get()
    assert resp.status_code == 302 and resp.url == f"/sampling/quicktests/new/?again={first.pk}"
    assert (first.result, first.subdistrict, first.created_by) == (QuickTestResult.NEGATIVE, org.subs["dongguan"], org.users.east)
    # The next product starts from the same place, item and date; the product is empty.
    page = html(client.get(resp.url))
    assert 'value="东关农贸市场快检室"' in page and 'value="农药残留"' in page and 'id="last-test"' in page
    assert re.search(r'<input type="text" name="product"[^>]*>', page) and 'value="小白菜"' not in page
    assert 'id="follow-up"' not in page
    resp = client.post("/sampling/quicktests/new/", quick(business_uscc=shops["east"].uscc, product="韭菜", result="positive"))
    second = QuickTest.objects.get(product="韭菜")
    assert second.business == shops["east"] and second.subdistrict == org.subs["dongguan"]
    page = html(client.get(resp.url))
    assert f'href="/sampling/new/?quicktest={second.pk}" id="follow-up"' in page
    # The list: positives first to follow up.
    resp = client.get("/sampling/quicktests/", {"unfollowed": "1"})
    assert ids(resp, "quicktest") == [second.pk] and "登记跟进抽样" in html(resp)
    assert ids(client.get("/sampling/quicktests/", {"result": "negative"}), "quicktest") == [first.pk]


def test_quick_test_refusals_next_to_their_fields(client, org):
    client.force_login(org.users.east)
    resp = client.post("/sampling/quicktests/new/", quick(product="", result="negative", subdistrict=org.subs["dongguan"].pk))
    assert resp.status_code == 400 and "请填写样品名称" in field_errors(resp, "id_product")
    resp = client.post("/sampling/quicktests/new/", quick(subdistrict=org.subs["dongguan"].pk))
    assert resp.status_code == 400 and "请选择检测结果" in field_errors(resp, "id_result")
    resp = client.post("/sampling/quicktests/new/", quick(business_uscc="123", result="positive"))
    assert resp.status_code == 400 and "校验不通过" in field_errors(resp, "id_business_uscc")
    # A station records in its own jurisdiction only.
    resp = client.post("/sampling/quicktests/new/", quick(subdistrict=org.subs["xiguan"].pk, result="negative"))
    assert resp.status_code == 400 and "所选街道无效" in field_errors(resp, "id_subdistrict")
    resp = client.post("/sampling/quicktests/new/", quick(result="negative"))
    assert resp.status_code == 403 and "不属于任何街道" in html(resp)
    assert not QuickTest.objects.exists()


# ---------------------------------------------------------------- plans


@pytest.fixture
def food(org):
    return OrgUnitFactory(kind=OrgKind.DEPARTMENT, code="D2", name="食品安全科", parent=org.bureau)


def plan_form(food, **kw) -> dict:
    data = {"department": food.pk, "year": "2026", "title": "2026年食品安全监督抽检计划", "batches": "100",
            "per_thousand_target": "4", "note": "",
            "target_1_category": category("食用农产品").pk, "target_1_format": "", "target_1_batches": "40",
            "target_2_category": "", "target_2_format": fmt("超市").pk, "target_2_batches": "30",
            "target_3_category": "", "target_3_format": "", "target_3_batches": ""}
    data.update(kw)
    return data


def test_a_department_makes_its_plan_and_sees_its_progress(client, org, food, shops):
    client.force_login(org.users.dept)
    resp = client.post("/sampling/plans/new/", plan_form(food))
    plan = SamplingPlan.objects.get()
    assert resp.status_code == 302 and resp.url == f"/sampling/plans/{plan.pk}/"
    assert {(t.food_category and t.food_category.name, t.business_format and t.business_format.name, t.batches)
            for t in plan.targets.all()} == {("食用农产品", None, 40), (None, "超市", 30)}
    # The year's samples against the targets: two 食用农产品 (one at a 超市), one other at a 超市, last year's not counted.
    for name, fmt_name, when in (("食用农产品", "超市", dt.date(2026, 3, 1)), ("食用农产品", "农贸市场", dt.date(2026, 4, 1)),
                                 ("蔬菜制品", "超市", dt.date(2026, 5, 1)), ("食用农产品", "超市", dt.date(2025, 5, 1))):
        SampleFactory(business=shops["east"], food_category=category(name), business_format=fmt(fmt_name), sampled_on=when)
    SampleFactory(business=shops["west"], food_category=category("蔬菜制品"), business_format=fmt("餐饮"),
                  sampled_on=dt.date(2026, 6, 1), conclusion=Conclusion.UNQUALIFIED)
    resp = client.get(resp.url)
    progress = resp.context["progress"]
    assert progress.batches == 4 and (progress.qualified, progress.unqualified) == (3, 1) and progress.pass_rate == 75
    assert [(t.label, t.target, t.done) for t in progress.targets] == [("食用农产品", 40, 2), ("超市", 30, 2)]
    assert progress.per_thousand is None and 'id="population-missing"' in html(resp) and "region.population" in html(resp)
    # With the population rule in force on the as-of day: 4 ÷ 2,000 × 1000 = 2.00.
    Rule.objects.create(key="region.population", label="常住人口", value="2000", unit="count", valid_from=dt.date(2026, 1, 1),
                        source_document="统计公报")
    resp = client.get(f"/sampling/plans/{plan.pk}/")
    assert resp.context["progress"].per_thousand == 2 and re.search(r'id="plan-per-thousand">2\.00<', html(resp))
    # A station sees its own part, over its own population.
    client.force_login(org.users.east)
    progress = client.get(f"/sampling/plans/{plan.pk}/").context["progress"]
    assert progress.batches == 3 and progress.per_thousand is None and progress.population_key == "region.population.S1"
    Rule.objects.create(key="region.population.S1", label="东关所辖区常住人口", value="1500", unit="count",
                        valid_from=dt.date(2026, 1, 1), source_document="统计公报")
    assert client.get(f"/sampling/plans/{plan.pk}/").context["progress"].per_thousand == 2


def test_plan_refusals_and_edits(client, org, food):
    client.force_login(org.users.dept)
    resp = client.post("/sampling/plans/new/", plan_form(food, target_2_category=category("食用农产品").pk, target_2_format=""))
    assert resp.status_code == 400 and "重复" in html(resp) and 'id="errors-targets"' in html(resp)
    resp = client.post("/sampling/plans/new/", plan_form(food, target_3_batches="5"))
    assert resp.status_code == 400 and "请选择食品大类或业态" in field_errors(resp, "id_target_3_category")
    resp = client.post("/sampling/plans/new/", plan_form(food, department=org.east.pk))
    assert resp.status_code == 400 and "承担科室无效" in field_errors(resp, "id_department")
    assert not SamplingPlan.objects.exists()
    plan = plan_save(actor=None, year=2026, department=food, title="计划", batches=10, targets=[Target(5, food_category=category())])
    resp = client.post("/sampling/plans/new/", plan_form(food))
    assert resp.status_code == 400 and "已制定" in field_errors(resp, "id_year")
    # Editing replaces the targets; a stale version is refused.
    page = html(client.get(f"/sampling/plans/{plan.pk}/edit/"))
    assert f'name="version" value="{plan.version}"' in page
    resp = client.post(f"/sampling/plans/{plan.pk}/edit/", {**plan_form(food, batches="120"), "version": plan.version})
    assert resp.status_code == 302
    plan.refresh_from_db()
    assert plan.batches == 120 and PlanTarget.objects.filter(plan=plan).count() == 2
    resp = client.post(f"/sampling/plans/{plan.pk}/edit/", {**plan_form(food), "version": plan.version - 1})
    assert resp.status_code == 409 and "已被他人修改" in html(resp)
    # A station reads plans and may not make them.
    client.force_login(org.users.east)
    assert client.post("/sampling/plans/new/", plan_form(food, year="2027")).status_code == 403
    assert 'id="plan-new"' not in html(client.get("/sampling/plans/"))

