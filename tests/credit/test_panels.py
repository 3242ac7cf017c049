"""What credit adds to the pages that gather many apps: the one-stop page's 信用监管 panel (annual reports,
entries, repairs, the risk class with its factors or its override) and the home to-dos for the bureau's
deciders — proposals by decision_due, repair applications by due, listings reaching the 3-year escalation —
counting exactly the records meant, not shown to stations."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.cases.choices import SeriousCategory
from jianguan.core.panels import business_page_panels, todo_items
from jianguan.credit.choices import AbnormalReason, EntryStatus, RepairStatus, RepairTarget, SeriousSource
from jianguan.credit.models import RepairApplication, RiskOverride, RiskScore, SeriousEntry
from jianguan.credit.rules import add_months
from jianguan.credit.services.serious import abnormal_candidates

from ..factories import BusinessFactory
from .factories import AnnualReportFactory, entry

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 12, 8)
UNTIL = ON + dt.timedelta(days=3)


def days(n: int) -> dt.date:
    return ON + dt.timedelta(days=n)


def test_business_panel_gathers_the_credit_record(org):
    shop = BusinessFactory(subdistrict=org.subs["dongguan"])
    AnnualReportFactory(business=shop, year=2024, filed_on=dt.date(2025, 5, 1))
    AnnualReportFactory(business=shop, year=2023, filed_on=dt.date(2024, 6, 1))
    listed = entry(shop, report_year=2022, proposed_on=dt.date(2023, 7, 3), listed_on=dt.date(2023, 7, 10))
    proposal = entry(shop, reason=AbnormalReason.UNREACHABLE, report_year=None, proposed_on=days(-2))
    proposal.decision_due = days(8)
    proposal.save()
    SeriousEntry.objects.create(business=shop, source=SeriousSource.ABNORMAL, category=SeriousCategory.REGISTRATION,
                                abnormal_entry=listed, status=EntryStatus.PROPOSED, proposed_on=days(-1))
    RepairApplication.objects.create(business=shop, target=RepairTarget.ABNORMAL, abnormal_entry=listed, applied_on=days(-1),
                                     due=days(4), statement="已补报")
    RiskScore.objects.create(business=shop, scored_on=days(-7), points=60, computed_class="D", changed_on=days(-7), factors=[
        {"key": "abnormal", "label": "列入经营异常名录", "count": 1, "points": 30},
        {"key": "no_annual_report", "label": "未报送年度报告", "count": 1, "points": 30},
        {"key": "penalty", "label": "行政处罚", "count": 0, "points": 0}])
    panels = dict(business_page_panels(actor=org.users.east, business=shop, on=ON))
    panel = panels["credit.record"]
    counts = {c.label: c.n for c in panel.counts}
    assert counts == {"年度报告": 2, "经营异常在列": 1, "待决定": 1, "严重违法失信在列": 0, "信用修复待决定": 1}
    assert panel.total == 4  # two abnormal entries, one serious proposal, one repair
    risk = panel.rows[0]
    assert risk.text == "信用风险分类：D 类（60 分）" and "列入经营异常名录 30分" in risk.note and "行政处罚" not in risk.note
    assert panel.rows[1].text == "年度报告：2024年度、2023年度"
    assert any("决定期限 2026-12-16" in r.note for r in panel.rows)
    # An override replaces the computed class on the panel, with its reason.
    RiskOverride.objects.create(business=shop, risk_class="B", reason="已全面整改，经复核", set_on=days(-1))
    risk = dict(business_page_panels(actor=org.users.dept, business=shop, on=ON))["credit.record"].rows[0]
    assert risk.text.startswith("信用风险分类：B 类（人工调整）") and "已全面整改" in risk.note and "D 类" in risk.note


def test_business_panel_without_records_says_so(client, org):
    shop = BusinessFactory(subdistrict=org.subs["dongguan"])
    client.force_login(org.users.east)
    page = client.get(f"/businesses/{shop.pk}/").content.decode()
    assert 'data-panel="credit.record"' in page and "没有该主体的年度报告、经营异常名录" in page


@pytest.fixture
def todo_world(org):
    east, west = org.subs["dongguan"], org.subs["xiguan"]
    proposals = {}
    for name, due, sub in (("late", -1, east), ("today", 0, east), ("soon", 3, west), ("later", 9, east)):
        e = entry(BusinessFactory(subdistrict=sub), proposed_on=days(-5))
        e.decision_due = days(due)
        e.save()
        proposals[name] = e
    entry(BusinessFactory(subdistrict=east), proposed_on=days(-30), listed_on=days(-20))  # decided: not a to-do
    repairs = {}
    for name, due, status in (("late", -2, RepairStatus.PENDING), ("soon", 1, RepairStatus.PENDING),
                              ("later", 20, RepairStatus.PENDING), ("done", -5, RepairStatus.GRANTED)):
        b = BusinessFactory(subdistrict=east)
        target = entry(b, proposed_on=days(-400), listed_on=days(-390))
        repairs[name] = RepairApplication.objects.create(business=b, target=RepairTarget.ABNORMAL, abnormal_entry=target,
                                                         applied_on=days(-6), due=days(due), statement="已纠正", status=status,
                                                         decided_on=days(-1) if status == RepairStatus.GRANTED else None)
    listed_at = {"reached": add_months(days(-1), -36), "today": add_months(ON, -36), "soon": add_months(days(2), -36),
                 "later": add_months(days(10), -36), "taken": add_months(days(-30), -36)}
    escalations = {name: entry(BusinessFactory(subdistrict=east), reason=AbnormalReason.UNREACHABLE, report_year=None,
                               proposed_on=day - dt.timedelta(days=10), listed_on=day) for name, day in listed_at.items()}
    SeriousEntry.objects.create(business=escalations["taken"].business, source=SeriousSource.ABNORMAL,
                                category=SeriousCategory.REGISTRATION, abnormal_entry=escalations["taken"],
                                status=EntryStatus.PROPOSED, proposed_on=days(-2))
    return proposals, repairs, escalations


def test_todos_count_exactly_the_records_meant(org, todo_world):
    proposals, repairs, escalations = todo_world
    todos = dict(todo_items(actor=org.users.dept, on=ON, until=UNTIL))
    p = todos["credit.proposals"]
    assert (p.overdue.n, p.due_soon.n, p.open.n) == (1, 2, 4)
    assert [r.when for r in p.rows] == [days(-1).isoformat(), ON.isoformat(), days(3).isoformat()]
    assert p.overdue.url == "/credit/?due=overdue" and p.rows[0].tone == "danger"
    r = todos["credit.repairs"]
    assert (r.overdue.n, r.due_soon.n, r.open.n) == (1, 1, 3)
    assert "status=pending" in r.open.url and "due=soon" in r.due_soon.url
    e = todos["credit.escalations"]
    # Reached before today; reaching today or within the window; "taken" already has a serious-list proposal,
    # "later" reaches it after the window.
    assert (e.overdue.n, e.due_soon.n, e.open.n) == (1, 2, 3)
    assert {row.text.split("：")[0] for row in e.rows} == {escalations[n].business.name for n in ("reached", "today", "soon")}
    assert e.rows[0].when == days(-1).isoformat() and e.rows[0].tone == "danger"
    # Reached by today (overdue, or reaching today) = the serious-list page's candidates today.
    reached = {escalations["reached"].pk, escalations["today"].pk}
    assert {c.pk for c in abnormal_candidates(ON)} == reached
    # A declined proposal is not proposed again: the listing leaves the to-do.
    SeriousEntry.objects.filter(abnormal_entry=escalations["taken"]).update(status=EntryStatus.DECLINED, declined_reason="不符合")
    assert dict(todo_items(actor=org.users.dept, on=ON, until=UNTIL))["credit.escalations"].open.n == 3


def test_todos_are_for_the_bureau_not_for_stations(client, org, todo_world):
    for user, shown in ((org.users.east, False), (org.users.dept, True), (org.users.admin, True), (org.users.leader, True)):
        keys = {k for k, _ in todo_items(actor=user, on=ON, until=UNTIL)}
        assert ("credit.proposals" in keys) is shown and ("credit.escalations" in keys) is shown
    client.force_login(org.users.dept)
    page = client.get("/").content.decode()
    assert "待决定的经营异常名录列入（标记）" in page and "待决定的信用修复（移出）申请" in page


def test_today_is_the_clock(client, org, todo_world, monkeypatch):
    """The home page counts as of today: the same world seen from the page gives the same counts."""
    moment = timezone.make_aware(dt.datetime.combine(ON, dt.time(9)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    client.force_login(org.users.dept)
    todos = dict(client.get("/").context["todos"])
    assert todos["credit.proposals"].overdue.n == 1 and todos["credit.repairs"].overdue.n == 1


def test_each_todo_link_lists_exactly_what_it_counts(client, org, todo_world, monkeypatch):
    """已逾期 / 即将到期 / 全部 open the proposals, repairs and serious-list pages filtered to the same records."""
    import re

    moment = timezone.make_aware(dt.datetime.combine(ON, dt.time(9)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    client.force_login(org.users.dept)
    todos = dict(client.get("/").context["todos"])
    for key, pattern in (("credit.proposals", r'<tr id="proposal-(\d+)"'), ("credit.repairs", r'<tr id="repair-(\d+)"')):
        for count in (todos[key].overdue, todos[key].due_soon, todos[key].open):
            page = client.get(count.url).content.decode()
            assert len(re.findall(pattern, page)) == count.n, (key, count.label, count.url)
    proposals, _, escalations = todo_world
    overdue = client.get(todos["credit.proposals"].overdue.url).content.decode()
    assert f'id="proposal-{proposals["late"].pk}"' in overdue and f'id="proposal-{proposals["today"].pk}"' not in overdue
    # The serious page's candidates: those reached by today, and with 即将届满 those reaching them within the window.
    for count, names in ((todos["credit.escalations"].overdue, ("reached", "today")),
                         (todos["credit.escalations"].open, ("reached", "today", "soon"))):
        section = client.get(count.url).content.decode().split('id="candidates"', 1)[1].split("</section>", 1)[0]
        assert {n for n, e in escalations.items() if e.business.uscc in section} == set(names), count.url


def test_a_penalty_flagged_serious_is_a_candidate_due_at_once(org, todo_world):
    from jianguan.cases.choices import CaseStatus

    from ..cases.factories import CaseFactory

    before = dict(todo_items(actor=org.users.dept, on=ON, until=UNTIL))["credit.escalations"]
    shop = BusinessFactory(subdistrict=org.subs["dongguan"])
    CaseFactory(business=shop, status=CaseStatus.DECIDED, decided_on=days(-3), penalty_kinds=["fine"],
                serious_category=SeriousCategory.FOOD_DRUG, decision_number="市监处罚〔2026〕99号")
    CaseFactory(business=BusinessFactory(subdistrict=org.subs["dongguan"]), status=CaseStatus.DECIDED, decided_on=days(-3),
                penalty_kinds=["fine"])  # not flagged: no candidate
    after = dict(todo_items(actor=org.users.dept, on=ON, until=UNTIL))["credit.escalations"]
    assert (after.overdue.n, after.due_soon.n, after.open.n) == (before.overdue.n + 1, before.due_soon.n, before.open.n + 1)
    assert after.rows[0].text == f"{shop.name}：处罚决定市监处罚〔2026〕99号" and after.rows[0].tone == "danger"
