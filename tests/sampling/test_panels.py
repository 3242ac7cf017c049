"""抽检 on the pages that gather many apps: a business's one-stop page (一户一档) shows its samples and quick
tests, and the to-do home counts unqualified samples by their disposal deadline and unqualified results not
yet served by their service deadline — each count opening a list of exactly the records counted, overdue in
red, scoped to the user's jurisdiction."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from jianguan.sampling.choices import Conclusion, QuickTestResult

from ..factories import BusinessFactory
from .factories import QuickTestFactory, SampleFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 9, 21)  # due soon: up to 24 September (the 3-day window)


@pytest.fixture(autouse=True)
def now(monkeypatch):
    moment = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(10)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def html(response) -> str:
    return response.content.decode()


def listed(client, url: str, prefix: str) -> set[int]:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return {int(pk) for pk in re.findall(rf'<tr id="{prefix}-(\d+)"', html(resp))}


def unqualified(business, report_on, **kw):
    return SampleFactory(business=business, conclusion=Conclusion.UNQUALIFIED, sampled_on=report_on - dt.timedelta(days=15),
                         report_on=report_on, **kw)


@pytest.fixture
def world(org):
    east_shop = BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"])
    west_shop = BusinessFactory(name="西关副食店", subdistrict=org.subs["xiguan"])
    other = BusinessFactory(name="解放路菜店", subdistrict=org.subs["jiefang"])
    samples = {
        # Disposal due 90 days from the report: 18 Aug (overdue), 23 Sept (soon), 19 Dec (later).
        "overdue": unqualified(east_shop, dt.date(2026, 5, 20), served_on=dt.date(2026, 5, 21)),
        "soon": SampleFactory(business=None, business_name="刘小二", subdistrict=org.subs["jiefang"],
                              conclusion=Conclusion.UNQUALIFIED, sampled_on=dt.date(2026, 6, 10), report_on=dt.date(2026, 6, 25),
                              served_on=dt.date(2026, 6, 26)),
        # Reported 10 Sept, not served: service due 17 Sept (overdue); reported 18 Sept: due 24 Sept (soon).
        "unserved_late": unqualified(east_shop, dt.date(2026, 9, 10)),
        "unserved_soon": unqualified(other, dt.date(2026, 9, 18)),
        "disposed": unqualified(east_shop, dt.date(2026, 4, 1), served_on=dt.date(2026, 4, 2), disposed_on=dt.date(2026, 5, 1),
                                cause="进货未查验", no_case_reason="已改正"),
        "qualified": SampleFactory(business=east_shop, sampled_on=dt.date(2026, 8, 1)),
        "pending": SampleFactory(business=east_shop, conclusion=Conclusion.PENDING, sampled_on=dt.date(2026, 9, 15)),
        "west": unqualified(west_shop, dt.date(2026, 5, 20)),
    }
    tests = {
        "negative": QuickTestFactory(business=east_shop, business_uscc=east_shop.uscc, subdistrict=org.subs["dongguan"]),
        "positive": QuickTestFactory(business=east_shop, business_uscc=east_shop.uscc, subdistrict=org.subs["dongguan"],
                                     result=QuickTestResult.POSITIVE, product="韭菜", tested_on=dt.date(2026, 9, 2)),
        "elsewhere": QuickTestFactory(subdistrict=org.subs["dongguan"]),
    }
    return {"east_shop": east_shop, "west_shop": west_shop, "samples": samples, "tests": tests}


def _todos(client) -> tuple[dict, str]:
    resp = client.get("/")
    assert resp.status_code == 200
    return dict(resp.context["todos"]), html(resp)


def test_disposal_dates_of_the_world(world):
    s = world["samples"]
    assert (s["overdue"].disposal_due, s["soon"].disposal_due) == (dt.date(2026, 8, 18), dt.date(2026, 9, 23))
    assert (s["unserved_late"].service_due, s["unserved_soon"].service_due) == (dt.date(2026, 9, 17), dt.date(2026, 9, 24))


@pytest.mark.parametrize("role", ["east", "dept", "leader"])
def test_todo_counts_link_to_exactly_the_records_counted(client, org, world, role):
    s = world["samples"]
    east = role == "east"
    west = set() if east else {s["west"].pk}
    expected = {
        "sampling.disposals": {
            "overdue": {s["overdue"].pk} | west,
            "soon": {s["soon"].pk},
            "open": {s[k].pk for k in ("overdue", "soon", "unserved_late", "unserved_soon")} | west,
        },
        "sampling.services": {
            "overdue": {s["unserved_late"].pk} | west,
            "soon": {s["unserved_soon"].pk},
            "open": {s["unserved_late"].pk, s["unserved_soon"].pk} | west,
        },
    }
    client.force_login(getattr(org.users, role))
    todos, page = _todos(client)
    assert todos["sampling.disposals"].label == "不合格样品核查处置"
    assert todos["sampling.services"].label == "待送达的不合格检验结论"
    for key in expected:
        for kind, count in todos[key].counts:
            assert count.n == len(expected[key][kind]), (key, kind)
            assert f'href="{count.url.replace("&", "&amp;")}" data-count="{kind}"' in page
            assert listed(client, count.url, "sample") == expected[key][kind], (key, kind, count.url)
    # The nearest deadlines first, overdue ones red (danger), due-soon ones warning.
    rows = todos["sampling.disposals"].rows
    assert [r.when for r in rows] == sorted(r.when for r in rows)
    assert rows[0].tone == "danger" and rows[-1].tone == "warning" and rows[-1].url == f"/sampling/{s['soon'].pk}/"
    assert todos["sampling.disposals"].overdue.tone == "danger"
    # An unregistered stall is taken to be a person: never named in full here.
    assert "刘小二" not in page and "刘**" in page


def test_a_station_counts_only_its_own(client, org, world):
    client.force_login(org.users.west)
    todos, _ = _todos(client)
    assert (todos["sampling.disposals"].overdue.n, todos["sampling.disposals"].open.n) == (1, 1)
    assert (todos["sampling.services"].overdue.n, todos["sampling.services"].open.n) == (1, 1)


def test_one_stop_page_shows_the_business_samples_and_quick_tests(client, org, world):
    shop, s, t = world["east_shop"], world["samples"], world["tests"]
    client.force_login(org.users.east)
    resp = client.get(f"/businesses/{shop.pk}/")
    assert resp.status_code == 200
    panel = dict(resp.context["panels"])["sampling.samples"]
    counts = {c.label: c for c in panel.counts}
    assert (counts["抽检批次"].n, counts["不合格"].n, counts["处置中"].n) == (5, 3, 2)
    assert (counts["快检"].n, counts["快检阳性"].n) == (2, 1) and panel.total == 7
    assert counts["不合格"].tone == "danger" and counts["处置中"].tone == "warning"
    mine = {s[k].pk for k in ("overdue", "unserved_late", "disposed", "qualified", "pending")}
    assert listed(client, counts["抽检批次"].url, "sample") == mine
    assert listed(client, counts["不合格"].url, "sample") == {s[k].pk for k in ("overdue", "unserved_late", "disposed")}
    assert listed(client, counts["处置中"].url, "sample") == {s["overdue"].pk, s["unserved_late"].pk}
    assert listed(client, counts["快检阳性"].url, "quicktest") == {t["positive"].pk}
    # The latest samples first, an unqualified one red; the form is offered with the business's code.
    assert panel.rows[0].url == f"/sampling/{s['pending'].pk}/"
    assert any(r.tone == "danger" for r in panel.rows)
    assert panel.actions[0].url == f"/sampling/new/?uscc={shop.uscc}"
    assert "抽检与快检" in html(resp)


def test_one_stop_panel_is_scoped_and_read_only_for_leadership(client, org, world):
    # A sample kept at the east business's code but recorded in a west subdistrict: the west station's.
    moved = SampleFactory(business=world["east_shop"], subdistrict=org.subs["xiguan"], sampled_on=dt.date(2026, 9, 1))
    client.force_login(org.users.east)
    panel = dict(client.get(f"/businesses/{world['east_shop'].pk}/").context["panels"])["sampling.samples"]
    assert panel.counts[0].n == 5 and moved.pk not in listed(client, panel.counts[0].url, "sample")
    client.force_login(org.users.west)
    assert client.get(f"/businesses/{world['east_shop'].pk}/").status_code == 404
    panel = dict(client.get(f"/businesses/{world['west_shop'].pk}/").context["panels"])["sampling.samples"]
    assert [c.n for c in panel.counts] == [1, 1, 1, 0, 0]
    client.force_login(org.users.leader)
    panel = dict(client.get(f"/businesses/{world['east_shop'].pk}/").context["panels"])["sampling.samples"]
    assert panel.actions == [] and panel.counts[0].n == 6
