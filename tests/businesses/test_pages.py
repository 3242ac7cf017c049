"""Business pages: list, htmx search, keyset pages, detail timeline, create and edit forms."""

import datetime as dt

import pytest

from jianguan.businesses import services
from jianguan.businesses.models import Business
from jianguan.licences.models import Licence, LicenceKind

from ..factories import BusinessFactory, make_uscc

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def shops(org):
    return {
        "east_market": BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"], entity_type="individual"),
        "east_shop": BusinessFactory(name="解放路五金商店", subdistrict=org.subs["jiefang"]),
        "west_market": BusinessFactory(name="西关惠民超市", subdistrict=org.subs["xiguan"]),
        "west_coop": BusinessFactory(
            name="泉城蔬菜种植专业合作社", subdistrict=org.subs["jinan"], entity_type="cooperative"
        ),
    }


def _form_data(org, **overrides):
    data = {
        "uscc": make_uscc(),
        "name": "东关新开超市有限公司",
        "entity_type": "enterprise",
        "legal_rep": "李四",
        "address": "东关大街8号",
        "subdistrict": org.subs["dongguan"].pk,
        "industry_code": "F5211",
        "established_on": "2024-03-01",
        "reg_status": "active",
        "status_date": "",
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------- list


def test_list_searches_two_character_chinese_fragment(client, org, shops):
    client.force_login(org.users.dept)
    page = client.get("/businesses/", {"q": "超市"}).content.decode()
    assert "东关便民超市" in page and "西关惠民超市" in page
    assert "五金" not in page


def test_list_searches_by_uscc(client, org, shops):
    client.force_login(org.users.dept)
    target = shops["east_shop"]
    page = client.get("/businesses/", {"q": target.uscc.lower()}).content.decode()
    assert "解放路五金商店" in page and "超市" not in page.split('id="results"')[1]


def test_list_filters(client, org, shops):
    client.force_login(org.users.dept)
    page = client.get("/businesses/", {"entity_type": "cooperative"}).content.decode()
    assert "泉城蔬菜" in page and "便民超市" not in page
    page = client.get("/businesses/", {"subdistrict": "370102002"}).content.decode()
    assert "五金商店" in page and "便民超市" not in page
    page = client.get("/businesses/", {"station": "S2"}).content.decode()
    assert "惠民超市" in page and "泉城蔬菜" in page and "便民超市" not in page


def test_list_filter_choices_are_limited_to_scope(client, org, shops):
    client.force_login(org.users.east)
    page = client.get("/businesses/").content.decode()
    assert "东关街道" in page and "西关街道" not in page
    # Asking for another station's rows through the filter gives nothing, never their data.
    page = client.get("/businesses/", {"station": "S2"}).content.decode()
    assert "惠民超市" not in page and "泉城蔬菜" not in page


def test_htmx_request_returns_only_rows(client, org, shops):
    client.force_login(org.users.dept)
    full = client.get("/businesses/", {"q": "超市"}).content.decode()
    assert "<html" in full and 'id="q"' in full
    resp = client.get("/businesses/", {"q": "超市"}, **HTMX)
    part = resp.content.decode()
    assert resp.status_code == 200
    assert "<html" not in part and 'id="q"' not in part
    assert "东关便民超市" in part and "business-table" in part
    assert "HX-Request" in resp["Vary"]


def test_search_field_is_wired_for_htmx_and_ime(client, org):
    client.force_login(org.users.dept)
    page = client.get("/businesses/").content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'hx-target="#results"' in page and 'hx-push-url="true"' in page


def test_keyset_pages_of_fifty(client, org):
    BusinessFactory.create_batch(120, subdistrict=org.subs["dongguan"])
    client.force_login(org.users.east)
    first = client.get("/businesses/", **HTMX).context["page"]
    assert len(first["rows"]) == 50 and first["has_next"] and not first["has_prev"]
    second = client.get("/businesses/", {"after": first["last_key"]}, **HTMX).context["page"]
    assert len(second["rows"]) == 50 and second["has_prev"]
    assert second["rows"][0].uscc > first["rows"][-1].uscc
    third = client.get("/businesses/", {"after": second["last_key"]}, **HTMX).context["page"]
    assert len(third["rows"]) == 20 and not third["has_next"]
    back = client.get("/businesses/", {"before": second["first_key"]}, **HTMX).context["page"]
    assert [b.pk for b in back["rows"]] == [b.pk for b in first["rows"]]
    assert not back["has_prev"]
    html = client.get("/businesses/", {"after": first["last_key"]}).content.decode()
    assert "上一页" in html and "下一页" in html and f"after={second['last_key']}" in html


def test_list_does_not_count_rows(client, org, shops, django_assert_max_num_queries):
    client.force_login(org.users.dept)
    # 7: session, user, the page's rows, and the flags of those rows in one query (jianguan.core.flags).
    with django_assert_max_num_queries(7) as ctx:
        client.get("/businesses/", {"q": "超市"}, **HTMX)
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


def test_bad_filter_values_never_fail(client, org, shops):
    client.force_login(org.users.dept)
    resp = client.get("/businesses/", {"entity_type": "nonsense", "after": "'; drop", "q": "%_"})
    assert resp.status_code == 200


# ---------------------------------------------------------------- detail


def test_detail_shows_fields_the_licence_panel_and_edit_in_timeline(client, org, shops):
    business = shops["east_market"]
    Licence.objects.create(kind=LicenceKind.objects.get(code="food_business"), number="JY13701020001", business=business,
                           issued_on=dt.date(2023, 1, 1))
    services.business_update(actor=org.users.east, pk=business.pk, version=business.version, name="东关惠家超市")
    client.force_login(org.users.east)
    page = client.get(f"/businesses/{business.pk}/").content.decode()
    assert "统一社会信用代码" in page and business.uscc in page
    assert "食品经营许可证" in page and "JY13701020001" in page
    assert "成立" in page and "2020-01-01" in page
    assert "修改信息" in page and "东关便民超市" in page and "东关惠家超市" in page
    assert str(org.users.east) in page


def test_detail_outside_scope_is_404(client, org, shops):
    client.force_login(org.users.east)
    assert client.get(f"/businesses/{shops['west_market'].pk}/").status_code == 404
    assert client.get("/businesses/999999/").status_code == 404


# ---------------------------------------------------------------- create and edit


def test_create_business(client, org):
    client.force_login(org.users.east)
    data = _form_data(org, uscc=make_uscc().lower())
    resp = client.post("/businesses/new/", data)
    business = Business.objects.get(uscc=data["uscc"].upper())
    assert resp.status_code == 302 and resp["Location"] == f"/businesses/{business.pk}/"
    assert business.name == "东关新开超市有限公司" and business.version == 1


def test_create_with_bad_uscc_shows_chinese_message(client, org):
    client.force_login(org.users.east)
    good = make_uscc()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    resp = client.post("/businesses/new/", _form_data(org, uscc=bad))
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "校验位错误" in page and 'class="row required has-error"' in page
    resp = client.post("/businesses/new/", _form_data(org, uscc="123"))
    assert resp.status_code == 200 and "应为18位" in resp.content.decode()
    assert not Business.objects.exists()


def test_create_duplicate_uscc(client, org, shops):
    client.force_login(org.users.east)
    resp = client.post("/businesses/new/", _form_data(org, uscc=shops["east_market"].uscc))
    assert resp.status_code == 200 and "已登记" in resp.content.decode()


def test_create_bad_input_is_never_a_500(client, org):
    client.force_login(org.users.east)
    resp = client.post(
        "/businesses/new/",
        _form_data(org, established_on="不是日期", entity_type="x", subdistrict=org.subs["xiguan"].pk),
    )
    assert resp.status_code == 200
    page = resp.content.decode()
    assert "有效的日期" in page or "日期" in page
    assert "选择一个有效的选项" in page  # another station's subdistrict is not offered


def test_status_other_than_active_needs_a_date(client, org):
    client.force_login(org.users.east)
    resp = client.post("/businesses/new/", _form_data(org, reg_status="deregistered"))
    assert resp.status_code == 200 and "必须填写状态日期" in resp.content.decode()


def test_edit_business(client, org, shops):
    business = shops["east_market"]
    client.force_login(org.users.east)
    form = client.get(f"/businesses/{business.pk}/edit/")
    assert form.status_code == 200 and 'name="version"' in form.content.decode()
    data = _form_data(org, name="东关便民超市（改）", version=business.version)
    data.pop("uscc")
    resp = client.post(f"/businesses/{business.pk}/edit/", data)
    assert resp.status_code == 302
    business.refresh_from_db()
    assert business.name == "东关便民超市（改）" and business.version == 2


def test_edit_with_stale_version_shows_concurrent_edit(client, org, shops):
    business = shops["east_market"]
    services.business_update(actor=org.users.dept, pk=business.pk, version=1, address="他人修改的地址")
    client.force_login(org.users.east)
    data = _form_data(org, name="我的修改", version=1)
    data.pop("uscc")
    resp = client.post(f"/businesses/{business.pk}/edit/", data)
    assert resp.status_code == 200
    assert "该记录已被他人修改" in resp.content.decode()
    business.refresh_from_db()
    assert business.name == "东关便民超市" and business.address == "他人修改的地址"


def test_edit_outside_scope_is_404(client, org, shops):
    client.force_login(org.users.east)
    assert client.get(f"/businesses/{shops['west_market'].pk}/edit/").status_code == 404


def test_leadership_cannot_edit(client, org, shops):
    business = shops["east_market"]
    client.force_login(org.users.leader)
    assert "登记市场主体" not in client.get("/businesses/").content.decode()
    detail = client.get(f"/businesses/{business.pk}/").content.decode()
    assert f"/businesses/{business.pk}/edit/" not in detail
    assert client.get(f"/businesses/{business.pk}/edit/").status_code == 403
    data = _form_data(org, name="领导改名", version=business.version)
    assert client.post(f"/businesses/{business.pk}/edit/", data).status_code == 403
    assert client.post("/businesses/new/", _form_data(org)).status_code == 403
    business.refresh_from_db()
    assert business.name == "东关便民超市"
