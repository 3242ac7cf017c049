"""Intake: routing to a station, the triage queue, duplicates, and bad input refused whole."""

import datetime as dt

import pytest

from jianguan.complaints.choices import Channel, Kind, Status
from jianguan.complaints.models import Complaint, Event
from jianguan.complaints.services.intake import query_digest
from jianguan.complaints.services.routing import complaint_assign, complaint_transfer
from jianguan.core.errors import DomainError

from ..factories import BusinessFactory
from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_registered_respondent_routes_to_its_station(receive, org, shop):
    complaint = receive()
    assert complaint.business == shop and complaint.station == org.east
    assert complaint.status == Status.RECEIVED
    assert complaint.events.get().action == "登记"


def test_matching_by_exact_name_when_the_code_is_missing(receive, org, shop):
    complaint = receive(respondent_uscc="")
    assert complaint.business == shop
    BusinessFactory(name=shop.name, subdistrict=org.subs["xiguan"])  # two businesses share the name now
    ambiguous = receive(respondent_uscc="", content="另一件事", subdistrict_text="西关街道")
    assert ambiguous.business is None and ambiguous.station == org.west


def test_unmatched_items_wait_in_triage_until_assigned(receive, org):
    item = receive(respondent_uscc="", respondent_name="无照流动摊贩", subdistrict_text="不知道哪个街道")
    assert item.status == Status.TRIAGE and item.station is None
    item = complaint_assign(actor=org.users.dept, pk=item.pk, version=item.version, subdistrict=org.subs["xiguan"])
    assert item.status == Status.RECEIVED and item.station == org.west
    with pytest.raises(DomainError, match="改派理由"):
        complaint_assign(actor=org.users.dept, pk=item.pk, version=item.version, subdistrict=org.subs["dongguan"])
    item = complaint_assign(
        actor=org.users.dept, pk=item.pk, version=item.version, subdistrict=org.subs["dongguan"], reason="摊点实际在东关",
    )
    moved = item.events.get(action="改派")
    assert (moved.from_station, moved.to_station, moved.actor, moved.note) == (org.west, org.east, org.users.dept, "摊点实际在东关")


def test_a_station_cannot_route_nor_act_on_another_stations_items(receive, org):
    item = receive()
    with pytest.raises(DomainError):
        complaint_assign(actor=org.users.east, pk=item.pk, version=item.version, subdistrict=org.subs["xiguan"], reason="x")
    with pytest.raises(DomainError, match="不在本所"):
        complaint_transfer(actor=org.users.west, pk=item.pk, version=item.version, to="某区局", reason="不属本辖区")


def test_transfer_keeps_the_record_with_where_and_why(receive, org):
    item = receive()
    item = complaint_transfer(actor=org.users.east, pk=item.pk, version=item.version, to="历下区市场监管局", reason="经营场所在历下区")
    assert item.status == Status.TRANSFERRED and item.transferred_to == "历下区市场监管局" and item.closed_on
    assert "经营场所在历下区" in item.events.get(action="移送").note


def test_the_same_person_respondent_and_text_within_a_day_is_flagged_and_kept(receive):
    first = receive()
    again = receive(received_at=at(dt.date(2026, 9, 30), 20), content="  在该超市购买的牛奶已过保质期，要求退一赔十。 ")
    assert again.duplicate_of == first and Complaint.objects.count() == 2
    assert "疑似重复" in again.events.get().note
    next_day = receive(received_at=at(dt.date(2026, 10, 1), 21))  # 25 hours after the second
    assert next_day.duplicate_of is None
    other_text = receive(received_at=at(dt.date(2026, 9, 30), 21), content="牛奶过期了")
    assert other_text.duplicate_of is None


def test_the_public_channel_gets_a_query_code_kept_only_as_a_digest(receive):
    item = receive(channel=Channel.PUBLIC)
    assert len(item.query_code) == 8
    stored = Complaint.objects.get(pk=item.pk)
    assert stored.query_digest == query_digest(item.query_code) and item.query_code not in stored.query_digest


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"respondent_name": "", "respondent_uscc": ""}, "被投诉举报对象"),
        ({"respondent_name": "某某小店", "respondent_uscc": "", "respondent_address": ""}, "对象地址"),
        ({"complainant_phone": "12345"}, "不是有效的中国大陆电话号码"),
        ({"complainant_phone": "1381234123a"}, "联系电话"),
        ({"content": "长" * 2001}, "不能超过 2000 字"),
        ({"content": "   "}, "诉求内容：不能为空"),
        ({"received_at": at(dt.date(2026, 12, 30))}, "晚于当前时间"),
        ({"respondent_uscc": "91370102MA3C1234X0"}, "统一社会信用代码"),
        ({"amount": "二十元"}, "涉及金额"),
        ({"complainant_name": ""}, "投诉须留下投诉人姓名和联系电话"),
    ],
)
def test_bad_input_is_refused_whole_with_the_field_named(receive, fields, message):
    with pytest.raises(DomainError, match=message):
        receive(**fields)
    assert not Complaint.objects.exists() and not Event.objects.exists()


def test_phones_are_normalized_and_anonymous_reports_accepted(receive):
    item = receive(complainant_phone="+86 138 1234 1234")
    assert item.complainant_phone == "13812341234"
    landline = receive(complainant_phone="0531-88881234", content="另一件")
    assert landline.complainant_phone == "0531-88881234"
    anonymous = receive(Kind.REPORT, complainant_name="", complainant_phone="", content="匿名举报：超市卖过期奶")
    assert anonymous.status == Status.VERIFYING


def test_markup_in_text_is_stored_as_written(receive):
    item = receive(content="<script>alert('x')</script>牛奶过期")
    assert Complaint.objects.get(pk=item.pk).content.startswith("<script>")


def test_linking_the_business_within_the_same_station_needs_no_reason(receive, org):
    item = receive(respondent_uscc="", respondent_name="东关小吃", subdistrict_text="东关街道")
    assert item.business is None and item.station == org.east
    shop = BusinessFactory(name="东关小吃店", subdistrict=org.subs["jiefang"])
    item = complaint_assign(actor=org.users.dept, pk=item.pk, version=item.version, subdistrict=None, business=shop)
    assert item.business == shop and item.station == org.east
    assert item.events.last().action == "补充主体或街道"
