"""一户一档: a business's page gathers what every app keeps about it — devices, inspections, findings,
documents, complaints, spot checks — each with counts linking to lists of exactly those records,
scoped to the viewer, at a bounded number of queries; and it starts a new inspection."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.core.panels import ROWS

from ..core import home_records
from ..core.home_records import set_today
from ..equipment.factories import EquipmentFactory

PANELS = [
    "licences.held", "equipment.devices", "inspections.inspections", "inspections.findings", "inspections.documents",
    "complaints.items", "sampling.samples", "cases.cases", "spotchecks.drawn",
    "credit.record",
]


@pytest.fixture
def work(org, monkeypatch):
    set_today(monkeypatch)
    return home_records.build(org)


def _page(client, business):
    resp = client.get(f"/businesses/{business.pk}/")
    assert resp.status_code == 200
    return dict(resp.context["panels"]), resp.content.decode()


def _ids(client, url: str, pattern: str) -> set[int]:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return {int(pk) for pk in re.findall(pattern, resp.content.decode())}


def _count(panel, label):
    return next(c for c in panel.counts if c.label == label)


def test_business_page_shows_every_panel_with_counts_and_links(client, org, work):
    shop, f = work.shop, work.findings
    client.force_login(org.users.east)
    panels, page = _page(client, shop)
    assert list(panels) == PANELS
    for key, panel in panels.items():
        assert f'data-panel="{key}"' in page and panel.title in page

    devices = panels["equipment.devices"]
    assert devices.total == 4 and _count(devices, "在用").n == 4
    assert _ids(client, _count(devices, "超期未检").url, r'href="/equipment/(\d+)/"') == {work.devices["e1"].pk}
    assert _ids(client, _count(devices, "检验预警").url, r'href="/equipment/(\d+)/"') == {work.devices["e2"].pk}

    inspections = panels["inspections.inspections"]
    mine = {f["A"].inspection_id} | {o.inspection_id for o in work.drawn if o.business_id == shop.pk}
    assert inspections.total == len(mine) == 2
    assert _ids(client, inspections.counts[0].url, r'href="/inspections/(\d+)/"') == mine

    findings = panels["inspections.findings"]
    assert findings.total == 6 and _count(findings, "待整改").n == 3 and _count(findings, "待复查").n == 3
    overdue = _count(findings, "已逾期")
    assert overdue.n == 2 and overdue.tone == "danger"
    finding_link = r'href="/inspections/findings/(\d+)/'
    assert _ids(client, overdue.url, finding_link) == {f["A"].pk, f["D"].pk}
    assert _ids(client, _count(findings, "待复查").url, finding_link) == {f["D"].pk, f["E"].pk, f["H"].pk}
    # More than a few: the latest rows, and a link to the full filtered list.
    assert len(findings.rows) == ROWS and findings.has_more
    assert f'href="{findings.more_url}"' in page and "查看全部 6 条" in page
    assert _ids(client, findings.more_url, finding_link) == {x.pk for k, x in f.items() if k in "ABCDEH"}

    documents = panels["inspections.documents"]
    assert documents.total == 1 and _count(documents, "责令整改通知书").n == 1
    assert work.document.number in page
    assert f'href="/inspections/{work.document.inspection_id}/#documents"' in page

    complaints = panels["complaints.items"]
    c = work.complaints
    assert complaints.total == 4 and _count(complaints, "投诉").n == 4 and _count(complaints, "未办结").n == 3
    assert _ids(client, _count(complaints, "投诉").url, r'href="/complaints/(\d+)/"') == {
        c[n].pk for n in ("overdue", "soon", "later", "closed")
    }
    assert "13812341234" not in page and "王小明" not in page  # no complainant's personal data here

    drawn = panels["spotchecks.drawn"]
    assert drawn.total == 1 and _count(drawn, "待公示").n == 1
    assert work.task.number in page
    assert _ids(client, drawn.more_url, r'href="/spotchecks/tasks/(\d+)/"') == {work.task.pk}


def test_new_inspection_button_prefills_the_business(client, org, work):
    client.force_login(org.users.east)
    _, page = _page(client, work.shop)
    match = re.search(r'<a class="btn primary" href="([^"]+)" data-action="inspections.inspections">新建检查</a>', page)
    assert match, "the page offers 新建检查"
    url = match.group(1).replace("&amp;", "&")
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp.context["form"].initial["business"] == work.shop.uscc
    assert work.shop.uscc in resp.content.decode()
    # The leader reads only: no button.
    client.force_login(org.users.leader)
    assert 'data-action="inspections.inspections"' not in _page(client, work.shop)[1]


def test_inspection_and_finding_pages_link_back_to_the_business(client, org, work):
    client.force_login(org.users.east)
    page = client.get(f"/inspections/{work.findings['A'].inspection_id}/").content.decode()
    assert f'href="/businesses/{work.shop.pk}/"' in page
    page = client.get(f"/inspections/findings/{work.findings['A'].pk}/").content.decode()
    assert f'href="/businesses/{work.shop.pk}/"' in page


def test_station_sees_only_its_jurisdiction(client, org, work):
    # A device of the east shop installed in the west: the west's, not the east station's.
    EquipmentFactory(operator=work.shop, subdistrict=org.subs["xiguan"])
    client.force_login(org.users.west)
    assert client.get(f"/businesses/{work.shop.pk}/").status_code == 404
    panels, _ = _page(client, work.west_shop)
    assert panels["inspections.findings"].total == 2 and panels["complaints.items"].total == 1
    client.force_login(org.users.east)
    assert _page(client, work.shop)[0]["equipment.devices"].total == 4
    client.force_login(org.users.dept)
    assert _page(client, work.shop)[0]["equipment.devices"].total == 5


def test_business_page_query_count_is_bounded(client, org, work):
    client.force_login(org.users.dept)
    client.get(f"/businesses/{work.shop.pk}/")  # warm the registries and caches
    with CaptureQueriesContext(connection) as first:
        client.get(f"/businesses/{work.shop.pk}/")
    for n in range(4):
        home_records._complaint(org, work.shop, org.subs["dongguan"], due=n)
        EquipmentFactory(operator=work.shop, subdistrict=org.subs["dongguan"])
    home_records._findings(work.shop, home_records.team(org.east), {"X": 3, "Y": 4, "Z": 5})
    with CaptureQueriesContext(connection) as second:
        client.get(f"/businesses/{work.shop.pk}/")
    assert len(second) == len(first), [q["sql"] for q in second.captured_queries]
    # session, user, rule, then a count and a few rows per panel (credit: six small reads; licences, food grade,
    # canteens and 包保 one each), and the flags
    assert len(first) <= 38


def test_a_later_module_adds_its_panel_without_editing_the_business_app(client, org):
    """A module registers a panel in its panels.py (here: in the test); the page shows it in order."""
    from jianguan.core.panels import BusinessPanel, Count, Row, business_panels, register_business_panel

    shop = home_records.BusinessFactory(subdistrict=org.subs["dongguan"])

    @register_business_panel("sampling.results", order=45, visible=lambda actor: actor.role != "leadership")
    def sampling(actor, business, on):
        return BusinessPanel(
            title="抽检结果", total=1, unit="批次", counts=[Count("不合格", 1, "/sampling/?business=x")],
            rows=[Row(text=f"抽检 {business.name}", url="/sampling/1/")],
        )

    try:
        client.force_login(org.users.east)
        panels, page = _page(client, shop)
        assert list(panels).index("sampling.results") == list(panels).index("inspections.documents") + 1
        assert "抽检结果" in page and f"抽检 {shop.name}" in page and 'href="/sampling/?business=x"' in page
        client.force_login(org.users.leader)
        assert "sampling.results" not in _page(client, shop)[0]
    finally:
        business_panels.unregister("sampling.results")
