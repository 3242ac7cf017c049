"""投诉举报 figures: each value equals a direct count of the records, by period, station and kind; every
drill-down lists exactly the records counted; the work summary quotes them in the seeds' words."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q, Sum

from jianguan.complaints.choices import (
    FilingDecision,
    Kind,
    MediationOutcome,
    OdrOutcome,
    RefusalReason,
    Status,
)
from jianguan.complaints.models import Complaint, OdrEnterprise
from jianguan.complaints.services.handling import (
    complaint_accept,
    complaint_refuse,
    inquiry_answer,
    mediation_end,
    odr_end,
    odr_start,
    parties_notify,
    report_decide,
)
from jianguan.complaints.services.routing import complaint_transfer
from jianguan.core.indicators import all_indicators, compute, dimension_key, drilldown, get_indicator
from jianguan.core.periods import Params
from jianguan.reports.engine import build_report

from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db
D = dt.date
Q3 = "2026Q3"
END = D(2026, 9, 30)
KEYS = sorted(i.key for i in all_indicators() if i.key.startswith(("complaints.", "reports.")))
CLOSED = (Status.CLOSED, Status.TRANSFERRED)


def _step(fn, item, **kw):
    return fn(actor=None, pk=item.pk, version=None, **kw)


@pytest.fixture
def world(org, shop, receive, today):
    """A third quarter of 2026 with every kind of ending, some of them only after the quarter."""
    today(D(2026, 11, 26))
    west = BusinessFactory(name="西关家电商行", subdistrict=org.subs["xiguan"])
    odr_shop = BusinessFactory(name="泉城购物中心有限公司", subdistrict=org.subs["jinan"])
    OdrEnterprise.objects.create(business=odr_shop, joined_on=D(2026, 1, 1), contact="客服部李经理")
    OdrEnterprise.objects.create(business=BusinessFactory(subdistrict=org.subs["jiefang"]), joined_on=D(2025, 3, 1),
                                 left_on=D(2026, 8, 31))  # left before the quarter's end
    OdrEnterprise.objects.create(business=BusinessFactory(subdistrict=org.subs["dongguan"]), joined_on=D(2026, 10, 8))

    def at_west(**kw):
        return {"respondent_name": west.name, "respondent_uscc": west.uscc, **kw}

    items = {}
    # S1: mediated successfully, closed on time in the quarter.
    c = items["mediated"] = receive(day=D(2026, 9, 1))
    c = _step(complaint_accept, c, on=D(2026, 9, 2))
    c = _step(mediation_end, c, outcome=MediationOutcome.SUCCESS, recovered_amount="200.00", on=D(2026, 9, 15))
    _step(parties_notify, c, on=D(2026, 9, 17))
    # S1: the same person again the same day with the same text: a duplicate, refused.
    dup = items["duplicate"] = receive(day=D(2026, 9, 1))
    assert dup.duplicate_of_id == items["mediated"].pk
    _step(complaint_refuse, dup, reason=RefusalReason.OTHER, note="重复投诉，已并入原件办理", on=D(2026, 9, 2))
    # S1: received in June, accepted late, mediated in July: closed in the quarter, not on time.
    c = items["late"] = receive(day=D(2026, 6, 19), content="买的面包发霉了。")
    c = _step(complaint_accept, c, on=D(2026, 7, 10))
    c = _step(mediation_end, c, outcome=MediationOutcome.SUCCESS, recovered_amount="100.50", on=D(2026, 7, 13))
    _step(parties_notify, c, on=D(2026, 7, 14))
    # S1: refused in the quarter.
    c = items["refused"] = receive(day=D(2026, 9, 20), content="一年前买的饼干受潮了。")
    _step(complaint_refuse, c, reason=RefusalReason.TOO_OLD, on=D(2026, 9, 22))
    # S2: mediation failed in October: open at the quarter's end.
    c = items["failed"] = receive(day=D(2026, 9, 10), content="新买的冰箱不制冷。", **at_west())
    c = _step(complaint_accept, c, on=D(2026, 9, 11))
    c = _step(mediation_end, c, outcome=MediationOutcome.FAILED, on=D(2026, 10, 10))
    _step(parties_notify, c, on=D(2026, 10, 12))
    # S2: settled by the ODR enterprise in August (前端拦截), and one settled only in October.
    c = items["odr"] = receive(day=D(2026, 8, 5), respondent_name=odr_shop.name, respondent_uscc=odr_shop.uscc, content="买的洗衣机漏水。")
    c = _step(odr_start, c, on=D(2026, 8, 5))
    _step(odr_end, c, outcome=OdrOutcome.SETTLED, on=D(2026, 8, 10))
    c = items["odr_late"] = receive(day=D(2026, 9, 28), respondent_name=odr_shop.name, respondent_uscc=odr_shop.uscc, content="衣服起球。")
    c = _step(odr_start, c, on=D(2026, 9, 28))
    _step(odr_end, c, outcome=OdrOutcome.SETTLED, on=D(2026, 10, 8))
    # S2: still waiting for acceptance.
    items["waiting"] = receive(day=D(2026, 9, 29), content="空调安装费多收了。", **at_west())
    # S1: a named report filed in July (a case lead), the reporter told.
    r = items["filed"] = receive(Kind.REPORT, day=D(2026, 7, 10), content="该超市销售过期牛奶。")
    r = _step(report_decide, r, decision=FilingDecision.FILED, note="现场查见过期牛奶 12 盒", on=D(2026, 7, 20))
    _step(parties_notify, r, on=D(2026, 7, 23))
    # S2: an anonymous report decided only in October.
    r = items["report_late"] = receive(Kind.REPORT, day=D(2026, 9, 25), complainant_name="", complainant_phone="",
                                       content="该店销售无3C认证的电热水壶。", **at_west())
    _step(report_decide, r, decision=FilingDecision.NOT_FILED, note="未发现", on=D(2026, 10, 20))
    # Triage: a report against an unknown stall, moved to another district's bureau.
    r = items["triage"] = receive(Kind.REPORT, day=D(2026, 9, 3), respondent_uscc="", respondent_name="无名网店",
                                  respondent_address="外省", content="网店卖假冒名牌包。")
    assert r.status == Status.TRIAGE
    _step(complaint_transfer, r, to="杭州市余杭区市场监督管理局", reason="经营者在外省", on=D(2026, 9, 8))
    # And a report still in triage at the quarter's end.
    items["triage_open"] = receive(Kind.REPORT, day=D(2026, 9, 30), respondent_uscc="", respondent_name="流动摊点",
                                   respondent_address="不详", content="路边摊卖注水肉。")
    # Inquiries: one in the quarter (no place: bureau only), one from June answered in July.
    i = items["inquiry"] = receive(Kind.INQUIRY, day=D(2026, 9, 30), respondent_name="", respondent_uscc="",
                                   respondent_address="", content="请问买到过期食品怎么索赔？")
    _step(inquiry_answer, i, answer="可依法要求退款并赔偿。", on=D(2026, 9, 30))
    i = items["inquiry_june"] = receive(Kind.INQUIRY, day=D(2026, 6, 30), respondent_name="", respondent_uscc="",
                                        respondent_address="", content="请问个体户怎么注销？")
    _step(inquiry_answer, i, answer="登录政务服务网办理。", on=D(2026, 7, 1))
    # Outside the quarter altogether.
    receive(day=D(2026, 10, 9), content="十月的投诉。")
    return items


def params(scope=None, period=Q3):
    return Params.build(period=period, scope=scope)


def _direct(p: Params, base: Q) -> dict:
    """Each figure written again from its definition, over the records in scope."""
    qs = Complaint.objects.filter(base)
    start, end = p.period.start, p.period.end
    received = qs.filter(received_on__range=(start, end))
    closed_by_end = Q(status__in=CLOSED, closed_on__lte=end)
    closed = qs.filter(status__in=CLOSED, closed_on__range=(start, end))
    mediated = qs.filter(mediation_ended_on__range=(start, end))
    dispatched = received.filter(kind__in=(Kind.COMPLAINT, Kind.REPORT)).exclude(subdistrict=None)
    reports = received.filter(kind=Kind.REPORT)
    out = {
        "complaints.received": received.count(),
        "complaints.received_closed": received.filter(closed_by_end).count(),
        "complaints.open": received.exclude(closed_by_end).count(),
        "complaints.complaints_received": received.filter(kind=Kind.COMPLAINT).count(),
        "complaints.odr_settled": received.filter(odr_outcome=OdrOutcome.SETTLED, odr_ended_on__lte=end).count(),
        "complaints.dispatched": dispatched.count(),
        "complaints.dispatched_closed": dispatched.filter(closed_by_end).count(),
        "reports.received": reports.count(),
        "reports.verified": reports.filter(Q(decided_on__lte=end) | Q(status=Status.TRANSFERRED, closed_on__lte=end)).count(),
        "complaints.closed": closed.count(),
        "complaints.closed_on_time": closed.filter(closed_on_time=True).count(),
        "complaints.mediations_ended": mediated.count(),
        "complaints.mediated_success": mediated.filter(mediation_outcome=MediationOutcome.SUCCESS).count(),
        "complaints.recovered_amount": mediated.aggregate(s=Sum("recovered_amount"))["s"] or 0,
        "reports.filed": qs.filter(kind=Kind.REPORT, filing_decision=FilingDecision.FILED, decided_on__range=(start, end)).count(),
    }
    for kind in Kind:
        out[f"complaints.received[{kind.label}]"] = received.filter(kind=kind).count()
        out[f"complaints.closed[{kind.label}]"] = closed.filter(kind=kind).count()
    return out


def _scope_q(p: Params) -> Q:
    if p.scope.kind == "station":
        return Q(subdistrict__station__code=p.scope.code)
    if p.scope.kind == "subdistrict":
        return Q(subdistrict__code=p.scope.code)
    return Q()


def test_the_quarter_in_numbers(world):
    v = compute(KEYS, params())
    assert v["complaints.received"] == 12  # the June items and October's are outside
    assert (v["complaints.received[投诉]"], v["complaints.received[举报]"], v["complaints.received[咨询]"]) == (7, 4, 1)
    # closed by 30 September: mediated, duplicate, refused, odr, filed, triage (moved), inquiry
    assert v["complaints.received_closed"] == 7 and v["complaints.open"] == 5
    assert v["complaints.close_rate"] == Decimal("58.33")
    # closed in the quarter: those seven and the two June items (one closed late)
    assert v["complaints.closed"] == 9 and v["complaints.closed_on_time"] == 8
    assert v["complaints.on_time_rate"] == Decimal("88.89")
    assert (v["complaints.mediations_ended"], v["complaints.mediated_success"]) == (2, 2)
    assert v["complaints.recovered_amount"] == Decimal("300.50") and v["complaints.mediated_success_rate"] == Decimal("100.00")
    assert v["complaints.odr_settled"] == 1 and v["complaints.odr_share"] == Decimal("14.29")  # 1 of 7 complaints
    # dispatched: the complaints and reports with a station (not the two in triage)
    assert (v["complaints.dispatched"], v["complaints.dispatched_closed"]) == (9, 5)
    assert v["complaints.dispatched_closed_share"] == Decimal("55.56")
    # reports: filed (decided), triage (moved out) verified; the October decision and the one in triage not
    assert (v["reports.received"], v["reports.verified"], v["reports.verified_rate"]) == (4, 2, Decimal("50.00"))
    assert v["reports.filed"] == 1
    assert v["complaints.odr_enterprises"] == 1  # one left in August, one joined in October


def test_every_figure_equals_a_direct_count_in_every_scope(world, org):
    for scope in (None, "station:S1", "station:S2", f"subdistrict:{org.subs['jinan'].code}"):
        p = params(scope)
        values = compute(KEYS, p)
        expected = _direct(p, _scope_q(p))
        assert {k: values[k] for k in expected} == expected, scope
        parts = [label for _, label in get_indicator("complaints.received_by_category").dimension.pairs()]
        assert sum(values[dimension_key("complaints.received_by_category", label)] for label in parts) == values["complaints.received"]


def test_stations_see_their_own_and_the_triage_queue_counts_bureau_wide_only(world, org):
    bureau, east, west = (compute(KEYS, params(s)) for s in (None, "station:S1", "station:S2"))
    assert (east["complaints.received"], west["complaints.received"]) == (4, 5)
    # the two reports in triage and the inquiry without a place count only for the bureau
    assert bureau["complaints.received"] - east["complaints.received"] - west["complaints.received"] == 3
    assert east["reports.filed"] == 1 and west["reports.filed"] == 0
    assert (east["complaints.odr_enterprises"], west["complaints.odr_enterprises"]) == (0, 1)
    # a station user asking for the bureau gets the station
    assert compute(KEYS, params(), actor=org.users.east) == east
    assert compute(KEYS, params(), actor=org.users.dept) == bureau


def test_a_period_is_judged_at_its_end(world):
    """The same items seen for the third quarter alone and for the year: later closures count only in the year."""
    year = compute(KEYS, params(period="2026"))
    assert year["complaints.received"] == 15 and year["complaints.open"] == 3  # waiting, triage_open, October's
    assert year["complaints.odr_settled"] == 2 and year["reports.verified"] == 3
    assert year["complaints.odr_enterprises"] == 2  # as of 31 December: the one that left is gone, October's joined


def test_drilldowns_list_exactly_the_records_counted(world, org):
    for scope, actor in ((None, None), ("station:S1", None), (None, org.users.west)):
        p = params(scope)
        values = compute(KEYS, p, actor=actor)
        for key in KEYS:
            ind = get_indicator(key)
            if ind.is_rate:
                assert drilldown(key, p, actor).count() == values[ind.numerator]
                continue
            measured = drilldown(key, p, actor)
            if ind.aggregate == "sum":
                assert (measured.aggregate(s=Sum(ind.sum_field))["s"] or 0) == values[key], key
            else:
                assert measured.count() == values[key], (scope, key)
            if ind.dimension:
                for _, label in ind.dimension.pairs():
                    assert drilldown(key, p, actor, part=label).count() == values[dimension_key(key, label)], (key, label)


def test_every_complaint_figure_in_five_queries(world, django_assert_max_num_queries):
    # receipts, closures, mediation ends, filing decisions, the ODR register
    with django_assert_max_num_queries(5):
        compute(KEYS, params())


def test_the_work_summary_quotes_the_figures(world):
    text = build_report("work_summary", Params.build(period=Q3)).text
    section = text.split("## 五、消费维权与投诉举报\n", 1)[1]
    assert (
        "2026年第3季度，全区共受理投诉举报咨询12件，其中投诉7件、举报4件、咨询1件；已办结7件，办结率58.33%，正在处理5件。"
        "期内办结投诉举报咨询9件（含此前受理的），按时办结率88.89%；调解终结投诉2件，调解成功率100.00%，"
        "为消费者挽回经济损失300.50元；受理举报4件，核查处置率50.00%；举报立案1件。"
    ) in section
    assert "投诉举报咨询按领域分：" in section
    assert "分派监管所承办的投诉举报9件，已办结5件，投诉举报办结量占应分派监管所投诉举报量的55.56%。" in section
    assert "截至2026年9月30日，全区在册ODR企业1家；期内经ODR企业自行和解、前端拦截投诉1件（占受理投诉的14.29%）。" in section
    station = build_report("work_summary", Params.build(period=Q3, scope="station:S2")).text
    assert "西关市场监管所辖区共受理投诉举报咨询5件，其中投诉4件、举报1件、咨询0件" in station


def test_the_work_summary_without_complaints_skips_the_rates(org):
    section = build_report("work_summary", Params.build(period=Q3)).text.split("## 五、", 1)[1]
    assert "办结率" not in section and "核查处置率" not in section and "—" not in section
    assert "共受理投诉举报咨询0件" in section and "在册ODR企业0家" in section
