"""Snapshots: saved with their author, reproduced by hash, compared side by side (同比, 环比)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from jianguan.core.periods import Params
from jianguan.reports import services
from jianguan.reports.compare import compare_values, summary
from jianguan.reports.engine import build_report
from jianguan.reports.models import ReportSnapshot
from jianguan.reports.views import reproduce

from ..factories import BusinessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(org):
    BusinessFactory.create_batch(4, subdistrict=org.subs["dongguan"], entity_type="individual", established_on=dt.date(2026, 2, 1))
    BusinessFactory.create_batch(2, subdistrict=org.subs["xiguan"], established_on=dt.date(2025, 3, 1))
    BusinessFactory(subdistrict=org.subs["xiguan"], established_on=dt.date(2025, 9, 1))


def _snapshot(actor, period="2026H1", scope=None):
    report = build_report("work_summary", Params.build(period=period, scope=scope), actor=actor)
    return services.snapshot_save(actor=actor, report=report)


# ---------------------------------------------------------------- compare (pure)


def test_compare_values_difference_and_percent():
    rows = {r.key: r for r in compare_values({"a.x": "10", "a.y": 0, "a.z": None}, {"a.x": 12, "a.y": 3, "a.z": "1"})}
    assert rows["a.x"].diff == 2 and rows["a.x"].pct == Decimal("20.00") and rows["a.x"].direction == "up"
    assert rows["a.y"].diff == 3 and rows["a.y"].pct is None  # no base to divide by
    assert rows["a.z"].diff is None and rows["a.z"].changed


def test_compare_values_decrease_same_and_missing_keys():
    rows = {r.key: r for r in compare_values({"k": "8", "same": "5", "gone": "1"}, {"k": "6", "same": 5, "new": 2})}
    assert rows["k"].diff == -2 and rows["k"].pct == Decimal("-25.00") and rows["k"].direction == "down"
    assert not rows["same"].changed and rows["same"].direction == "same" and rows["same"].pct == 0
    assert rows["gone"].current is None and rows["gone"].changed
    assert rows["new"].base is None and rows["new"].changed
    assert summary(list(rows.values())) == {"total": 4, "changed": 3}


def test_compare_values_rates_and_order():
    rows = compare_values(
        {"b.rate": "97.67", "a.n[乙]": 1, "a.n": 3, "a.n[甲]": 2},
        {"b.rate": "98.00", "a.n": 3, "a.n[甲]": 2, "a.n[乙]": 1},
        order=["a.n", "a.n[甲]", "a.n[乙]"],
    )
    assert [r.key for r in rows] == ["a.n", "a.n[甲]", "a.n[乙]", "b.rate"]
    assert rows[1].is_part and rows[1].part == "甲" and rows[1].indicator_key == "a.n"
    assert rows[3].diff == Decimal("0.33") and rows[3].pct == Decimal("0.34")


def test_compare_percent_rounds_half_up():
    (row,) = compare_values({"k": 3}, {"k": 4})
    assert row.pct == Decimal("33.33")
    (row,) = compare_values({"k": 8}, {"k": 9})
    assert row.pct == Decimal("12.50")


# ---------------------------------------------------------------- snapshots


def test_snapshot_saved_with_author_parameters_values_and_hash(org, shops):
    snapshot = _snapshot(org.users.dept)
    assert snapshot.author == org.users.dept and snapshot.created_at
    assert snapshot.parameters["period"] == "2026H1" and snapshot.parameters["scope"] == "bureau"
    assert snapshot.values["businesses.new"] == "4" and snapshot.values["businesses.new[个体工商户]"] == "4"
    assert len(snapshot.sha256) == 64 and snapshot.text.startswith("# ")


def test_rerender_reproduces_the_hash_on_unchanged_data(org, shops):
    snapshot = _snapshot(org.users.dept)
    report, matches, changed = reproduce(snapshot)
    assert matches and report.sha256 == snapshot.sha256 and changed == []


def test_rerender_after_a_data_change_differs_and_names_the_figure(org, shops):
    snapshot = _snapshot(org.users.dept)
    BusinessFactory(subdistrict=org.subs["jiefang"], established_on=dt.date(2026, 5, 5))
    report, matches, changed = reproduce(snapshot)
    assert not matches and report.sha256 != snapshot.sha256
    keys = {r.key for r in changed}
    assert {"businesses.new", "businesses.new[企业]", "businesses.active"} <= keys


def test_verify_page_says_whether_the_hash_matches(client, org, shops):
    snapshot = _snapshot(org.users.dept)
    client.force_login(org.users.dept)
    page = client.get(f"/reports/snapshots/{snapshot.pk}/verify/").content.decode()
    assert 'data-matches="true"' in page and "核对一致" in page
    BusinessFactory(subdistrict=org.subs["jiefang"], established_on=dt.date(2026, 5, 5))
    page = client.get(f"/reports/snapshots/{snapshot.pk}/verify/").content.decode()
    assert 'data-matches="false"' in page and "核对不一致" in page and "新增市场主体" in page
    assert ReportSnapshot.objects.count() == 1  # verifying does not add a snapshot


def test_station_users_see_only_their_own_snapshots(client, org, shops):
    mine = _snapshot(org.users.east, scope="station:S1")
    theirs = _snapshot(org.users.dept)
    client.force_login(org.users.east)
    page = client.get("/reports/snapshots/").content.decode()
    assert f"#{mine.pk}<" in page and f"#{theirs.pk}<" not in page
    assert client.get(f"/reports/snapshots/{theirs.pk}/").status_code == 404
    assert client.get("/reports/compare/", {"a": mine.pk, "b": theirs.pk}).status_code == 404
    client.force_login(org.users.leader)
    page = client.get("/reports/snapshots/").content.decode()
    assert f"#{mine.pk}<" in page and f"#{theirs.pk}<" in page
    assert theirs.sha256[:12] in page


def test_compare_page_highlights_differences(client, org, shops):
    last_year = _snapshot(org.users.dept, period="2025H1")
    this_year = _snapshot(org.users.dept, period="2026H1")
    client.force_login(org.users.dept)
    page = client.get("/reports/compare/", {"a": last_year.pk, "b": this_year.pk}).content.decode()
    row = re.search(r'<tr class="changed" data-key="businesses.new">(.*?)</tr>', page, re.S)
    assert row, page
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)
    assert [c.strip() for c in cells[1:5]] == ["2", "4", "+2", "+100.00%"]
    unchanged = re.search(r'<tr class=" part" data-key="businesses.new\[农民专业合作社\]">', page)
    assert unchanged
    assert client.get("/reports/compare/").status_code == 400
    assert client.get("/reports/compare/", {"a": "x", "b": this_year.pk}).status_code == 404


@pytest.mark.parametrize("kind, period, label", [("yoy", "2025H1", "同比"), ("mom", "2025H2", "环比")])
def test_yoy_and_mom_generate_the_other_report_and_compare(client, org, shops, kind, period, label):
    snapshot = _snapshot(org.users.dept)
    client.force_login(org.users.dept)
    response = client.post(f"/reports/snapshots/{snapshot.pk}/{kind}/")
    assert response.status_code == 302
    other = ReportSnapshot.objects.exclude(pk=snapshot.pk).get()
    assert other.parameters["period"] == period and other.author == org.users.dept
    assert response["Location"].startswith("/reports/compare/")
    page = client.get(response["Location"]).content.decode()
    assert f"报表对比（{label}）" in page and 'class="changed"' in page


def test_yoy_keeps_the_station_scope(client, org, shops):
    snapshot = _snapshot(org.users.east, scope="station:S1")
    client.force_login(org.users.east)
    client.post(f"/reports/snapshots/{snapshot.pk}/yoy/")
    other = ReportSnapshot.objects.exclude(pk=snapshot.pk).get()
    assert other.parameters["scope"] == "station:S1" and other.values["businesses.new"] == "0"
