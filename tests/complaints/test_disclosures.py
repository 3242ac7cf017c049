"""个人信息查看记录: the log of unmaskings, read by the bureau (not stations), filtered, escaped, and
itself writing no Disclosure; and each item's own section on its detail page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jianguan.complaints.models import Disclosure
from jianguan.complaints.privacy import personal_info
from jianguan.complaints.services.handling import complaint_take

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)
LOG = reverse("complaints:disclosures")


def html(response) -> str:
    return response.content.decode()


def row_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="d-(\d+)"', html(response))]


@pytest.fixture
def taken(receive, today, org):
    """An item taken by the east station's user, who thereby may unmask it."""
    today(TODAY)
    c = receive()
    return complaint_take(actor=org.users.east, pk=c.pk, version=c.version)


def unmask(user, complaint, purpose: str, ip: str | None = None) -> Disclosure:
    assert not personal_info(user, complaint, purpose=purpose, ip=ip)["masked"]
    return Disclosure.objects.latest("pk")


def stamp(disclosure: Disclosure, day: dt.date) -> Disclosure:
    """`at` is auto_now_add: move a row to another day after the fact."""
    Disclosure.objects.filter(pk=disclosure.pk).update(at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))))
    return Disclosure.objects.get(pk=disclosure.pk)


def test_an_unmasking_on_the_detail_page_shows_in_the_log_newest_first(taken, org, as_user):
    org.users.east.full_name = "王小东"
    org.users.east.save()
    east = as_user(org.users.east)
    east.post(reverse("complaints:personal", args=[taken.pk]), {"purpose": "电话联系投诉人"})
    east.post(reverse("complaints:personal", args=[taken.pk]), {"purpose": "告知处理结果"})
    first, second = Disclosure.objects.order_by("pk")
    stamp(first, TODAY - dt.timedelta(days=1))

    page = as_user(org.users.dept).get(LOG)
    assert page.status_code == 200
    assert row_ids(page) == [second.pk, first.pk]
    body = html(page)
    for shown in ("王小东", "东关市场监管所", "电话联系投诉人", "告知处理结果", "127.0.0.1", taken.number):
        assert shown in body
    assert reverse("complaints:detail", args=[taken.pk]) in body
    assert "张三" not in body and "13812341234" not in body  # the log names viewers, never complainants


def test_filters_by_viewer_number_and_date(taken, receive, org, as_user):
    other = receive(respondent_name="西关小吃店")
    other = complaint_take(actor=org.users.east, pk=other.pk, version=other.version)
    org.users.dept.full_name = "李科长"
    org.users.dept.save()
    by_east = stamp(unmask(org.users.east, taken, "办理", "10.0.0.1"), dt.date(2026, 11, 20))
    on_other = stamp(unmask(org.users.east, other, "办理", "10.0.0.2"), dt.date(2026, 11, 24))
    # A user granted 查看个人信息 would do; writing the row directly stands in for an export.
    by_dept = stamp(Disclosure.objects.create(complaint=taken, user=org.users.dept, purpose="导出"), dt.date(2026, 11, 25))
    dept = as_user(org.users.dept)

    assert row_ids(dept.get(LOG)) == [by_dept.pk, on_other.pk, by_east.pk]
    assert row_ids(dept.get(LOG, {"viewer": "eas"})) == [on_other.pk, by_east.pk]
    assert row_ids(dept.get(LOG, {"viewer": "科长"})) == [by_dept.pk]
    assert row_ids(dept.get(LOG, {"number": other.number})) == [on_other.pk]
    assert row_ids(dept.get(LOG, {"at_from": "2026-11-21", "at_to": "2026-11-24"})) == [on_other.pk]
    assert row_ids(dept.get(LOG, {"at_to": "2026-11-20"})) == [by_east.pk]
    bad = dept.get(LOG, {"at_from": "昨天", "viewer": "east"})
    assert bad.status_code == 200 and row_ids(bad) == [on_other.pk, by_east.pk] and "已忽略" in html(bad)


def test_pages_of_the_log(taken, org, as_user, monkeypatch):
    monkeypatch.setattr("jianguan.complaints.views.common.PAGE_SIZE", 2)
    rows = [unmask(org.users.east, taken, f"办理{i}") for i in range(3)]
    dept = as_user(org.users.dept)
    first = dept.get(LOG, {"viewer": "east"})
    assert row_ids(first) == [rows[2].pk, rows[1].pk] and "page=2" in html(first)
    assert row_ids(dept.get(LOG, {"viewer": "east", "page": "2"})) == [rows[0].pk]


def test_who_may_read_the_log(taken, org, as_user):
    personal_info(org.users.east, taken, purpose="办理")
    denied = as_user(org.users.east).get(LOG)
    assert denied.status_code == 403 and "监管所" in html(denied)
    assert f'href="{LOG}"' not in html(as_user(org.users.east).get(reverse("complaints:queue")))
    for user in (org.users.leader, org.users.dept, org.users.admin):
        client = as_user(user)
        page = client.get(LOG)
        assert page.status_code == 200 and len(row_ids(page)) == 1
        assert f'href="{LOG}"' in html(client.get(reverse("complaints:queue")))


def test_reading_the_log_and_the_section_writes_no_disclosure(taken, org, as_user):
    personal_info(org.users.east, taken, purpose="办理")
    for user in (org.users.leader, org.users.dept, org.users.admin):
        client = as_user(user)
        client.get(LOG)
        client.get(LOG, {"number": taken.number})
        client.get(reverse("complaints:detail", args=[taken.pk]))
    as_user(org.users.east).get(reverse("complaints:detail", args=[taken.pk]))
    assert Disclosure.objects.count() == 1


def test_the_detail_page_lists_the_items_disclosures_to_the_bureau_and_the_handler(taken, receive, org, as_user):
    untouched = receive(respondent_name="东关面馆")
    detail = reverse("complaints:detail", args=[taken.pk])
    east = as_user(org.users.east)
    shown = html(east.post(reverse("complaints:personal", args=[taken.pk]), {"purpose": "电话联系投诉人"}))
    assert 'id="disclosures"' in shown and "电话联系投诉人" in shown  # the view just made is listed at once

    for user in (org.users.leader, org.users.dept, org.users.admin, org.users.east):
        page = html(as_user(user).get(detail))
        section = page[page.index('id="disclosures"'):page.index('id="timeline-card"')]
        assert "电话联系投诉人" in section and "东关市场监管所" in section and str(org.users.east) in section
    other = html(as_user(org.users.dept).get(reverse("complaints:detail", args=[untouched.pk])))
    assert "尚无人查看过" in other and "电话联系投诉人" not in other

    # A colleague at the same station who does not handle the item sees neither the details nor the log.
    colleague = type(org.users.east).objects.create(username="east2", role=org.users.east.role, org_unit=org.east)
    page = as_user(colleague).get(detail)
    assert page.status_code == 200 and 'id="disclosures"' not in html(page)


def test_the_log_and_the_section_are_escaped(taken, org, as_user):
    xss = '<script>window.__xss=1</script>'
    org.users.east.full_name = xss
    org.users.east.save()
    personal_info(org.users.east, taken, purpose=xss)
    for url in (LOG, reverse("complaints:detail", args=[taken.pk])):
        body = html(as_user(org.users.dept).get(url))
        assert xss not in body and "&lt;script&gt;window.__xss=1&lt;/script&gt;" in body
