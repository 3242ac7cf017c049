"""The 投诉举报 staff pages through the Django test client: the queue's order and red overdue rows,
station scoping, every step's form (its happy path and one refusal rendered with the service's
message, never a 500), masking in lists and on the detail page, unmasking recorded, text escaped."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from jianguan.cases.models import Lead
from jianguan.complaints.choices import (
    Category,
    FilingDecision,
    Kind,
    MediationOutcome,
    OdrOutcome,
    RefusalReason,
    Status,
)
from jianguan.complaints.models import Complaint, Disclosure, OdrEnterprise
from jianguan.complaints.services.handling import complaint_accept, complaint_take, mediation_pause
from jianguan.complaints.services.odr import odr_enterprise_add

from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)
XSS = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'


def html(response) -> str:
    return response.content.decode()


def text(response) -> str:
    """What a person reads: tags dropped, entities as shown."""
    plain = re.sub(r"<[^>]+>", " ", html(response))
    plain = plain.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    return re.sub(r"\s+", " ", plain)


def row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="c-(\d+)"', html(response))]


@pytest.fixture
def now(today):
    today(TODAY)
    return TODAY


def act(client, c: Complaint, step: str, **data):
    c.refresh_from_db()
    form = {"version": c.version, "on": TODAY.isoformat(), **data}
    return client.post(reverse("complaints:act", args=[c.pk, step]), form)


def detail(client, c: Complaint):
    return client.get(reverse("complaints:detail", args=[c.pk]))


def refused(response, status: int, message: str) -> None:
    assert response.status_code == status, response.status_code
    assert message in text(response)
    assert 'class="alert error"' in html(response) or 'class="errorlist"' in html(response)


# ---------------------------------------------------------------- the queue


def test_queue_puts_the_nearest_deadline_first_and_overdue_rows_in_red(as_user, org, receive, now):
    soon = receive(day=dt.date(2026, 11, 20), content="十一月二十日的投诉")  # accept due 12-01
    late = receive(day=dt.date(2026, 11, 10), content="十一月十日的投诉")  # accept due 11-19: overdue
    report = receive(Kind.REPORT, day=dt.date(2026, 11, 25), content="举报无证经营")  # filing due 12-16
    closed = receive(day=dt.date(2026, 11, 24), content="已办结的投诉")
    act(as_user(org.users.east), closed, "refuse", reason=RefusalReason.TOO_OLD)
    client = as_user(org.users.east)
    page = client.get(reverse("complaints:queue"))
    assert page.status_code == 200
    assert row_ids(page) == [late.pk, soon.pk, report.pk]
    late_row = re.search(rf'<tr id="c-{late.pk}" class="([^"]*)">(.*?)</tr>', html(page), re.S)
    assert late_row.group(1) == "overdue" and "clock-overdue" in late_row.group(2)
    assert "已逾期 5 个工作日" in late_row.group(2) and "受理期限 2026-11-19" in late_row.group(2)
    soon_row = re.search(rf'<tr id="c-{soon.pk}" class="([^"]*)">(.*?)</tr>', html(page), re.S)
    assert soon_row.group(1) == "" and "剩余 3 个工作日" in soon_row.group(2) and "受理期限 2026-12-01" in soon_row.group(2)
    assert 'id="overdue-count">1<' in html(page)
    # Masked in the list, even for a user who could unmask on the detail page.
    assert "张*" in text(page) and "138****1234" in text(page)
    assert "张三" not in text(page) and "13812341234" not in html(page)

    assert row_ids(client.get(reverse("complaints:queue"), {"overdue": "1"})) == [late.pk]
    assert row_ids(client.get(reverse("complaints:queue"), {"kind": Kind.REPORT})) == [report.pk]
    assert row_ids(client.get(reverse("complaints:queue"), {"status": Status.VERIFYING})) == [report.pk]


def test_a_provisional_deadline_says_so(as_user, org, receive, today):
    today(dt.date(2030, 12, 20))  # a year chinesecalendar does not know: deadlines are provisional
    c = receive(day=dt.date(2030, 12, 20))
    assert c.accept_due_provisional
    page = as_user(org.users.east).get(reverse("complaints:queue"))
    assert "暂定" in text(page) and f"受理期限 {c.accept_due:%Y-%m-%d}" in text(page)
    assert "暂定" in text(detail(as_user(org.users.east), c))


def test_the_queue_pages_without_counting_every_row(as_user, org, receive, now, monkeypatch):
    monkeypatch.setattr("jianguan.complaints.views.common.PAGE_SIZE", 2)
    items = [receive(day=dt.date(2026, 11, d), content=f"投诉{d}") for d in (10, 11, 12)]
    client = as_user(org.users.east)
    first = client.get(reverse("complaints:queue"))
    assert row_ids(first) == [items[0].pk, items[1].pk] and "下一页" in text(first) and "?page=2" in html(first)
    assert row_ids(client.get(reverse("complaints:queue"), {"page": "2"})) == [items[2].pk]


# ---------------------------------------------------------------- scope and privacy


def test_a_station_sees_only_its_own_items(as_user, org, receive, now):
    east_item = receive()
    west_shop = BusinessFactory(name="西关药房", subdistrict=org.subs["xiguan"])
    west_item = receive(respondent_name=west_shop.name, respondent_uscc=west_shop.uscc, content="药房卖过期药")
    west = as_user(org.users.west)
    assert row_ids(west.get(reverse("complaints:queue"))) == [west_item.pk]
    assert row_ids(west.get(reverse("complaints:records"))) == [west_item.pk]
    assert detail(west, east_item).status_code == 404
    assert act(west, east_item, "accept").status_code == 404
    assert west.post(reverse("complaints:personal", args=[east_item.pk]), {"purpose": "x"}).status_code == 404
    assert Complaint.objects.get(pk=east_item.pk).status == Status.RECEIVED
    assert west.get(reverse("complaints:triage")).status_code == 403


def test_the_detail_masks_the_complainant_for_anyone_but_the_handler(as_user, org, receive, now):
    c = receive()
    east = as_user(org.users.east)
    page = detail(east, c)
    assert page.status_code == 200
    assert 'id="complainant-name">张*<' in html(page) and "138****1234" in html(page)
    assert "张三" not in text(page) and "13812341234" not in html(page) and 'id="personal-form"' not in html(page)
    response = east.post(reverse("complaints:personal", args=[c.pk]), {"purpose": "好奇"})
    assert response.status_code == 403 and "13812341234" not in html(response)
    assert not Disclosure.objects.exists()


def test_the_handler_unmasks_and_each_view_is_recorded(as_user, org, receive, now):
    c = receive()
    east = as_user(org.users.east)
    assert act(east, c, "take").status_code == 302
    page = detail(east, c)
    assert "张*" in html(page) and "13812341234" not in html(page)  # masked until asked for
    assert 'id="personal-form"' in html(page) and "查看个人信息" in text(page)
    shown = east.post(reverse("complaints:personal", args=[c.pk]), {"purpose": "电话联系投诉人"})
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    assert 'id="complainant-name">张三<' in html(shown) and "13812341234" in html(shown)
    east.post(reverse("complaints:personal", args=[c.pk]), {"purpose": "告知处理结果"})
    assert list(Disclosure.objects.order_by("at", "pk").values_list("user__username", "purpose", "ip")) == [
        ("east", "电话联系投诉人", "127.0.0.1"), ("east", "告知处理结果", "127.0.0.1"),
    ]
    assert "张三" not in text(east.get(reverse("complaints:queue")))  # lists stay masked
    empty = east.post(reverse("complaints:personal", args=[c.pk]), {"purpose": ""})
    assert empty.status_code == 400 and Disclosure.objects.count() == 2


def test_a_user_granted_the_permission_may_unmask(as_user, org, receive, now):
    c = receive()
    org.users.leader.user_permissions.add(Permission.objects.get(codename="view_personal_info", content_type__app_label="complaints"))
    leader = as_user(org.users.leader)
    assert 'id="personal-form"' in html(detail(leader, c))
    assert "13812341234" in html(leader.post(reverse("complaints:personal", args=[c.pk]), {"purpose": "督办"}))
    assert Disclosure.objects.get().user == org.users.leader


def test_text_is_escaped_in_the_queue_and_the_detail(as_user, org, receive, now):
    c = receive(content=f"{XSS}\n牛奶过期", respondent_name=f"<b>坏</b>{XSS[:30]}", respondent_uscc="", subdistrict_text="东关街道")
    mediation_note = f"<i>{XSS}</i>"
    client = as_user(org.users.east)
    act(client, c, "accept", note=mediation_note)
    for page in (client.get(reverse("complaints:queue")), detail(client, c), client.get(reverse("complaints:records"))):
        assert page.status_code == 200
        body = html(page)
        assert "<script>window.__xss" not in body and "<img src=x" not in body and "<b>坏" not in body and "<i><script" not in body
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in body
    assert XSS in text(detail(client, c))


# ---------------------------------------------------------------- intake


def intake_form(**over) -> dict:
    form = {
        "kind": Kind.COMPLAINT, "received_at": "2026-11-26T09:30", "respondent_name": "东关便民超市", "respondent_uscc": "",
        "respondent_address": "东关大街1号", "subdistrict_text": "", "content": "买到过期面包", "amount": "12.5",
        "complainant_name": "李四", "complainant_phone": "139 0000 1111",
    }
    form.update(over)
    return form


def test_hotline_intake_registers_routes_and_flags_a_duplicate(as_user, org, shop, now):
    east = as_user(org.users.east)
    page = east.get(reverse("complaints:intake"))
    assert page.status_code == 200 and 'value="2026-11-26T18:00"' in html(page)
    response = east.post(reverse("complaints:intake"), intake_form())
    first = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("complaints:detail", args=[first.pk])
    assert (first.channel, first.business, first.station, first.complainant_phone) == ("hotline", shop, org.east, "13900001111")
    assert f"已登记投诉 {first.number}" in text(east.get(response["Location"]))
    again = east.post(reverse("complaints:intake"), intake_form(received_at="2026-11-26T10:00"), follow=True)
    second = Complaint.objects.exclude(pk=first.pk).get()
    assert second.duplicate_of == first
    assert f"与 {first.number} 疑似重复" in text(again)
    assert f'href="{reverse("complaints:detail", args=[first.pk])}"' in html(again)


def test_intake_errors_are_shown_next_to_their_field(as_user, org, shop, now):
    east = as_user(org.users.east)
    response = east.post(reverse("complaints:intake"), intake_form(complainant_phone="12345"))
    assert response.status_code == 400
    row = re.search(r'id="row-id_complainant_phone">(.*?)</div>\s*</div>', html(response), re.S).group(1)
    assert "has-error" in html(response) and "不是有效的中国大陆电话号码" in row
    response = east.post(reverse("complaints:intake"), intake_form(respondent_uscc="123"))
    assert response.status_code == 400 and "统一社会信用代码应为18位" in text(response)
    response = east.post(reverse("complaints:intake"), intake_form(received_at="昨天"))
    assert response.status_code == 400 and "时间无法识别" in text(response)
    assert not Complaint.objects.exists()
    leader = as_user(org.users.leader)
    refused(leader.post(reverse("complaints:intake"), intake_form()), 403, "只读")


def test_an_item_routed_elsewhere_sends_the_station_back_to_its_queue(as_user, org, now):
    east = as_user(org.users.east)
    response = east.post(reverse("complaints:intake"), intake_form(respondent_name="某小摊", subdistrict_text="西关街道"))
    c = Complaint.objects.get()
    assert c.station == org.west and response["Location"] == reverse("complaints:queue")
    triage = east.post(reverse("complaints:intake"), intake_form(respondent_name="无名摊", content="别的事", subdistrict_text=""))
    assert triage["Location"] == reverse("complaints:queue")
    assert Complaint.objects.get(respondent_name="无名摊").status == Status.TRIAGE


# ---------------------------------------------------------------- the steps


def test_a_complaint_through_acceptance_mediation_and_notice(as_user, org, receive, now):
    c = receive(day=dt.date(2026, 11, 20))
    east = as_user(org.users.east)
    page = detail(east, c)
    for form_id in ("form-take", "form-accept", "form-refuse", "form-return", "form-transfer", "form-categorize"):
        assert f'id="{form_id}"' in html(page), form_id
    for absent in ("form-mediate", "form-notify", "form-assign", "form-odr-start", "form-decide"):
        assert f'id="{absent}"' not in html(page), absent
    assert 'value="2026-11-26"' in html(page)  # dates default to today

    refused(act(east, c, "accept", on="2026-11-27"), 400, "受理日期不能晚于今天")
    assert "has-error" in html(act(east, c, "accept", on="2026-11-27"))
    response = act(east, c, "accept", on="2026-11-23")
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.status, c.accepted_on, c.handler) == (Status.ACCEPTED, dt.date(2026, 11, 23), org.users.east)
    page = east.get(response["Location"])
    assert "已受理，调解期限" in text(page) and 'id="form-mediate"' in html(page) and 'id="form-pause"' in html(page)

    refused(act(east, c, "pause", note="送检牛奶", on="2026-11-19"), 400, "不能早于登记日期")
    assert act(east, c, "pause", note="送检牛奶", on="2026-11-24").status_code == 302
    refused(act(east, c, "resume", on="2026-11-23"), 400, "恢复日期不能早于暂停日期")
    assert act(east, c, "resume", on="2026-11-25").status_code == 302
    c.refresh_from_db()
    assert c.status == Status.ACCEPTED and c.paused_working_days == 1

    refused(act(east, c, "mediate", outcome=MediationOutcome.FAILED, recovered_amount="5"), 400, "只有调解成功才登记挽回经济损失")
    refused(act(east, c, "mediate", outcome=MediationOutcome.SUCCESS, recovered_amount="abc"), 400, "不是金额")
    assert act(east, c, "mediate", outcome=MediationOutcome.SUCCESS, recovered_amount="258", note="退一赔十").status_code == 302
    c.refresh_from_db()
    assert (c.status, c.recovered_amount) == (Status.MEDIATED, 258)
    refused(act(east, c, "notify", on="2026-12-01"), 400, "告知日期不能晚于今天")
    assert act(east, c, "notify", note="电话告知双方").status_code == 302
    c.refresh_from_db()
    assert c.status == Status.CLOSED and c.closed_on_time
    page = detail(east, c)
    timeline = text(page).split("办理记录", 1)[1]
    assert all(a in timeline for a in ("登记", "受理", "暂停调解（检测鉴定）", "恢复调解", "调解终结", "告知"))
    assert "按时办结" in text(page) and "挽回经济损失 258.00 元" in text(page)
    assert 'id="steps"' not in html(page)  # closed: nothing left to do


def test_take_and_its_refusal(as_user, org, receive, now):
    c = receive()
    east = as_user(org.users.east)
    assert act(east, c, "take").status_code == 302
    assert Complaint.objects.get(pk=c.pk).handler == org.users.east
    assert 'id="form-take"' not in html(detail(east, c))  # already the handler
    stray = receive(respondent_name="流动摊贩", respondent_uscc="", subdistrict_text="", content="别的事")
    refused(act(as_user(org.users.dept), stray, "take"), 400, "待分派的件须先分派到监管所再承办")


def test_refusal_to_accept(as_user, org, receive, now):
    c = receive()
    east = as_user(org.users.east)
    response = act(east, c, "refuse", reason=RefusalReason.OTHER)
    refused(response, 400, "请填写不予受理说明")
    assert 'open id="step-refuse"' in html(response) or 'id="step-refuse" open' in html(response)
    refused(act(east, c, "refuse", reason=""), 400, "请选择不予受理理由")
    assert act(east, c, "refuse", reason=RefusalReason.HANDLED_ELSEWHERE).status_code == 302
    c.refresh_from_db()
    assert c.status == Status.CLOSED and c.refusal_reason == RefusalReason.HANDLED_ELSEWHERE


def test_a_report_is_extended_once_and_decided(as_user, org, receive, now, shop):
    r = receive(Kind.REPORT, day=dt.date(2026, 11, 20), content="超市卖过期牛奶")
    east = as_user(org.users.east)
    page = detail(east, r)
    assert 'id="form-extend"' in html(page) and 'id="form-decide"' in html(page) and 'id="form-accept"' not in html(page)
    refused(act(east, r, "extend", approved_by="", reason="需调取监控"), 400, "请填写批准人")
    assert act(east, r, "extend", approved_by="王局长", reason="需调取监控").status_code == 302
    assert 'id="form-extend"' not in html(detail(east, r))
    refused(act(east, r, "extend", approved_by="王局长", reason="再延"), 400, "只能延长一次")
    refused(act(east, r, "decide", decision=FilingDecision.FILED, note=""), 400, "请填写核查情况")
    assert act(east, r, "decide", decision=FilingDecision.FILED, note="现场查见过期牛奶").status_code == 302
    r.refresh_from_db()
    assert r.status == Status.DECIDED and Lead.objects.get().business == shop
    assert act(east, r, "notify").status_code == 302
    assert Complaint.objects.get(pk=r.pk).status == Status.CLOSED


def test_filing_needs_a_business(as_user, org, receive, now):
    r = receive(Kind.REPORT, respondent_uscc="", respondent_name="无名小摊", subdistrict_text="东关街道", content="卖过期食品")
    refused(act(as_user(org.users.east), r, "decide", decision=FilingDecision.FILED, note="查见"), 400, "立案须先关联被举报的登记市场主体")
    assert not Lead.objects.exists()


def test_an_inquiry_is_answered(as_user, org, receive, now):
    q = receive(Kind.INQUIRY, respondent_name="", respondent_uscc="", respondent_address="", content="个体户怎么办执照？")
    dept = as_user(org.users.dept)
    refused(act(dept, q, "answer", answer="   "), 400, "请填写答复内容")
    assert act(dept, q, "answer", answer="可在政务服务网办理").status_code == 302
    q.refresh_from_db()
    assert q.status == Status.CLOSED and q.answer == "可在政务服务网办理"
    c = receive()
    refused(act(dept, c, "answer", answer="x"), 400, "这是一件投诉，不能办理咨询的环节")


def test_transfer(as_user, org, receive, now):
    c = receive()
    east = as_user(org.users.east)
    refused(act(east, c, "transfer", to="", reason="不属本区"), 400, "请填写移送机关")
    assert act(east, c, "transfer", to="历下区市场监管局", reason="经营场所在历下区").status_code == 302
    c.refresh_from_db()
    assert c.status == Status.TRANSFERRED and "经营场所在历下区" in text(detail(east, c))
    accepted = receive(content="另一件")
    complaint_accept(actor=org.users.east, pk=accepted.pk, version=accepted.version)
    refused(act(east, accepted, "transfer", to="某局", reason="x"), 400, "不能变为“已移送”")


def test_categorize(as_user, org, receive, now):
    c = receive()
    east = as_user(org.users.east)
    page = detail(east, c)
    assert "牛奶" in re.search(r'class="cp-keywords">(.*?)</div>', html(page), re.S).group(1)
    assert act(east, c, "categorize", category=Category.PRICE, reason="实为价格争议").status_code == 302
    c.refresh_from_db()
    assert c.category == Category.PRICE and c.category_set_by == org.users.east
    assert "由 " in text(detail(east, c)) and "人工调整" in text(detail(east, c))
    refused(act(east, c, "categorize", category="nonsense"), 400, "所属领域无效")


def test_triage_assign_reassign_and_return(as_user, org, receive, shop, now):
    stray = receive(respondent_name="流动摊贩", respondent_uscc="", subdistrict_text="", content="流动摊贩卖假货")
    dept = as_user(org.users.dept)
    page = dept.get(reverse("complaints:triage"))
    assert page.status_code == 200 and row_ids(page) == [stray.pk] and f'id="assign-{stray.pk}"' in html(page)
    # A station cannot route; a bad code is refused next to its field on the triage page.
    assert act(as_user(org.users.east), stray, "assign", subdistrict=org.subs["dongguan"].pk).status_code == 404
    dept = as_user(org.users.dept)
    bad = act(dept, stray, "assign", subdistrict="", business_uscc="123", **{"from": "triage"})
    assert bad.status_code == 400 and "统一社会信用代码应为18位" in text(bad) and f'id="assign-{stray.pk}"' in html(bad)
    response = act(dept, stray, "assign", subdistrict="", business_uscc=shop.uscc.lower(), **{"from": "triage"})
    assert response.status_code == 302 and response["Location"] == reverse("complaints:triage")
    stray.refresh_from_db()
    assert (stray.status, stray.business, stray.station) == (Status.RECEIVED, shop, org.east)
    assert row_ids(dept.get(reverse("complaints:triage"))) == []

    # 改派 needs a reason; a station user is refused with 403.
    page = detail(dept, stray)
    assert "改派" in text(page) and 'id="form-assign"' in html(page)
    refused(act(dept, stray, "assign", subdistrict=org.subs["xiguan"].pk), 400, "请填写改派理由")
    refused(act(as_user(org.users.east), stray, "assign", subdistrict=org.subs["xiguan"].pk, reason="x"), 403, "分派和改派由业务科室")
    assert act(as_user(org.users.dept), stray, "assign", subdistrict=org.subs["xiguan"].pk, reason="实际在西关").status_code == 302
    stray.refresh_from_db()
    assert stray.station == org.west

    # The west station returns it with a reason, and lands back on its queue.
    west = as_user(org.users.west)
    assert 'id="form-return"' in html(detail(west, stray))
    refused(act(west, stray, "return", reason=""), 400, "请填写退回理由")
    response = act(west, stray, "return", reason="不在本所辖区")
    assert response.status_code == 302 and response["Location"] == reverse("complaints:queue")
    stray.refresh_from_db()
    assert stray.status == Status.TRIAGE and stray.subdistrict is None
    assert detail(west, stray).status_code == 404
    assert "退回分派" in text(detail(as_user(org.users.dept), stray))


def test_return_is_refused_once_accepted(as_user, org, receive, now):
    c = receive()
    complaint_accept(actor=org.users.east, pk=c.pk, version=c.version)
    east = as_user(org.users.east)
    assert 'id="form-return"' not in html(detail(east, c))
    refused(act(east, c, "return", reason="不属本所"), 400, "只有尚未受理")


def test_odr_register_and_a_complaint_settled_by_the_enterprise(as_user, org, receive, shop, now):
    c = receive(day=dt.date(2026, 11, 20))
    east = as_user(org.users.east)
    assert 'id="form-odr-start"' not in html(detail(east, c))
    refused(act(east, c, "odr-start"), 400, "不是在册的 ODR 企业")

    refused(east.post(reverse("complaints:odr_add"), {"uscc": shop.uscc, "joined_on": "2026-01-01"}), 403, "ODR企业名单由业务科室")
    dept = as_user(org.users.dept)
    assert dept.get(reverse("complaints:odr")).status_code == 200
    refused(dept.post(reverse("complaints:odr_add"), {"uscc": "91370102000000000X", "joined_on": "2026-01-01"}), 400, "校验位错误")
    response = dept.post(reverse("complaints:odr_add"), {"uscc": shop.uscc, "joined_on": "2026-01-01", "contact": "王经理"})
    assert response.status_code == 302
    refused(dept.post(reverse("complaints:odr_add"), {"uscc": shop.uscc, "joined_on": "2026-02-01"}), 400, "已是ODR企业")
    page = dept.get(reverse("complaints:odr"))
    assert shop.name in text(page) and "在册" in text(page) and "王经理" in text(page)

    east = as_user(org.users.east)
    assert 'id="odr-badge"' in html(detail(east, c)) and 'id="form-odr-start"' in html(detail(east, c))
    assert act(east, c, "odr-start").status_code == 302
    c.refresh_from_db()
    assert c.status == Status.ODR and c.accept_due is None
    page = east.get(reverse("complaints:queue"))
    assert "ODR企业自行和解中" in text(page)
    refused(act(east, c, "odr-end", outcome=""), 400, "请选择和解结果")
    assert act(east, c, "odr-end", outcome=OdrOutcome.SETTLED).status_code == 302
    assert Complaint.objects.get(pk=c.pk).status == Status.CLOSED

    odr = OdrEnterprise.objects.get()
    dept = as_user(org.users.dept)
    refused(dept.post(reverse("complaints:odr_leave", args=[odr.pk]), {"left_on": "2025-12-01"}), 400, "退出日期不能早于入驻日期")
    assert dept.post(reverse("complaints:odr_leave", args=[odr.pk]), {"left_on": "2026-11-26", "note": "主动退出"}).status_code == 302
    odr.refresh_from_db()
    assert odr.left_on == TODAY and "主动退出" in odr.note
    refused(dept.post(reverse("complaints:odr_leave", args=[odr.pk]), {"left_on": "2026-11-26"}), 400, "已于 2026-11-26 退出")


def test_odr_failure_returns_the_item_to_the_bureau(as_user, org, receive, shop, now):
    odr_enterprise_add(actor=org.users.dept, uscc=shop.uscc, joined_on=dt.date(2026, 1, 1))
    c = receive(day=dt.date(2026, 11, 20))
    east = as_user(org.users.east)
    act(east, c, "odr-start", on="2026-11-23")
    assert act(east, c, "odr-end", outcome=OdrOutcome.FAILED, on="2026-11-25").status_code == 302
    c.refresh_from_db()
    assert c.status == Status.RECEIVED and c.odr_working_days == 2 and c.accept_due == dt.date(2026, 12, 3)


def test_a_stale_page_is_refused_with_409_and_keeps_the_form(as_user, org, receive, now):
    c = receive()
    east = as_user(org.users.east)
    old_version = c.version
    complaint_take(actor=org.users.east, pk=c.pk, version=c.version)
    response = east.post(reverse("complaints:act", args=[c.pk, "accept"]), {"version": old_version, "on": "2026-11-26", "note": "已核实"})
    assert response.status_code == 409
    assert "已被他人办理" in text(response) and 'id="stale"' in html(response) and "已核实" in html(response)
    c.refresh_from_db()
    assert c.status == Status.RECEIVED
    assert f'name="version" value="{c.version}"' in html(response)  # resubmitting applies to the current record


def test_leadership_reads_but_its_submissions_are_refused(as_user, org, receive, now):
    c = receive()
    leader = as_user(org.users.leader)
    page = detail(leader, c)
    assert page.status_code == 200 and 'id="steps"' not in html(page) and "热线登记" not in text(leader.get(reverse("complaints:queue")))
    refused(act(leader, c, "accept"), 403, "局领导账号只读")
    assert leader.get(reverse("complaints:triage")).status_code == 200


def test_a_paused_complaint_shows_its_clock_stopped(as_user, org, receive, now):
    c = receive(day=dt.date(2026, 11, 20))
    c = complaint_accept(actor=org.users.east, pk=c.pk, version=c.version, on=dt.date(2026, 11, 23))
    mediation_pause(actor=org.users.east, pk=c.pk, version=c.version, note="送检", on=dt.date(2026, 11, 24))
    east = as_user(org.users.east)
    assert "检测鉴定中，自 2026-11-24 起暂停计时" in text(east.get(reverse("complaints:queue")))
    assert 'id="form-resume"' in html(detail(east, c)) and 'id="form-mediate"' not in html(detail(east, c))


def test_unknown_steps_and_gets_are_refused_plainly(as_user, org, receive, now):
    c = receive()
    east = as_user(org.users.east)
    assert east.post(reverse("complaints:act", args=[c.pk, "explode"]), {}).status_code == 404
    assert east.get(reverse("complaints:act", args=[c.pk, "accept"])).status_code == 405
    refused(east.post(reverse("complaints:act", args=[c.pk, "accept"]), {"on": "2026-11-26"}), 400, "页面已过期")


# ---------------------------------------------------------------- all records


def test_all_records_search_includes_closed_items(as_user, org, receive, now, shop):
    open_item = receive(day=dt.date(2026, 11, 2), content="面包发霉")
    closed = receive(day=dt.date(2026, 11, 20), content="价格欺诈，标价与结算价不一致")
    act(as_user(org.users.east), closed, "refuse", reason=RefusalReason.TOO_OLD)
    report = receive(Kind.REPORT, day=dt.date(2026, 11, 25), respondent_uscc="", respondent_name="无名小摊", subdistrict_text="东关街道", content="卖假烟")
    east = as_user(org.users.east)
    url = reverse("complaints:records")
    assert row_ids(east.get(url)) == [report.pk, closed.pk, open_item.pk]
    assert row_ids(east.get(url, {"status": Status.CLOSED})) == [closed.pk]
    assert row_ids(east.get(url, {"number": closed.number[-3:]})) == [closed.pk]
    assert row_ids(east.get(url, {"respondent": "无名"})) == [report.pk]
    assert row_ids(east.get(url, {"respondent": shop.uscc})) == [closed.pk, open_item.pk]
    assert row_ids(east.get(url, {"received_from": "2026-11-10", "received_to": "2026-11-21"})) == [closed.pk]
    assert row_ids(east.get(url, {"kind": Kind.REPORT})) == [report.pk]
    assert row_ids(east.get(url, {"category": closed.category})) == [c.pk for c in (report, closed, open_item) if c.category == closed.category]
    bad = east.get(url, {"received_from": "上周"})
    assert bad.status_code == 200 and "已忽略" in text(bad) and len(row_ids(bad)) == 3


def test_steps_posted_in_a_state_that_does_not_allow_them_are_refused(as_user, org, receive, now):
    """The forms are offered only where they apply; a stale tab or a crafted POST still gets a message."""
    c = receive(day=dt.date(2026, 11, 20))
    east = as_user(org.users.east)
    refused(act(east, c, "resume"), 400, "没有暂停的调解可恢复")
    refused(act(east, c, "mediate", outcome=MediationOutcome.FAILED), 400, "不能变为")
    refused(act(east, c, "notify"), 400, "不能变为")
    act(east, c, "accept")
    act(east, c, "mediate", outcome=MediationOutcome.FAILED)
    refused(act(east, c, "odr-end", outcome=OdrOutcome.SETTLED), 400, "未转ODR企业和解")
    assert Complaint.objects.get(pk=c.pk).status == Status.MEDIATED
