"""许可证台账 pages: the list's filters and search as of today, a station's jurisdiction, the licence page with
its history, the form (errors next to fields, edit conflicts), 注销/吊销, leadership reading only."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from jianguan.licences.models import Licence

from ..factories import BusinessFactory
from .factories import licence

pytestmark = pytest.mark.django_db
ROW = r'<tr id="licence-(\d+)"'


def _ids(client, url, params=None) -> set[int]:
    resp = client.get(url, params or {})
    assert resp.status_code == 200, resp.content.decode()[:500]
    return {int(pk) for pk in re.findall(ROW, resp.content.decode())}


@pytest.fixture
def world(org):
    today = timezone.localdate()
    east = BusinessFactory(subdistrict=org.subs["dongguan"], name="东关小吃店")
    west = BusinessFactory(subdistrict=org.subs["xiguan"], name="西关大药房")
    d = lambda n: today + dt.timedelta(days=n)  # noqa: E731
    lic = {
        "valid": licence(east, number="JY1", until=d(400)),
        "soon": licence(east, number="JY2", kind="food_prepack_filing", sector="convenience", until=d(30)),
        "expired": licence(east, number="JY3", kind="food_small", sector="snack_stall", until=d(-10)),
        "old": licence(east, number="JY4", until=d(-200)),
        "drug": licence(west, number="YP1", kind="drug_retail", sector="drug_retail", until=d(60)),
        "cancelled": licence(west, number="YP2", kind="drug_retail", sector="drug_retail", until=d(500)),
        "revoked": licence(west, number="YP3", kind="drug_retail", sector="drug_retail", until=d(500)),
    }
    from jianguan.licences.services import licence_end

    licence_end(actor=None, pk=lic["cancelled"].pk, status="cancelled", on=d(-3))
    licence_end(actor=None, pk=lic["revoked"].pk, status="revoked", on=today)
    return {k: v.pk for k, v in lic.items()}, east, west


def test_list_filters_as_of_today(client, org, world):
    pk, east, west = world
    client.force_login(org.users.dept)
    assert _ids(client, "/licences/") == set(pk.values())
    assert _ids(client, "/licences/", {"status": "valid"}) == {pk["valid"], pk["soon"], pk["drug"]}
    assert _ids(client, "/licences/", {"status": "expired"}) == {pk["expired"], pk["old"]}
    assert _ids(client, "/licences/", {"status": "cancelled"}) == {pk["cancelled"]}
    assert _ids(client, "/licences/", {"status": "revoked"}) == {pk["revoked"]}
    assert _ids(client, "/licences/", {"kind": "drug_retail"}) == {pk["drug"], pk["cancelled"], pk["revoked"]}
    assert _ids(client, "/licences/", {"sector": "convenience"}) == {pk["soon"]}
    assert _ids(client, "/licences/", {"domain": "drug"}) == {pk["drug"], pk["cancelled"], pk["revoked"]}
    assert _ids(client, "/licences/", {"station": "S2"}) == {pk["drug"], pk["cancelled"], pk["revoked"]}
    assert _ids(client, "/licences/", {"subdistrict": org.subs["dongguan"].code}) == {pk[k] for k in ("valid", "soon", "expired", "old")}
    # 即将到期: valid and ending within the rule's 90 days; 过期未延续: past its term within as many days.
    assert _ids(client, "/licences/", {"expiry": "soon"}) == {pk["soon"], pk["drug"]}
    assert _ids(client, "/licences/", {"expiry": "lapsed"}) == {pk["expired"]}
    # Search by number, name fragment or code.
    assert _ids(client, "/licences/", {"q": "yp1"}) == {pk["drug"]}
    assert _ids(client, "/licences/", {"q": "小吃"}) == {pk[k] for k in ("valid", "soon", "expired", "old")}
    assert _ids(client, "/licences/", {"q": west.uscc.lower()}) == {pk["drug"], pk["cancelled"], pk["revoked"]}
    assert _ids(client, "/licences/", {"holder": east.uscc, "status": "valid"}) == {pk["valid"], pk["soon"]}
    page = client.get("/licences/", {"status": "nonsense", "kind": "x"}).content.decode()
    assert "状态“nonsense”无效，已忽略" in page and "许可种类“x”无效，已忽略" in page
    assert 'href="/imports/licences/"' in page and 'href="/licences/export/"' in page


def test_a_renewal_is_not_lapsed(org, client, world):
    pk, east, _ = world
    client.force_login(org.users.dept)
    assert _ids(client, "/licences/", {"expiry": "lapsed"}) == {pk["expired"]}
    # JY4 expired too, but long ago (outside the window); JY1's kind differs. A new licence of JY3's kind renews it.
    licence(east, number="JY3-NEW", kind="food_small", sector="snack_stall", until=timezone.localdate() + dt.timedelta(days=1800))
    assert _ids(client, "/licences/", {"expiry": "lapsed"}) == set()


def test_list_pages(client, org):
    holder = BusinessFactory(subdistrict=org.subs["dongguan"])
    for n in range(55):
        licence(holder, number=f"JY{n:03d}", until=dt.date(2099, 1, 1))
    client.force_login(org.users.dept)
    first, second = _ids(client, "/licences/"), _ids(client, "/licences/", {"page": 2})
    assert len(first) == 50 and len(second) == 5 and not first & second


def test_station_sees_its_jurisdiction_only(client, org, world):
    pk, east, west = world
    client.force_login(org.users.east)
    assert _ids(client, "/licences/") == {pk[k] for k in ("valid", "soon", "expired", "old")}
    assert client.get(f"/licences/{pk['drug']}/").status_code == 404
    assert client.get(f"/licences/{pk['drug']}/edit/").status_code == 404
    assert client.post(f"/licences/{pk['drug']}/end/", {"status": "cancelled", "status_date": "2025-01-01", "version": 1}).status_code == 404
    assert client.get(f"/licences/{pk['valid']}/").status_code == 200
    # A licence for a holder of the other station is refused next to the code.
    resp = client.post("/licences/new/", {"number": "JY9", "kind": "food_business", "uscc": west.uscc, "issued_on": "2025-01-01"})
    assert resp.status_code == 403
    assert "该持证主体不在您的辖区范围内" in resp.context["form"].errors["uscc"][0]
    assert not Licence.objects.filter(number="JY9").exists()
    export = client.get("/licences/export/")
    assert export.status_code == 200 and export["Content-Disposition"].startswith("attachment")


def test_licence_page_shows_fields_and_history(client, org, world):
    pk, east, _ = world
    client.force_login(org.users.dept)
    lic = Licence.objects.get(pk=pk["valid"])
    resp = client.post(f"/licences/{lic.pk}/edit/", {
        "number": lic.number, "kind": "food_business", "uscc": east.uscc, "sector": "catering_medium", "items": "热食类",
        "issued_on": "2024-01-01", "valid_until": lic.valid_until.isoformat(), "version": lic.version,
    }, REMOTE_ADDR="10.1.2.3")
    assert resp.status_code == 302
    page = client.get(f"/licences/{lic.pk}/").content.decode()
    assert "东关小吃店" in page and "JY1" in page and "有效" in page
    assert "主体业态：<del>小型餐饮</del> → <ins>中型餐饮</ins>" in page
    assert "dept" in page and "10.1.2.3" in page
    assert "登记" in page  # the creation, by the system (written by a service with no actor)


def test_form_errors_are_next_to_their_fields(client, org, world):
    pk, east, _ = world
    client.force_login(org.users.dept)
    resp = client.post("/licences/new/", {"number": "JY1", "kind": "food_business", "uscc": east.uscc, "issued_on": "2025-01-01"})
    assert resp.status_code == 400 and "许可证编号 JY1 已登记" in resp.context["form"].errors["number"][0]
    resp = client.post("/licences/new/", {"number": "JY8", "kind": "food_business", "uscc": "91370102MA3XXXXX1X", "issued_on": "2025-01-01"})
    assert resp.status_code == 400 and "uscc" in resp.context["form"].errors
    resp = client.post("/licences/new/", {"number": "JY8", "kind": "", "uscc": east.uscc, "issued_on": "2025-01-01",
                                          "valid_until": "2024-01-01"})
    form = resp.context["form"]
    assert resp.status_code == 400 and "kind" in form.errors and "有效期至不能早于发证日期" in form.errors["valid_until"][0]
    resp = client.post("/licences/new/", {"number": "jy8", "kind": "food_business", "uscc": east.uscc.lower(), "sector": "school_canteen",
                                          "issued_on": "2025-01-01", "valid_until": "2030-01-01"})
    assert resp.status_code == 302
    made = Licence.objects.get(number="JY8")
    assert (made.business, made.sector.code) == (east, "school_canteen")


def test_edit_conflict_is_refused_and_nothing_is_lost_silently(client, org, world):
    pk, east, _ = world
    client.force_login(org.users.dept)
    lic = Licence.objects.get(pk=pk["valid"])
    data = {"number": lic.number, "kind": "food_business", "uscc": east.uscc, "sector": "catering_small", "issued_on": "2024-01-01",
            "valid_until": "2031-01-01", "version": lic.version}
    assert client.post(f"/licences/{lic.pk}/edit/", data).status_code == 302
    resp = client.post(f"/licences/{lic.pk}/edit/", {**data, "valid_until": "2032-01-01"})  # the page opened at the old version
    assert resp.status_code == 409
    assert "已被他人修改" in resp.content.decode() and "重新载入最新版本" in resp.content.decode()
    lic.refresh_from_db()
    assert lic.valid_until == dt.date(2031, 1, 1) and lic.version == 2


def test_end_action(client, org, world):
    pk, _, _ = world
    client.force_login(org.users.east)
    lic = Licence.objects.get(pk=pk["valid"])
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    resp = client.post(f"/licences/{lic.pk}/end/", {"status": "revoked", "status_date": future, "version": lic.version})
    assert resp.status_code == 400 and "不能晚于今天" in resp.context["end_form"].errors["status_date"][0]
    resp = client.post(f"/licences/{lic.pk}/end/", {"status": "revoked", "status_date": "2025-02-01", "version": lic.version - 1})
    assert resp.status_code == 409
    resp = client.post(f"/licences/{lic.pk}/end/", {"status": "revoked", "status_date": "2025-02-01", "version": lic.version})
    assert resp.status_code == 302
    lic.refresh_from_db()
    assert (lic.status, lic.status_date) == ("revoked", dt.date(2025, 2, 1))
    page = client.get(f"/licences/{lic.pk}/").content.decode()
    assert 'id="end-form"' not in page and "吊销" in page
    resp = client.post(f"/licences/{lic.pk}/end/", {"status": "cancelled", "status_date": "2025-03-01", "version": lic.version})
    assert resp.status_code == 400 and "已于2025-02-01吊销" in resp.content.decode()


def test_leadership_reads_only(client, org, world):
    pk, east, _ = world
    client.force_login(org.users.leader)
    page = client.get("/licences/").content.decode()
    assert len(re.findall(ROW, page)) == 7
    assert "登记许可证" not in page and 'id="import-link"' not in page
    detail = client.get(f"/licences/{pk['valid']}/").content.decode()
    assert 'id="edit-link"' not in detail and 'id="end-form"' not in detail
    assert client.get("/licences/new/").status_code == 403
    assert client.get(f"/licences/{pk['valid']}/edit/").status_code == 403
    resp = client.post(f"/licences/{pk['valid']}/end/", {"status": "cancelled", "status_date": "2025-01-01", "version": 1})
    assert resp.status_code == 403
    assert Licence.objects.get(pk=pk["valid"]).status == "valid"


def test_the_generic_import_page_serves_the_register(client, org):
    client.force_login(org.users.dept)
    page = client.get("/imports/licences/").content.decode()
    assert 'href="/licences/export/"' in page and "许可证编号" in page
    assert 'href="/imports/licences/"' in client.get("/imports/").content.decode()
