import datetime as dt

import pytest
from django.utils import timezone

from jianguan.complaints.choices import Channel, Kind
from jianguan.complaints.services.intake import complaint_receive

from ..factories import BusinessFactory


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def shop(org):
    return BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"])


@pytest.fixture
def receive(org, shop):
    """Register an item with sensible defaults; keyword arguments override them."""

    def make(kind=Kind.COMPLAINT, day=dt.date(2026, 9, 30), actor=None, **kw):
        fields = {
            "actor": actor or org.users.dept, "kind": kind, "channel": Channel.HOTLINE, "received_at": at(day),
            "respondent_name": shop.name, "respondent_uscc": shop.uscc, "respondent_address": "东关大街1号",
            "content": "在该超市购买的牛奶已过保质期，要求退一赔十。", "amount": "25.80",
            "complainant_name": "张三", "complainant_phone": "13812341234",
        }
        fields.update(kw)
        return complaint_receive(**fields)

    return make


@pytest.fixture
def today(monkeypatch):
    """Set the clock: `today(date)` makes that day's 18:00 the current time for the services and pages."""

    def set_day(day: dt.date) -> None:
        moment = at(day, 18)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    set_day(dt.date(2026, 11, 26))
    return set_day


@pytest.fixture
def as_user(client):
    """The test client, logged in as the given user."""

    def login(user):
        client.force_login(user)
        return client

    return login
