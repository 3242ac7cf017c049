import json

import pytest

from jianguan.inspections.choices import FindingStatus

from .factories import inspection_with_finding

pytestmark = pytest.mark.django_db


def test_findings_api_is_scoped_and_takes_a_report_with_its_version(org, client):
    _, finding, inspectors = inspection_with_finding(org)
    client.force_login(org.users.west)
    assert client.get("/api/v1/inspections/findings").json()["count"] == 0
    client.force_login(inspectors[0])
    listed = client.get("/api/v1/inspections/findings").json()
    assert [f["id"] for f in listed["items"]] == [finding.pk]
    body = {"version": finding.version, "submitted_on": "2026-09-05", "text": "已更换灭火器"}
    answer = client.post(f"/api/v1/inspections/findings/{finding.pk}/reports", json.dumps(body), content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == FindingStatus.REPORTED and answer.json()["recheck_due"] == "2026-09-18"
    stale = client.post(f"/api/v1/inspections/findings/{finding.pk}/reports", json.dumps(body), content_type="application/json")
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["message"]
    assert client.get(f"/api/v1/inspections/{finding.inspection_id}").json()["number"].startswith("JC2026")
