"""The public pages: anyone files an item and follows it with the number and the code shown once;
the tracking page tells nothing personal; bad input is refused whole; both pages are rate limited."""

import datetime as dt
import html
import re

import pytest
from django.core.cache import cache
from django.test import Client

from jianguan.complaints.choices import Channel, Kind, Status
from jianguan.complaints.models import Complaint
from jianguan.complaints.services.handling import complaint_accept, complaint_take
from jianguan.complaints.services.intake import query_digest

pytestmark = pytest.mark.django_db

SUBMIT = "/public/complaints/"
TRACK = "/public/complaints/track/"
NOT_FOUND = "登记编号或查询码不正确"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the pages are rate limited per client, and every test client is 127.0.0.1
    yield
    cache.clear()


def form_data(shop, **kw) -> dict:
    data = {
        "kind": Kind.COMPLAINT, "respondent_name": shop.name, "respondent_uscc": "", "respondent_address": "东关大街1号",
        "subdistrict": "东关街道", "content": "在该超市购买的牛奶已过保质期，要求退一赔十。", "amount": "25.80",
        "complainant_name": "张小明", "complainant_phone": "13812341234",
    }
    data.update(kw)
    return data


def receipt_of(response) -> tuple[str, str]:
    text = response.content.decode()
    number = re.search(r'id="receipt-number">([^<]+)<', text)[1]
    code = re.search(r'id="receipt-code">([^<]+)<', text)[1]
    return html.unescape(number), code


def submit(client, shop, **kw):
    return client.post(SUBMIT, form_data(shop, **kw))


def test_the_form_is_public_and_shows_no_staff_links(client, org, shop):
    page = client.get(SUBMIT)
    text = page.content.decode()
    assert page.status_code == 200  # anonymous: no redirect to the login page
    assert "我要投诉举报" in text and "csrfmiddlewaretoken" in text
    assert all(name in text for name in ("东关街道", "西关街道", "不清楚"))
    for staff in ('href="/complaints/', 'href="/businesses/', "退出", "/admin/"):
        assert staff not in text


def test_a_submission_gives_a_number_and_a_code_that_track_it(client, org, shop, today):
    response = submit(client, shop)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    number, code = receipt_of(response)
    assert "只在本页显示这一次" in response.content.decode()
    item = Complaint.objects.get(number=number)
    assert (item.channel, item.kind, item.status, item.station) == (Channel.PUBLIC, Kind.COMPLAINT, Status.RECEIVED, org.east)
    assert item.created_by is None and item.query_digest == query_digest(code) and code not in item.query_digest
    assert item.complainant_name == "张小明" and str(item.amount) == "25.80"

    tracked = client.post(TRACK, {"number": number, "code": code.lower()})  # the code is typed in any case
    text = tracked.content.decode()
    assert tracked.status_code == 200
    assert "投诉" in text and "待受理" in text and "2026-11-26" in text
    assert f"{item.accept_due:%Y-%m-%d}" in text and "受理期限" in text


def test_steps_show_their_dates_and_nothing_personal_ever_reaches_the_page(client, org, shop, today):
    number, code = receipt_of(submit(client, shop, respondent_uscc=shop.uscc))
    east = org.users.east
    east.full_name, east.first_name, east.last_name = "李执法", "执法", "李"
    east.save()
    item = Complaint.objects.get(number=number)
    item = complaint_take(actor=east, pk=item.pk, version=item.version, on=dt.date(2026, 11, 26))
    complaint_accept(actor=east, pk=item.pk, version=item.version, on=dt.date(2026, 11, 26), note="电话联系张小明")
    text = client.post(TRACK, {"number": number, "code": code}).content.decode()
    assert "调解中" in text and "受理日期" in text and "调解期限" in text
    leaks = [
        "张小明", "张*", "13812341234", "1234", "牛奶", "保质期", shop.name, shop.uscc, "东关大街", "25.8",
        "李执法", "east", "东关市场监管所", "电话联系",
    ]
    assert [leak for leak in leaks if leak in text] == []


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(client, org, shop):
    number, code = receipt_of(submit(client, shop))
    wrong_code = "Z" * 8 if code != "Z" * 8 else "Y" * 8
    unknown = "TJ20269999999"
    answers = [client.post(TRACK, {"number": n, "code": c}) for n, c in ((number, wrong_code), (unknown, code))]
    assert [a.status_code for a in answers] == [404, 404]

    def neutral(response, typed):
        text = response.content.decode()
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        return text.replace(typed, "<number>")

    assert NOT_FOUND in answers[0].content.decode()
    assert neutral(answers[0], number) == neutral(answers[1], unknown)
    # A record of another channel has no code at all: it cannot be tracked with any code.
    Complaint.objects.filter(number=number).update(channel=Channel.HOTLINE, query_digest="")
    assert client.post(TRACK, {"number": number, "code": code}).status_code == 404


def test_missing_tracking_fields_are_named(client, org):
    response = client.post(TRACK, {"number": "", "code": ""})
    text = response.content.decode()
    assert response.status_code == 400 and "请输入登记编号" in text and "请输入查询码" in text


def test_a_bad_phone_is_refused_next_to_the_field_keeping_the_input(client, org, shop):
    response = submit(client, shop, complainant_phone="12345", respondent_name="解放路&lt;小吃店>")
    text = response.content.decode()
    assert response.status_code == 400 and Complaint.objects.count() == 0
    row = re.search(r'id="row-complainant_phone".*?</div>\s*</div>', text, re.S)[0]
    assert "联系电话" in row and "不是有效的中国大陆电话号码" in row and 'value="12345"' in row
    assert "在该超市购买的牛奶已过保质期" in text and 'value="东关大街1号"' in text
    assert 'value="解放路&amp;lt;小吃店&gt;"' in text  # kept, and escaped
    assert 'value="东关街道" selected' in text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"content": "  "}, "content", "诉求内容：不能为空"),
        ({"amount": "-3"}, "amount", "须为不小于 0 的金额"),
        ({"respondent_uscc": "123"}, "respondent_uscc", "统一社会信用代码"),
        ({"complainant_name": ""}, "complainant_phone", "投诉须留下投诉人姓名和联系电话"),
        ({"respondent_name": "", "respondent_address": ""}, "respondent_name", "须写明被投诉举报对象"),
        ({"kind": "other"}, "kind", "请选择投诉、举报或咨询"),
        ({"anonymous": "on"}, "anonymous", "只有举报可以匿名"),
    ],
)
def test_each_bad_input_is_named_and_nothing_saved(client, org, shop, changes, field, message):
    response = submit(client, shop, **changes)
    text = response.content.decode()
    assert response.status_code == 400 and Complaint.objects.count() == 0
    row = re.search(rf'id="row-{field}".*?</div>\s*</div>', text, re.S)[0]
    assert message in html.unescape(row)


def test_an_anonymous_report_keeps_no_person_and_a_vague_subdistrict_goes_to_triage(client, org):
    response = client.post(SUBMIT, {
        "kind": Kind.REPORT, "respondent_name": "无证流动摊贩", "respondent_address": "某菜市场门口", "subdistrict": "",
        "content": "无证经营，售卖来源不明的熟食。", "anonymous": "on", "complainant_name": "王五", "complainant_phone": "13912345678",
    })
    assert response.status_code == 200 and "（匿名）" in response.content.decode()
    item = Complaint.objects.get()
    assert (item.complainant_name, item.complainant_phone, item.status, item.subdistrict) == ("", "", Status.TRIAGE, None)


def test_an_inquiry_needs_no_respondent(client, org):
    response = client.post(SUBMIT, {"kind": Kind.INQUIRY, "content": "预付卡退费有什么规定？"})
    assert response.status_code == 200
    assert Complaint.objects.get().kind == Kind.INQUIRY


def test_the_submitted_text_is_escaped_on_the_receipt(client, org, shop):
    response = submit(client, shop, content="<script>window.__xss=1</script>牛奶过期")
    text = response.content.decode()
    assert "<script>window.__xss" not in text and "&lt;script&gt;window.__xss=1&lt;/script&gt;牛奶过期" in text


def test_csrf_is_enforced(org, shop):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(SUBMIT, form_data(shop)).status_code == 403
    assert strict.post(TRACK, {"number": "x", "code": "y"}).status_code == 403
    assert Complaint.objects.count() == 0


def test_submitting_is_rate_limited_per_client_keeping_the_input(client, org, shop, settings):
    settings.JIANGUAN_RATE_LIMITS = {"complaints_submit": "2/m"}
    assert client.get(SUBMIT).status_code == 200  # reading the form does not count
    assert submit(client, shop).status_code == 200
    assert submit(client, shop, complainant_phone="1").status_code == 400  # a refused attempt counts too
    refused = submit(client, shop, content="第三次提交")
    text = refused.content.decode()
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "提交过于频繁" in text and "第三次提交" in text
    assert Complaint.objects.count() == 1
    assert client.post(SUBMIT, form_data(shop, content="另一网络"), REMOTE_ADDR="10.1.2.3").status_code == 200


def test_tracking_is_rate_limited_per_client(client, org, shop, settings):
    number, code = receipt_of(submit(client, shop))
    settings.JIANGUAN_RATE_LIMITS = {"complaints_track": "3/m"}
    answers = [client.post(TRACK, {"number": number, "code": f"WRONG{i:03d}"}).status_code for i in range(3)]
    assert answers == [404, 404, 404]
    refused = client.post(TRACK, {"number": number, "code": code})  # even the right code waits now
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode() and "调解中" not in refused.content.decode()
    assert client.post(TRACK, {"number": number, "code": code}, REMOTE_ADDR="10.1.2.3").status_code == 200
