"""Departments maintain checklists on the web: a new one, then a new version that leaves running inspections alone."""

import pytest

from jianguan.inspections.models import Checklist

pytestmark = pytest.mark.django_db


def test_new_checklist_and_revision(org, client):
    client.force_login(org.users.dept)
    assert client.get("/inspections/checklists/").status_code == 200
    bad = client.post("/inspections/checklists/new/", {"code": "boiler", "name": "锅炉使用单位检查表", "items": "登记 | 特种设备安全法第三十三条 | 严重\n | 依据"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "第1行第三段应为“重大”或留空，收到“严重”" in text and "第2行的检查要点为空" in text
    assert not Checklist.objects.filter(code="boiler").exists()
    ok = client.post("/inspections/checklists/new/", {
        "code": "boiler", "name": "锅炉使用单位检查表", "applies_to": "锅炉使用单位",
        "items": "锅炉已办理使用登记 | 特种设备安全法第三十三条 | 重大\n\n司炉人员持证上岗",
    })
    assert ok.status_code == 302
    first = Checklist.objects.get(code="boiler")
    assert [(i.order, i.point, i.serious) for i in first.items.all()] == [(1, "锅炉已办理使用登记", True), (2, "司炉人员持证上岗", False)]
    form = client.get("/inspections/checklists/boiler/revise/").content.decode()
    assert "锅炉已办理使用登记 | 特种设备安全法第三十三条 | 重大" in form
    client.post("/inspections/checklists/boiler/revise/", {"name": "锅炉使用单位检查表", "items": "锅炉已办理使用登记\n水质处理符合要求 |  | 重大"})
    versions = list(Checklist.objects.filter(code="boiler").order_by("version"))
    assert [c.version for c in versions] == [1, 2] and versions[0].disabled_on is not None
    assert versions[0].items.count() == 2 and versions[1].items.get(order=2).serious
    page = client.get("/inspections/checklists/boiler/").content.decode()
    assert "第2版" in page and "第1版" in page


def test_station_staff_cannot_change_checklists(org, client):
    client.force_login(org.users.east)
    answer = client.post("/inspections/checklists/new/", {"code": "x", "name": "x", "items": "要点"})
    assert answer.status_code == 400 and "业务科室或系统管理员" in answer.content.decode()
    assert not Checklist.objects.filter(code="x").exists()
