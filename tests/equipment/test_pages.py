"""Special-equipment pages: ledger list and filters, Excel export, device page and its forms,
operator page, follow-up tasks, dashboard panels — for each role, with station scoping."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jianguan.core.dashboard import registry
from jianguan.equipment.models import Equipment, Examination, FollowUpTask
from jianguan.equipment.services import equipment_refresh, examination_record

from ..factories import BusinessFactory
from .factories import EquipmentFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def ledger(org):
    """East: a mall's elevator (key unit, overdue) and a factory's boiler (normal); west: a crane (warning)."""
    mall = BusinessFactory(name="东关购物中心有限公司", subdistrict=org.subs["dongguan"], key_unit="mall")
    factory = BusinessFactory(name="解放路机械制造有限公司", subdistrict=org.subs["jiefang"])
    west_op = BusinessFactory(name="西关物流有限公司", subdistrict=org.subs["xiguan"])
    lift = EquipmentFactory(
        reg_code="31103701002020000001", operator=mall, subdistrict=org.subs["dongguan"], address="东关大街1号",
        use_cert_no="梯11鲁A00001(20)", insurance_until=today() + dt.timedelta(days=100),
    )
    examination_record(
        actor=None, equipment=lift, date=today() - dt.timedelta(days=400), conclusion="passed",
        next_due=today() - dt.timedelta(days=35), institution="济南市特种设备检验研究院", report_no="DT2025-000001",
    )
    boiler = EquipmentFactory(
        reg_code="11003701002018000002", type_id="1000", category_id="1200", operator=factory,
        subdistrict=org.subs["jiefang"], next_due=today() + dt.timedelta(days=200),
    )
    crane = EquipmentFactory(
        reg_code="41003701002019000003", type_id="4000", category_id="4100", operator=west_op,
        subdistrict=org.subs["xiguan"], next_due=today() + dt.timedelta(days=10),
    )
    idle = EquipmentFactory(
        reg_code="31103701002015000004", operator=factory, subdistrict=org.subs["jiefang"], status="idle",
        status_date=dt.date(2024, 1, 1),
    )
    equipment_refresh(on=today())
    return {"lift": lift, "boiler": boiler, "crane": crane, "idle": idle, "mall": mall, "factory": factory, "west_op": west_op}


def rows_of(response) -> list[str]:
    return [d.reg_code for d in response.context["page"]["rows"]]


# ---------------------------------------------------------------- list


def test_department_sees_every_station_and_station_only_its_own(client, org, ledger):
    client.force_login(org.users.dept)
    assert rows_of(client.get("/equipment/")) == sorted(d.reg_code for d in ledger.values() if isinstance(d, Equipment))
    client.force_login(org.users.west)
    response = client.get("/equipment/")
    assert rows_of(response) == ["41003701002019000003"]
    assert response.context["total"] == 1
    assert "东关街道" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type": "3000"}, ["31103701002015000004", "31103701002020000001"]),
        ({"category": "1200"}, ["11003701002018000002"]),
        ({"status": "idle"}, ["31103701002015000004"]),
        ({"due_state": "overdue"}, ["31103701002020000001"]),
        ({"due_state": "warning"}, ["41003701002019000003"]),
        ({"subdistrict": "370102002"}, ["11003701002018000002", "31103701002015000004"]),
        ({"station": "S2"}, ["41003701002019000003"]),
        ({"q": "购物"}, ["31103701002020000001"]),
        ({"q": "4100"}, ["41003701002019000003"]),
        ({"key_unit": "1"}, ["31103701002020000001"]),
    ],
)
def test_list_filters(client, org, ledger, params, expected):
    client.force_login(org.users.dept)
    assert rows_of(client.get("/equipment/", params)) == expected


def test_search_by_operator_uscc(client, org, ledger):
    client.force_login(org.users.dept)
    response = client.get("/equipment/", {"q": ledger["factory"].uscc.lower()})
    assert rows_of(response) == ["11003701002018000002", "31103701002015000004"]
    assert response.context["filters"]["operator"] == ledger["factory"].uscc


def test_station_cannot_filter_into_another_station(client, org, ledger):
    client.force_login(org.users.west)
    assert rows_of(client.get("/equipment/", {"station": "S1"})) == []


def test_htmx_returns_rows_and_the_export_link(client, org, ledger):
    client.force_login(org.users.dept)
    response = client.get("/equipment/", {"type": "4000"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "equipment-table" in html and 'id="q"' not in html
    assert 'hx-swap-oob="true"' in html and "/equipment/export/?type=4000" in html
    assert "HX-Request" in response["Vary"]
    full = client.get("/equipment/").content.decode()
    assert 'hx-trigger="input changed delay:300ms, search"' in full and "导出 Excel" in full and "特种设备" in full


def test_list_shows_must_not_use_and_key_unit(client, org, ledger):
    client.force_login(org.users.dept)
    html = client.get("/equipment/", {"q": "购物"}).content.decode()
    assert "超期" in html and "不得使用" in html and "商场、超市" in html


def test_keyset_pages_of_fifty_without_counting_bureau_wide(client, org, django_assert_max_num_queries):
    operator = BusinessFactory(subdistrict=org.subs["dongguan"])
    Equipment.objects.bulk_create([
        Equipment(reg_code=f"3110370100{i:010d}", type_id="3000", operator=operator, subdistrict=org.subs["dongguan"],
                  registered_on=dt.date(2020, 1, 1))
        for i in range(120)
    ])
    client.force_login(org.users.dept)
    first = client.get("/equipment/", **HTMX).context
    assert len(first["page"]["rows"]) == 50 and first["page"]["has_next"] and first["total"] is None
    second = client.get("/equipment/", {"after": first["page"]["last_key"]}, **HTMX).context["page"]
    third = client.get("/equipment/", {"after": second["last_key"]}, **HTMX).context["page"]
    assert len(third["rows"]) == 20 and not third["has_next"] and third["has_prev"]
    back = client.get("/equipment/", {"before": second["first_key"]}, **HTMX).context["page"]
    assert [d.pk for d in back["rows"]] == [d.pk for d in first["page"]["rows"]]
    with django_assert_max_num_queries(6) as ctx:
        client.get("/equipment/", **HTMX)
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


# ---------------------------------------------------------------- export


def test_export_of_the_filtered_list(client, org, ledger):
    client.force_login(org.users.dept)
    response = client.get("/equipment/export/", {"type": "3000"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("设备注册代码", "设备种类", "设备类别") and "下次检验日期" in rows[0]
    assert [r[0] for r in rows[1:]] == ["31103701002015000004", "31103701002020000001"]
    lift = dict(zip(rows[0], rows[2], strict=True))
    assert lift["使用单位统一社会信用代码"] == ledger["mall"].uscc
    assert lift["设备状态"] == "在用" and lift["检验结论"] == "合格"
    assert lift["下次检验日期"] == (today() - dt.timedelta(days=35)).isoformat()


def test_export_is_scoped(client, org, ledger):
    client.force_login(org.users.west)
    response = client.get("/equipment/export/")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["41003701002019000003"]


# ---------------------------------------------------------------- device page


def test_device_page_with_history_state_and_timeline(client, org, ledger):
    client.force_login(org.users.dept)
    response = client.get(f"/equipment/{ledger['lift'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "31103701002020000001" in html and "东关购物中心有限公司" in html and "梯11鲁A00001(20)" in html
    assert 'id="must-not-use"' in html and "不得使用" in html and "超期" in html
    assert "DT2025-000001" in html and "济南市特种设备检验研究院" in html
    assert "定期检验：合格" in html and "录入定期检验" in html and "生成跟进任务" in html
    assert 'id="exam-form"' in html and 'id="status-form"' in html


def test_device_page_apply_by_and_estimated(client, org):
    due = dt.date(2027, 3, 31)
    device = EquipmentFactory(subdistrict=org.subs["dongguan"], next_due=due, next_due_estimated=True)
    client.force_login(org.users.east)
    response = client.get(f"/equipment/{device.pk}/")
    html = response.content.decode()
    assert response.context["due"]["apply_by"] == dt.date(2027, 2, 28)
    assert "（估算）" in html and "2027年2月28日前" in html


def test_device_out_of_scope_is_404(client, org, ledger):
    client.force_login(org.users.west)
    assert client.get(f"/equipment/{ledger['lift'].pk}/").status_code == 404
    assert client.post(f"/equipment/{ledger['lift'].pk}/examinations/", {}).status_code == 404
    assert client.get("/equipment/999999/").status_code == 404


def test_leadership_reads_but_cannot_write(client, org, ledger):
    client.force_login(org.users.leader)
    html = client.get(f"/equipment/{ledger['lift'].pk}/").content.decode()
    assert "不得使用" in html and 'id="exam-form"' not in html and 'id="status-form"' not in html
    response = client.post(
        f"/equipment/{ledger['lift'].pk}/examinations/",
        {"date": today().isoformat(), "conclusion": "passed", "next_due": (today() + dt.timedelta(days=365)).isoformat()},
    )
    assert response.status_code == 403
    assert Examination.objects.filter(equipment=ledger["lift"]).count() == 1


def test_record_an_examination(client, org, ledger):
    client.force_login(org.users.east)
    next_due = today() + dt.timedelta(days=365)
    response = client.post(
        f"/equipment/{ledger['lift'].pk}/examinations/",
        {"date": today().isoformat(), "conclusion": "passed", "next_due": next_due.isoformat(),
         "institution": "济南市特种设备检验研究院", "report_no": "DT2026-000009"},
    )
    assert response.status_code == 302
    lift = Equipment.objects.get(pk=ledger["lift"].pk)
    assert lift.next_due == next_due and lift.last_conclusion == "passed"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "DT2026-000009" in html and 'id="must-not-use"' not in html and "已录入" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "2026-02-30", "conclusion": "passed", "next_due": "2027-01-01"}, "日期无法识别"),
        ({"date": "", "conclusion": "passed", "next_due": "2027-01-01"}, "请填写日期"),
        ({"date": "2026-01-10", "conclusion": "", "next_due": "2027-01-01"}, "请选择检验结论"),
        ({"date": "2026-01-10", "conclusion": "bogus", "next_due": "2027-01-01"}, "检验结论无效"),
        ({"date": "2026-01-10", "conclusion": "passed", "next_due": "2026-01-01"}, "下次检验日期必须晚于检验日期"),
        ({"date": "2026-01-10", "conclusion": "passed", "next_due": ""}, "请填写报告所载的下次检验日期"),
        ({"date": "2099-01-10", "conclusion": "passed", "next_due": "2100-01-01"}, "不能晚于今天"),
    ],
)
def test_bad_examination_input_is_a_chinese_message(client, org, ledger, data, message):
    client.force_login(org.users.dept)
    response = client.post(f"/equipment/{ledger['lift'].pk}/examinations/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Examination.objects.filter(equipment=ledger["lift"]).count() == 1


def test_same_day_examination_twice_is_a_message_not_500(client, org, ledger):
    client.force_login(org.users.dept)
    data = {"date": today().isoformat(), "conclusion": "passed", "next_due": (today() + dt.timedelta(days=365)).isoformat()}
    assert client.post(f"/equipment/{ledger['lift'].pk}/examinations/", data).status_code == 302
    response = client.post(f"/equipment/{ledger['lift'].pk}/examinations/", data)
    assert response.status_code == 400


def test_failed_examination_marks_must_not_use(client, org, ledger):
    client.force_login(org.users.east)
    response = client.post(
        f"/equipment/{ledger['boiler'].pk}/examinations/",
        {"date": today().isoformat(), "conclusion": "failed", "next_due": ""},
    )
    assert response.status_code == 302
    html = client.get(f"/equipment/{ledger['boiler'].pk}/").content.decode()
    assert "不合格停用" in html and 'id="must-not-use"' in html


def test_change_status_then_final(client, org, ledger):
    client.force_login(org.users.east)
    boiler = ledger["boiler"]
    response = client.post(f"/equipment/{boiler.pk}/status/", {"status": "idle", "on": today().isoformat(), "version": boiler.version})
    assert response.status_code == 302
    boiler.refresh_from_db()
    assert boiler.status == "idle" and boiler.status_date == today()
    # A second tab still holding the old version is told, not overwritten.
    stale = client.post(f"/equipment/{boiler.pk}/status/", {"status": "scrapped", "on": today().isoformat(), "version": 1})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    client.post(f"/equipment/{boiler.pk}/status/", {"status": "scrapped", "on": today().isoformat(), "version": boiler.version})
    boiler.refresh_from_db()
    assert boiler.status == "scrapped"
    html = client.get(f"/equipment/{boiler.pk}/").content.decode()
    assert "最终状态" in html and f'action="/equipment/{boiler.pk}/status/"' not in html
    refused = client.post(f"/equipment/{boiler.pk}/status/", {"status": "in_use", "on": today().isoformat(), "version": boiler.version})
    assert refused.status_code == 400 and "该状态变更不允许" in refused.content.decode()
    timeline = client.get(f"/equipment/{boiler.pk}/").content.decode()
    assert "设备状态" in timeline and "报废" in timeline


def test_bad_status_input(client, org, ledger):
    client.force_login(org.users.dept)
    response = client.post(f"/equipment/{ledger['crane'].pk}/status/", {"status": "idle", "on": "昨天", "version": 1})
    assert response.status_code == 400 and "日期无法识别" in response.content.decode()


# ---------------------------------------------------------------- operator page


def test_operator_page_lists_devices_and_key_unit(client, org, ledger):
    client.force_login(org.users.dept)
    html = client.get(f"/equipment/operators/{ledger['factory'].pk}/").content.decode()
    assert "11003701002018000002" in html and "31103701002015000004" in html and "31103701002020000001" not in html
    assert "停用" in html
    html = client.get(f"/equipment/operators/{ledger['mall'].pk}/").content.decode()
    assert 'id="key-unit"' in html and "商场、超市" in html and "不得使用" in html


def test_operator_page_is_scoped(client, org, ledger):
    client.force_login(org.users.west)
    assert client.get(f"/equipment/operators/{ledger['mall'].pk}/").status_code == 404
    assert client.get(f"/equipment/operators/{ledger['west_op'].pk}/").status_code == 200
    assert client.get("/equipment/operators/999999/").status_code == 404


def test_business_page_links_to_its_equipment(client, org, ledger):
    client.force_login(org.users.dept)
    html = client.get(f"/businesses/{ledger['mall'].pk}/").content.decode()
    assert f"/equipment/operators/{ledger['mall'].pk}/" in html


# ---------------------------------------------------------------- tasks


def test_tasks_per_station_and_complete(client, org, ledger):
    task = FollowUpTask.objects.get()
    assert task.station == org.east
    client.force_login(org.users.west)
    assert client.get("/equipment/tasks/").context["rows"] == []
    assert client.post(f"/equipment/tasks/{task.pk}/complete/", {"note": "已核查"}).status_code == 404
    client.force_login(org.users.dept)
    assert [t.pk for t in client.get("/equipment/tasks/", {"station": "S1"}).context["rows"]] == [task.pk]
    assert client.get("/equipment/tasks/", {"station": "S2"}).context["rows"] == []
    client.force_login(org.users.east)
    page = client.get("/equipment/tasks/")
    assert [t.pk for t in page.context["rows"]] == [task.pk] and "确认办结" in page.content.decode()
    response = client.post(f"/equipment/tasks/{task.pk}/complete/", {"note": "  ", "next": "/equipment/tasks/"})
    assert response.status_code == 302
    assert "请填写办理情况" in client.get("/equipment/tasks/").content.decode()
    assert FollowUpTask.objects.get().status == "open"
    client.post(f"/equipment/tasks/{task.pk}/complete/", {"note": "已督促使用单位申报检验", "next": "https://evil.example/"})
    task.refresh_from_db()
    assert task.status == "done" and task.note == "已督促使用单位申报检验"
    done = client.get("/equipment/tasks/", {"status": "done"})
    assert [t.pk for t in done.context["rows"]] == [task.pk] and "已督促使用单位申报检验" in done.content.decode()
    again = client.post(f"/equipment/tasks/{task.pk}/complete/", {"note": "再次办结"}, follow=True)
    assert "该任务已办结" in again.content.decode()


def test_leadership_sees_tasks_read_only(client, org, ledger):
    task = FollowUpTask.objects.get()
    client.force_login(org.users.leader)
    page = client.get("/equipment/tasks/")
    assert [t.pk for t in page.context["rows"]] == [task.pk] and "确认办结" not in page.content.decode()
    assert client.post(f"/equipment/tasks/{task.pk}/complete/", {"note": "x"}).status_code == 403


# ---------------------------------------------------------------- dashboard and navigation


def test_dashboard_panels(org, ledger):
    by_type = registry.get("equipment.in_use_by_type").data(org.users.dept)
    assert by_type["type"] == "bar"
    assert by_type["categories"] == ["锅炉", "电梯", "起重机械"]
    series = {s["name"]: s["data"] for s in by_type["series"]}
    assert series["正常"] == [1, 0, 0] and series["预警"] == [0, 0, 1] and series["超期"] == [0, 1, 0]
    assert series["不合格停用"] == [0, 0, 0]
    pie = registry.get("equipment.due_states").data(org.users.west)
    assert dict(zip(pie["categories"], pie["series"][0]["data"], strict=True)) == {"正常": 0, "预警": 1, "超期": 0, "不合格停用": 0}
    assert pie["links"][2].startswith("/equipment/?status=in_use&due_state=overdue")


def test_dashboard_panels_on_the_home_page(client, org, ledger):
    client.force_login(org.users.east)
    html = client.get("/").content.decode()
    assert 'data-panel="equipment.in_use_by_type"' in html and 'data-panel="equipment.due_states"' in html


def test_navigation_entry(client, org):
    client.force_login(org.users.east)
    html = client.get("/equipment/").content.decode()
    assert '<a href="/equipment/" class="active">特种设备</a>' in html
