"""Show only what a role can do, and the leftovers a newcomer met: no 导入 or 接口令牌 for the read-only
leadership, no 抽取 for those who cannot draw, no hotline form for those who cannot register; 是/否 in
drill-downs, a scope's name on snapshots, ratios as percentages, a campaign's state from its dates,
same-named businesses told apart in the picker, and a finished period as the report's default."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from jianguan.cases.choices import LeadSource
from jianguan.cases.models import Lead
from jianguan.inspections.models import Checklist
from jianguan.inspections.services.campaigns import campaign_create
from jianguan.reports import views as report_views
from jianguan.spotchecks.choices import TaskStatus

from ..factories import BusinessFactory
from ..spotchecks import builders

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def nav(page: str) -> str:
    return re.search(r'<div class="menu" id="menu">.*?</div>\s*</div>', page, re.S).group(0)


def test_leadership_gets_no_import_and_no_tokens(client, org):
    client.force_login(org.users.leader)
    page = nav(html(client.get("/businesses/")))
    assert ">导入<" not in page and "接口令牌" not in page
    assert client.get("/org/tokens/").status_code == 403
    assert ">导入<" not in html(client.get("/complaints/ledger/export/"))
    client.force_login(org.users.east)
    page = nav(html(client.get("/businesses/")))
    assert ">导入<" in page and "接口令牌" in page
    assert client.get("/org/tokens/").status_code == 200


def test_no_hotline_form_for_those_who_cannot_register(client, org):
    client.force_login(org.users.leader)
    page = html(client.get("/complaints/new/"))
    assert 'id="intake-form"' not in page and 'id="intake-read-only"' in page
    client.force_login(org.users.dept)
    assert 'id="intake-form"' in html(client.get("/complaints/new/"))


def test_draw_offered_only_to_those_who_may_draw_and_ratios_as_percentages(client, org):
    w = builders.world(org)
    task = builders.advance(w, builders.task(w, "抽取按钮", ratios={"A": "0.005", "B": "0.05", "C": "0.1", "D": "1"}), TaskStatus.LOCKED)
    client.force_login(org.users.east)  # a station reads spot checks but does not draw
    page = html(client.get(f"/spotchecks/tasks/{task.pk}/"))
    assert 'id="draw-link"' not in page and "进入抽取界面" not in page
    client.force_login(org.users.dept)
    page = html(client.get(f"/spotchecks/tasks/{task.pk}/"))
    assert 'id="draw-link"' in page and "进入抽取界面" in page
    assert "0.5%" in page and "5%" in page and "100%" in page
    assert "0.005" not in page


def test_case_lead_drill_down_says_no_not_false(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    Lead.objects.create(
        business=business, respondent_name=business.name, subdistrict=business.subdistrict, source=LeadSource.INSPECTION,
        received_on=dt.date(2026, 3, 2), summary="无证经营",
    )
    client.force_login(org.users.dept)
    page = html(client.get("/reports/drill/case_leads.opened/", {"period": "2026H1"}))
    assert "无证经营" in page
    assert "False" not in page and "<td>待核查</td>" in page


def test_snapshot_list_names_the_scope(client, org):
    client.force_login(org.users.dept)
    client.get("/reports/", {"template": "work_summary", "period": "2026H1"})
    client.get("/reports/", {"template": "work_summary", "period": "2026H1", "scope": f"station:{org.east.code}"})
    page = html(client.get("/reports/snapshots/"))
    assert "全局" in page and org.east.name in page
    assert ">bureau<" not in page and f"station:{org.east.code}<" not in page


def test_campaign_state_follows_its_dates(client, org):
    checklist = Checklist.objects.get(code="food_daily", version=1)
    today = timezone.localdate()
    ended = campaign_create(
        actor=org.users.dept, code="ZX-ENDED", name="已过期的专项行动", start=today - dt.timedelta(days=90),
        end=today - dt.timedelta(days=1), lead_department=org.dept, checklist=checklist, goals={},
    )
    running = campaign_create(
        actor=org.users.dept, code="ZX-RUN", name="正在进行的专项行动", start=today - dt.timedelta(days=5),
        end=today + dt.timedelta(days=30), lead_department=org.dept, checklist=checklist, goals={},
    )
    client.force_login(org.users.east)
    page = html(client.get("/inspections/campaigns/"))
    row = lambda name: re.search(rf"<tr[^>]*>(?:(?!</tr>).)*{name}.*?</tr>", page, re.S).group(0)  # noqa: E731
    assert "已结束" in row(ended.name) and "进行中" not in row(ended.name)
    assert "进行中" in row(running.name)
    detail = html(client.get(f"/inspections/campaigns/{ended.code}/"))
    assert re.search(r'id="campaign-phase">已结束<', detail) and "按本行动新建检查" not in detail
    assert re.search(r'id="campaign-phase">进行中<', html(client.get(f"/inspections/campaigns/{running.code}/")))


def test_business_picker_tells_same_named_shops_apart(client, org):
    sub = org.subs["dongguan"]
    first = BusinessFactory(subdistrict=sub, name="东关王记面馆", address="东关大街1号")
    second = BusinessFactory(subdistrict=sub, name="东关王记面馆", address="东关大街88号")
    client.force_login(org.users.east)
    page = html(client.get("/inspections/new/lookup/", {"business": "王记面馆"}))
    options = re.findall(r"<option value=\"([^\"]+)\">([^<]+)</option>", page)
    assert {value for value, _ in options} == {first.uscc, second.uscc}
    labels = [label for _, label in options]
    assert len(set(labels)) == 2 and all("东关王记面馆" in label for label in labels)


@pytest.mark.parametrize(("today", "expected"), [
    (dt.date(2026, 12, 7), "2026H1"), (dt.date(2026, 7, 1), "2026H1"), (dt.date(2026, 6, 30), "2025H2"),
    (dt.date(2027, 1, 1), "2026H2"),
])
def test_report_default_period_is_the_latest_finished_half(monkeypatch, today, expected):
    monkeypatch.setattr(report_views.timezone, "localdate", lambda: today)
    assert report_views._default_period() == expected


def test_report_page_defaults_to_a_finished_period(client, org):
    client.force_login(org.users.dept)
    value = re.search(r'name="period"[^>]*value="([^"]*)"', html(client.get("/reports/"))).group(1)
    from jianguan.core.periods import Period

    assert Period.parse(value).end < timezone.localdate()
