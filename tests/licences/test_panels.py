"""The register on the to-do home (许可证到期预警, scoped, each count listing exactly what it counts) and on the
one-stop business page (each licence linking to its page, the list filtered by the holder)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from jianguan.core.models import Rule

from ..factories import BusinessFactory
from .factories import licence

pytestmark = pytest.mark.django_db
ROW = r'<tr id="licence-(\d+)"'


def _ids(client, url) -> set[int]:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return {int(pk) for pk in re.findall(ROW, resp.content.decode())}


@pytest.fixture
def world(org):
    today = timezone.localdate()
    d = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    east = BusinessFactory(subdistrict=org.subs["jiefang"], name="解放路饭店")
    west = BusinessFactory(subdistrict=org.subs["jinan"], name="泉城路超市")
    lic = {
        "today": licence(east, number="A1", until=d(0)),
        "edge": licence(east, number="A2", kind="food_small", sector="snack_stall", until=d(90)),
        "later": licence(east, number="A3", kind="food_production", sector="food_production", until=d(91)),
        "lapsed": licence(east, number="A4", kind="drug_retail", sector="drug_retail", until=d(-1)),
        "long_ago": licence(east, number="A5", kind="medical_device", sector="device_trade", until=d(-91)),
        "west_soon": licence(west, number="B1", sector="supermarket", until=d(10)),
        "west_ended": licence(west, number="B2", kind="drug_retail", sector="drug_retail", until=d(20)),
    }
    from jianguan.licences.services import licence_end

    licence_end(actor=None, pk=lic["west_ended"].pk, status="cancelled", on=d(-1))
    return {k: v.pk for k, v in lic.items()}, east, west


def _todo(client):
    resp = client.get("/")
    assert resp.status_code == 200
    return dict(resp.context["todos"]).get("licences.expiring"), resp.content.decode()


@pytest.mark.parametrize("role", ["dept", "east", "leader"])
def test_expiry_todo_counts_and_lists_exactly_those(client, org, world, role):
    pk, _, _ = world
    client.force_login(getattr(org.users, role))
    todo, page = _todo(client)
    east = role == "east"
    want = {
        "soon": {pk["today"], pk["edge"]} | (set() if east else {pk["west_soon"]}),
        "overdue": {pk["lapsed"]},
    }
    want["open"] = want["soon"] | want["overdue"]
    for kind, count in todo.counts:
        assert count.n == len(want[kind]), (kind, count)
        assert f'href="{count.url.replace("&", "&amp;")}" data-count="{kind}"' in page
        assert _ids(client, count.url) == want[kind], (kind, count.url)
    assert [r.when for r in todo.rows] == sorted(r.when for r in todo.rows)
    assert todo.rows[0].tone == "danger" and todo.rows[0].url == f"/licences/{pk['lapsed']}/"


def test_the_window_is_the_rule(client, org, world):
    pk, _, _ = world
    today = timezone.localdate()
    Rule.objects.create(key="licences.expiry_warning_days", valid_from=today - dt.timedelta(days=1), value="30",
                        unit="calendar_day", label="许可证到期预警提前天数")
    client.force_login(org.users.east)
    todo, _ = _todo(client)
    assert todo.due_soon.n == 1 and "30天内到期" == todo.due_soon.label  # only A1 (today); A2 at 90 days is not yet
    assert _ids(client, todo.due_soon.url) == {pk["today"]}


def test_no_register_no_item(client, org):
    licence(BusinessFactory(subdistrict=org.subs["xiguan"]), number="W1", until=timezone.localdate())
    client.force_login(org.users.east)  # the only licence is the west station's
    assert _todo(client)[0] is None
    client.force_login(org.users.west)
    assert _todo(client)[0].due_soon.n == 1


def test_onestop_panel_links_to_the_licences(client, org, world):
    pk, east, _ = world
    client.force_login(org.users.dept)
    resp = client.get(f"/businesses/{east.pk}/")
    panel = dict(resp.context["panels"])["licences.held"]
    page = resp.content.decode()
    assert panel.total == 5 and panel.counts[0].n == 3
    assert {r.url for r in panel.rows} == {f"/licences/{pk[k]}/" for k in ("today", "edge", "later", "lapsed", "long_ago")}
    assert panel.rows[-1].badge == "过期"
    assert f'href="{panel.more_url}"' in page
    assert _ids(client, panel.more_url) == {pk[k] for k in ("today", "edge", "later", "lapsed", "long_ago")}
    assert _ids(client, panel.counts[0].url) == {pk[k] for k in ("today", "edge", "later")}
    bare = BusinessFactory(subdistrict=org.subs["dongguan"])
    panel = dict(client.get(f"/businesses/{bare.pk}/").context["panels"])["licences.held"]
    assert panel.total == 0 and panel.more_url is None
