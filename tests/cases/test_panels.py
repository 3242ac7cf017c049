"""执法办案 on the pages that gather many apps: a business's one-stop page (一户一档) shows its cases and
leads, and the to-do home counts pending leads by their filing deadline and open cases by their decision
deadline — each count opening a list of exactly the records counted, scoped to the user's jurisdiction."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from jianguan.cases.choices import CaseStatus, LeadStatus, RespondentKind, SuspensionReason
from jianguan.cases.models import Suspension

from ..factories import BusinessFactory
from .factories import CaseFactory, LeadFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 9, 21)


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


@pytest.fixture
def world(org):
    east_shop = BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"])
    west_shop = BusinessFactory(name="西关副食店", subdistrict=org.subs["xiguan"])
    other = BusinessFactory(name="解放路药房", subdistrict=org.subs["jiefang"])
    leads = {
        "overdue": LeadFactory(business=east_shop, received_on=dt.date(2026, 8, 3)),
        "soon": LeadFactory(business=east_shop, received_on=dt.date(2026, 9, 1)),
        "later": LeadFactory(business=other, received_on=dt.date(2026, 9, 15)),
        "person": LeadFactory(business=None, respondent_kind=RespondentKind.PERSON, respondent_name="王小二",
                              respondent_id_no="370102199001011234", subdistrict=org.subs["dongguan"],
                              received_on=dt.date(2026, 8, 20)),
        "decided": LeadFactory(business=east_shop, received_on=dt.date(2026, 7, 1), status=LeadStatus.NOT_FILED,
                               not_filed_reason="no_violation", decided_on=dt.date(2026, 7, 5)),
        "west": LeadFactory(business=west_shop, received_on=dt.date(2026, 8, 3)),
    }
    cases = {
        "overdue": CaseFactory(business=east_shop, filed_on=dt.date(2026, 6, 1)),
        "soon": CaseFactory(business=other, filed_on=dt.date(2026, 6, 23)),
        "later": CaseFactory(business=east_shop, filed_on=dt.date(2026, 9, 1)),
        "suspended": CaseFactory(business=other, filed_on=dt.date(2026, 6, 2)),
        "closed": CaseFactory(business=east_shop, filed_on=dt.date(2026, 3, 1), status=CaseStatus.CLOSED,
                              decided_on=dt.date(2026, 4, 1), closed_on=dt.date(2026, 5, 1)),
        "west": CaseFactory(business=west_shop, filed_on=dt.date(2026, 6, 10)),
    }
    # Its clock stands still: neither overdue nor due soon, though its recorded deadline has passed.
    Suspension.objects.create(case=cases["suspended"], reason=SuspensionReason.TESTING, start=dt.date(2026, 8, 1))
    return {"east_shop": east_shop, "west_shop": west_shop, "leads": leads, "cases": cases}


def _todos(client) -> tuple[dict, str]:
    resp = client.get("/")
    assert resp.status_code == 200
    return dict(resp.context["todos"]), html(resp)


@pytest.mark.parametrize("role", ["east", "dept", "leader"])
def test_todo_counts_link_to_exactly_the_records_counted(client, org, world, role):
    leads, cases = world["leads"], world["cases"]
    east = role == "east"
    expected = {
        "cases.leads": {
            "overdue": {leads["overdue"].pk, leads["person"].pk} | (set() if east else {leads["west"].pk}),
            "soon": {leads["soon"].pk},
            "open": {leads[k].pk for k in ("overdue", "soon", "later", "person")} | (set() if east else {leads["west"].pk}),
        },
        "cases.decisions": {
            "overdue": {cases["overdue"].pk} | (set() if east else {cases["west"].pk}),
            "soon": {cases["soon"].pk},
            "open": {cases[k].pk for k in ("overdue", "soon", "later", "suspended")} | (set() if east else {cases["west"].pk}),
        },
    }
    client.force_login(getattr(org.users, role))
    todos, page = _todos(client)
    for key, prefix in (("cases.leads", "lead"), ("cases.decisions", "case")):
        for kind, count in todos[key].counts:
            assert count.n == len(expected[key][kind]), (key, kind)
            assert f'href="{count.url.replace("&", "&amp;")}" data-count="{kind}"' in page
            assert listed(client, count.url, prefix) == expected[key][kind], (key, kind, count.url)
    # The nearest deadlines, overdue first and red; a person is never named in full here.
    rows = todos["cases.leads"].rows
    assert [r.when for r in rows] == sorted(r.when for r in rows) and rows[0].tone == "danger"
    assert "王小二" not in page and "王**" in page
    assert todos["cases.decisions"].rows[0].url == f"/cases/{cases['overdue'].pk}/" or not east


def test_a_station_counts_only_its_own(client, org, world):
    client.force_login(org.users.west)
    todos, _ = _todos(client)
    assert (todos["cases.leads"].overdue.n, todos["cases.leads"].open.n) == (1, 1)
    assert (todos["cases.decisions"].overdue.n, todos["cases.decisions"].open.n) == (1, 1)


def test_one_stop_page_shows_the_business_cases_and_leads(client, org, world):
    shop, cases, leads = world["east_shop"], world["cases"], world["leads"]
    client.force_login(org.users.east)
    resp = client.get(f"/businesses/{shop.pk}/")
    assert resp.status_code == 200
    panel = dict(resp.context["panels"])["cases.cases"]
    assert panel.total == 3 + 3  # three cases, three leads (one decided)
    counts = {c.label: c for c in panel.counts}
    assert (counts["案件"].n, counts["办理中"].n, counts["已结案"].n) == (3, 2, 1)
    assert (counts["线索"].n, counts["待核查线索"].n) == (3, 2)
    assert listed(client, counts["案件"].url, "case") == {cases[k].pk for k in ("overdue", "later", "closed")}
    assert listed(client, counts["办理中"].url, "case") == {cases["overdue"].pk, cases["later"].pk}
    assert listed(client, counts["已结案"].url, "case") == {cases["closed"].pk}
    assert listed(client, counts["线索"].url, "lead") == {leads[k].pk for k in ("overdue", "soon", "decided")}
    assert listed(client, counts["待核查线索"].url, "lead") == {leads["overdue"].pk, leads["soon"].pk}
    page = html(resp)
    section = page[page.index('data-panel="cases.cases"'):]
    section = section[: section.index("</section>")]
    assert cases["later"].number in section and f'href="/cases/{cases["later"].pk}/"' in section
    assert f'href="/cases/leads/new/?uscc={shop.uscc}"' in page  # 登记线索, with the business's code filled in
    assert shop.uscc in html(client.get(f"/cases/leads/new/?uscc={shop.uscc}"))


def test_one_stop_page_is_scoped_and_read_only_for_leadership(client, org, world):
    west_shop = world["west_shop"]
    client.force_login(org.users.leader)
    resp = client.get(f"/businesses/{west_shop.pk}/")
    panel = dict(resp.context["panels"])["cases.cases"]
    assert panel.total == 2 and not panel.actions
    empty = BusinessFactory(name="无案件商户", subdistrict=org.subs["dongguan"])
    client.force_login(org.users.east)
    panel = dict(client.get(f"/businesses/{empty.pk}/").context["panels"])["cases.cases"]
    assert panel.total == 0 and panel.rows == [] and "没有涉及该主体的案件或线索" in panel.empty
