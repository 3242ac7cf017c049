"""信用风险分类 of a business: the ledger's optional columns, the edit form, the service, the API, the list."""

import datetime as dt

import openpyxl
import pytest
from auditlog.models import LogEntry

from jianguan.businesses import services
from jianguan.businesses.models import Business
from jianguan.businesses.resources import BUSINESS_LEDGER, HEADERS
from jianguan.core.errors import DomainError
from jianguan.core.importing import run_export, run_import
from jianguan.core.models import ImportBatch

from ..factories import BusinessFactory, make_uscc

pytestmark = pytest.mark.django_db

# The ledger as it was before 信用风险分类: files in this layout must keep importing unchanged.
OLD_HEADERS = HEADERS[: HEADERS.index("信用风险分类")]
CLASS_HEADERS = (*OLD_HEADERS, "信用风险分类")


def base(uscc=None, name="历下区示例商贸有限公司", street="东关街道"):
    return [uscc or make_uscc(), name, "企业", "张三", "示例路1号", street, "F5211", "2020-01-02", "", ""]


def existing_row(business: Business, name=None):
    """The row an export writes for business, in the old layout."""
    return [
        business.uscc,
        name or business.name,
        "企业",
        business.legal_rep,
        business.address,
        business.subdistrict.name,
        business.industry_code,
        business.established_on.isoformat(),
        "存续",
        "",
    ]


def write_xlsx(path, rows, headers):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def classes():
    return dict(Business.objects.values_list("uscc", "credit_risk_class"))


def state():
    return sorted(
        Business.objects.values_list("uscc", "name", "credit_risk_class", "credit_risk_class_on", "version")
    )


@pytest.fixture
def classified(org):
    """Three businesses already classified C (with a date), A, and 未分类."""
    return [
        BusinessFactory(
            subdistrict=org.subs["dongguan"], credit_risk_class="C", credit_risk_class_on=dt.date(2026, 3, 1)
        ),
        BusinessFactory(subdistrict=org.subs["jiefang"], credit_risk_class="A"),
        BusinessFactory(subdistrict=org.subs["xiguan"]),
    ]


# ---------------------------------------------------------------- import


def test_column_is_optional_and_after_the_existing_ones():
    assert OLD_HEADERS == (
        "统一社会信用代码", "名称", "主体类型", "法定代表人", "住所",
        "所属街道", "行业代码", "成立日期", "登记状态", "状态日期",
    )  # fmt: skip
    assert HEADERS[-2:] == ("信用风险分类", "分类日期")
    assert not BUSINESS_LEDGER.column_for("credit_risk_class").required
    assert not BUSINESS_LEDGER.column_for("credit_risk_class_on").required


def test_import_with_the_column_sets_classes(org, tmp_path):
    values = ["A", "B类", "C类（较高风险）", "d", "A类(低风险)", "", "未分类"]
    rows = [[*base(), v] for v in values]
    result = run_import(BUSINESS_LEDGER, write_xlsx(tmp_path / "b.xlsx", rows, CLASS_HEADERS))
    assert result.accepted, result.errors
    assert result.created == len(values)
    by_row = dict(zip((r[0] for r in rows), values, strict=True))
    stored = classes()
    assert {v: stored[u] for u, v in by_row.items()} == {
        "A": "A", "B类": "B", "C类（较高风险）": "C", "d": "D", "A类(低风险)": "A", "": "", "未分类": "",
    }  # fmt: skip
    assert not Business.objects.exclude(credit_risk_class_on=None).exists()


def test_import_updates_classes_and_dates(org, classified, tmp_path):
    c, a, none = classified
    rows = [
        [*existing_row(c), "D", "2026-05-06"],
        [*existing_row(a), "A", ""],
        [*existing_row(none), "B类", "2026年5月7日"],
    ]
    result = run_import(BUSINESS_LEDGER, write_xlsx(tmp_path / "b.xlsx", rows, HEADERS), actor=org.users.dept)
    assert result.accepted, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    got = {b.uscc: (b.credit_risk_class, b.credit_risk_class_on) for b in Business.objects.all()}
    assert got == {
        c.uscc: ("D", dt.date(2026, 5, 6)),
        a.uscc: ("A", None),
        none.uscc: ("B", dt.date(2026, 5, 7)),
    }
    changes = {u["key"]: u for u in ImportBatch.objects.get().changes["updated"]}
    assert changes[c.uscc]["before"] == {"credit_risk_class": "C", "credit_risk_class_on": "2026-03-01"}
    assert changes[c.uscc]["after"] == {"credit_risk_class": "D", "credit_risk_class_on": "2026-05-06"}


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_bad_value_rejects_the_whole_file(org, classified, tmp_path, fmt):
    c = classified[0]
    before = state()
    rows = [[*existing_row(c, name="改过的名称"), "A"], [*base(), "B"], [*base(), "E类"], [*base(), "高风险"]]
    path = tmp_path / f"b.{fmt}"
    if fmt == "xlsx":
        write_xlsx(path, rows, CLASS_HEADERS)
    else:
        lines = [",".join(CLASS_HEADERS)] + [",".join(r) for r in rows]
        path.write_text("\n".join(lines) + "\n", encoding="gbk")
    result = run_import(BUSINESS_LEDGER, path)
    assert not result.accepted
    assert [(e.row, e.column) for e in result.errors] == [(4, "信用风险分类"), (5, "信用风险分类")]
    message = str(result.errors[0])
    assert message.startswith("第 4 行【信用风险分类】：信用风险分类“E类”不在可选值内")
    for allowed in ("A、B、C、D", "A类（低风险）", "D类（高风险）", "空白为未分类"):
        assert allowed in message
    assert state() == before
    assert not ImportBatch.objects.exists()


def test_file_without_the_column_leaves_classes_unchanged(org, classified, tmp_path):
    c, a, none = classified
    old_name = c.name
    rows = [existing_row(c, name="新名称"), existing_row(a), existing_row(none), base()]
    result = run_import(BUSINESS_LEDGER, write_xlsx(tmp_path / "old.xlsx", rows, OLD_HEADERS))
    assert result.accepted, result.errors
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    c.refresh_from_db()
    assert (c.name, c.credit_risk_class, c.credit_risk_class_on) == ("新名称", "C", dt.date(2026, 3, 1))
    assert classes() == {c.uscc: "C", a.uscc: "A", none.uscc: "", rows[3][0]: ""}
    changes = ImportBatch.objects.get().changes["updated"]
    assert changes == [{"key": c.uscc, "before": {"name": old_name}, "after": {"name": "新名称"}}]


def test_new_class_without_date_column_drops_the_old_date(org, classified, tmp_path):
    c, a, _ = classified
    same = BusinessFactory(
        subdistrict=org.subs["dongguan"], credit_risk_class="B", credit_risk_class_on=dt.date(2025, 1, 2)
    )
    rows = [[*existing_row(c), "A"], [*existing_row(same), "B"], [*existing_row(a), ""]]
    result = run_import(BUSINESS_LEDGER, write_xlsx(tmp_path / "b.xlsx", rows, CLASS_HEADERS))
    assert result.accepted, result.errors
    got = {b.uscc: (b.credit_risk_class, b.credit_risk_class_on) for b in Business.objects.all()}
    assert got[c.uscc] == ("A", None)  # 2026-03-01 was the date of class C
    assert got[same.uscc] == ("B", dt.date(2025, 1, 2))
    assert got[a.uscc] == ("", None)  # an empty cell is 未分类


def test_date_without_class_is_an_error(org, classified, tmp_path):
    none = classified[2]
    rows = [[*existing_row(none), "", "2026-05-01"], [*base(), "C", "2026-05-01"]]
    result = run_import(BUSINESS_LEDGER, write_xlsx(tmp_path / "b.xlsx", rows, HEADERS))
    assert [(e.row, e.column) for e in result.errors] == [(2, "分类日期")]
    assert "未分类时不能填写分类日期" in result.errors[0].reason
    only_date = (*OLD_HEADERS, "分类日期")
    result = run_import(
        BUSINESS_LEDGER, write_xlsx(tmp_path / "d.xlsx", [[*existing_row(none), "2026-05-01"]], only_date)
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "分类日期")]
    assert Business.objects.count() == 3


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_export_writes_the_letter_and_round_trips(org, classified, tmp_path, suffix):
    path = tmp_path / f"out.{suffix}"
    assert run_export(BUSINESS_LEDGER, path) == 3
    if suffix == "xlsx":
        rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    else:
        import csv

        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    assert list(rows[0]) == list(HEADERS)
    exported = {r[0]: (r[-2] or "", r[-1] or "") for r in rows[1:]}
    c, a, none = classified
    assert exported == {c.uscc: ("C", "2026-03-01"), a.uscc: ("A", ""), none.uscc: ("", "")}
    before = state()
    result = run_import(BUSINESS_LEDGER, path)
    assert result.accepted, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert state() == before


# ---------------------------------------------------------------- edit form, service, API, list


def _edit_data(business, **over):
    data = {
        "name": business.name,
        "entity_type": business.entity_type,
        "legal_rep": business.legal_rep,
        "address": business.address,
        "subdistrict": business.subdistrict_id,
        "industry_code": business.industry_code,
        "established_on": business.established_on.isoformat(),
        "reg_status": business.reg_status,
        "status_date": "",
        "credit_risk_class": business.credit_risk_class,
        "credit_risk_class_on": "",
        "version": business.version,
    }
    data.update(over)
    return data


def test_edit_form_sets_the_class_through_the_audited_service(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    client.force_login(org.users.east)
    form = client.get(f"/businesses/{business.pk}/edit/").content.decode()
    assert 'name="credit_risk_class"' in form and "C类（较高风险）" in form and "未分类" in form
    resp = client.post(
        f"/businesses/{business.pk}/edit/",
        _edit_data(business, credit_risk_class="C", credit_risk_class_on="2026-05-06"),
        REMOTE_ADDR="10.0.0.9",
    )
    assert resp.status_code == 302, resp.content.decode()
    business.refresh_from_db()
    assert (business.credit_risk_class, business.credit_risk_class_on, business.version) == (
        "C",
        dt.date(2026, 5, 6),
        2,
    )
    entry = LogEntry.objects.get_for_object(business).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == org.users.east
    assert entry.changes_dict["credit_risk_class"] == ["", "C"]
    assert entry.changes_dict["credit_risk_class_on"] == ["None", "2026-05-06"]
    detail = client.get(f"/businesses/{business.pk}/").content.decode()
    assert "C类（较高风险）" in detail and "2026年5月6日" in detail


def test_edit_form_refuses_a_date_without_a_class(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    client.force_login(org.users.east)
    resp = client.post(
        f"/businesses/{business.pk}/edit/", _edit_data(business, credit_risk_class_on="2026-05-06")
    )
    assert resp.status_code == 200 and "未分类时不能填写分类日期" in resp.content.decode()
    resp = client.post(f"/businesses/{business.pk}/edit/", _edit_data(business, credit_risk_class="E"))
    assert resp.status_code == 200 and "选择一个有效的选项" in resp.content.decode()
    business.refresh_from_db()
    assert (business.credit_risk_class, business.version) == ("", 1)


def test_detail_shows_unclassified(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    client.force_login(org.users.east)
    page = client.get(f"/businesses/{business.pk}/").content.decode()
    assert "<dt>信用风险分类</dt><dd>未分类</dd>" in page


def test_service_drops_the_date_of_a_replaced_class_and_guards_the_rule(org):
    business = BusinessFactory(
        subdistrict=org.subs["dongguan"], credit_risk_class="C", credit_risk_class_on=dt.date(2026, 3, 1)
    )
    business = services.business_update(actor=org.users.dept, pk=business.pk, version=1, address="新地址")
    assert (business.credit_risk_class, business.credit_risk_class_on) == ("C", dt.date(2026, 3, 1))
    business = services.business_update(
        actor=org.users.dept, pk=business.pk, version=2, credit_risk_class="D"
    )
    assert (business.credit_risk_class, business.credit_risk_class_on) == ("D", None)
    with pytest.raises(DomainError, match="未分类时不能填写分类日期"):
        services.business_update(
            actor=org.users.dept,
            pk=business.pk,
            version=3,
            credit_risk_class="",
            credit_risk_class_on=dt.date(2026, 1, 1),
        )
    with pytest.raises(DomainError):
        services.business_update(actor=org.users.dept, pk=business.pk, version=3, credit_risk_class="E")
    business.refresh_from_db()
    assert (business.credit_risk_class, business.version) == ("D", 3)


def test_api_exposes_and_patches_the_class(client, org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    client.force_login(org.users.dept)
    got = client.get(f"/api/v1/businesses/{business.uscc}").json()
    assert (got["credit_risk_class"], got["credit_risk_class_label"], got["credit_risk_class_on"]) == (
        "",
        "未分类",
        None,
    )
    url = f"/api/v1/businesses/{business.uscc}"
    patched = client.patch(
        url,
        {"version": 1, "credit_risk_class": "B", "credit_risk_class_on": "2026-05-06"},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    body = patched.json()
    assert (body["credit_risk_class"], body["credit_risk_class_label"], body["credit_risk_class_on"]) == (
        "B",
        "B类（一般风险）",
        "2026-05-06",
    )
    bad = client.patch(url, {"version": 2, "credit_risk_class": "E"}, content_type="application/json")
    assert bad.status_code == 422
    cleared = client.patch(
        url, {"version": 2, "credit_risk_class": ""}, content_type="application/json"
    ).json()
    assert (cleared["credit_risk_class"], cleared["credit_risk_class_on"]) == ("", None)
    filtered = client.get("/api/v1/businesses/", {"credit_risk_class": "-"}).json()
    assert [b["uscc"] for b in filtered["items"]] == [business.uscc]


def test_list_filters_by_class(client, org, classified):
    c, a, none = classified
    client.force_login(org.users.dept)
    page = client.get("/businesses/").content.decode()
    assert 'name="credit_risk_class"' in page and '<option value="-">未分类</option>' in page
    for value, expected in (("C", c), ("A", a), ("-", none)):
        rows = client.get(
            "/businesses/", {"credit_risk_class": value}, HTTP_HX_REQUEST="true"
        ).content.decode()
        others = [b for b in classified if b != expected]
        assert expected.name in rows and not any(b.name in rows for b in others), value
    assert client.get("/businesses/", {"credit_risk_class": "nonsense"}).status_code == 200
