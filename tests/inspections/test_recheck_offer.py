"""The re-check form offers only people who may re-check (never whoever registered the rectification
report) and shows what went wrong at the top of the form."""

import datetime as dt
import re

import pytest

from jianguan.inspections.choices import FindingStatus
from jianguan.inspections.services.findings import finding_report

from .factories import inspection_with_finding, team

pytestmark = pytest.mark.django_db


def recheck_form(page: str) -> str:
    match = re.search(r'<form[^>]*id="recheck-form".*?</form>', page, re.S)
    return match.group(0) if match else ""


@pytest.fixture
def reported(org):
    _, finding, (a, b) = inspection_with_finding(org)
    finding_report(actor=a, pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 9, 10), text="已更换灭火器")
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED
    return finding, a, b


def test_whoever_registered_the_report_is_told_before_filling_anything(client, reported):
    finding, a, _ = reported
    client.force_login(a)
    page = client.get(f"/inspections/findings/{finding.pk}/").content.decode()
    assert recheck_form(page) == ""
    assert "整改报告由您登记" in page and "复查须由其他执法人员进行" in page


def test_the_inspector_list_leaves_out_the_report_registrar(client, reported):
    finding, a, b = reported
    c, d = team(finding.subdistrict.station)
    client.force_login(c)
    form = recheck_form(client.get(f"/inspections/findings/{finding.pk}/").content.decode())
    assert form
    offered = set(map(int, re.findall(r'name="inspectors" value="(\d+)"', form)))
    assert a.pk not in offered
    assert {b.pk, c.pk, d.pk} <= offered


def test_posting_the_registrar_anyway_is_refused_with_a_clear_message(client, reported):
    finding, a, b = reported
    client.force_login(b)
    response = client.post(f"/inspections/findings/{finding.pk}/recheck/", {
        "version": finding.version, "date": "2026-09-11", "passed": "1", "inspectors": [a.pk, b.pk],
    })
    assert response.status_code == 400
    assert "整改报告登记人不能参加复查" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPORTED


def test_errors_are_listed_at_the_top_of_the_form(client, reported):
    finding, _, b = reported
    c = team(finding.subdistrict.station, size=1)[0]
    client.force_login(b)
    response = client.post(f"/inspections/findings/{finding.pk}/recheck/", {
        "version": finding.version, "date": "2026-09-11", "inspectors": [b.pk, c.pk],
    })
    assert response.status_code == 400
    form = recheck_form(response.content.decode())
    summary = form.find('class="alert error"')
    first_row = form.find('class="row')
    assert 0 <= summary < first_row
    assert "复查结论" in form[summary:first_row] and "请选择复查结论" in form[summary:first_row]
    # The page opens at the form, not at its top.
    assert re.search(r'action="/inspections/findings/\d+/recheck/#recheck"', form)
