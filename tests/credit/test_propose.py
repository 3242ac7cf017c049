"""`jianguan credit propose`: who is proposed for the abnormal list after the filing window, what is written
(and not, on a dry run), the file it writes, and what it refuses."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.credit.choices import AbnormalReason, EntryKind, EntryStatus
from jianguan.credit.models import AbnormalEntry
from jianguan.credit.services.proposals import propose
from jianguan.inspections.choices import InspectionKind, InspectionResult, InspectionStatus
from jianguan.inspections.services.inspections import inspection_complete, inspection_create

from ..conftest import make_org
from ..factories import BusinessFactory
from ..inspections.factories import team
from .factories import AnnualReportFactory, entry

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 7, 10)


@pytest.fixture
def world():
    org = make_org()
    east = org.subs["dongguan"]
    b = {
        "company": BusinessFactory(subdistrict=east, name="甲公司"),
        "coop": BusinessFactory(subdistrict=east, entity_type="cooperative", name="乙合作社"),
        "shop": BusinessFactory(subdistrict=east, entity_type="individual", name="丙商店"),
        "filed": BusinessFactory(subdistrict=east),
        "filed_late": BusinessFactory(subdistrict=east),  # files after ON: still proposed on ON
        "new": BusinessFactory(subdistrict=east, established_on=dt.date(2026, 1, 1)),
        "gone": BusinessFactory(subdistrict=east, reg_status="deregistered", status_date=dt.date(2026, 7, 5)),  # due, not 存续 on ON
        "open": BusinessFactory(subdistrict=east),  # already proposed
        "declined": BusinessFactory(subdistrict=east),
    }
    AnnualReportFactory(business=b["filed"], year=2025, filed_on=dt.date(2026, 6, 30))
    AnnualReportFactory(business=b["filed_late"], year=2025, filed_on=dt.date(2026, 7, 20))
    entry(b["open"], report_year=2025, proposed_on=dt.date(2026, 7, 2))
    declined = entry(b["declined"], report_year=2025, proposed_on=dt.date(2026, 7, 2))
    AbnormalEntry.objects.filter(pk=declined.pk).update(status=EntryStatus.DECLINED, declined_reason="已核实")
    return org, b


def _not_found(org, business, day):
    inspectors = team(org.east)
    inspection = inspection_create(actor=inspectors[0], kind=InspectionKind.ROUTINE, business=business, date=day,
                                   inspectors=inspectors, equipment=[], campaign=None, status=InspectionStatus.IN_PROGRESS)
    return inspection_complete(actor=inspectors[0], pk=inspection.pk, version=inspection.version,
                               result=InspectionResult.NOT_FOUND, findings=[])


def test_non_filers_are_proposed_listing_or_marking_by_type(world):
    org, b = world
    run = propose(year=2025, on=ON, actor=org.users.dept)
    got = {(p.business.pk, p.kind) for p in run.proposals}
    assert got == {(b["company"].pk, EntryKind.LIST), (b["coop"].pk, EntryKind.LIST), (b["shop"].pk, EntryKind.MARK),
                   (b["filed_late"].pk, EntryKind.LIST)}
    assert run.counts() == {"列入": 3, "标记": 1}
    assert (run.already_open, run.already_closed) == (1, 1)
    entries = AbnormalEntry.objects.filter(status=EntryStatus.PROPOSED, proposed_on=ON)
    assert entries.count() == 4
    for e in entries:
        assert e.reason == AbnormalReason.NO_ANNUAL_REPORT and e.report_year == 2025
        assert e.decision_due > ON  # 10 working days
        assert e.created_by == org.users.dept
    # never twice
    again = propose(year=2025, on=ON + dt.timedelta(days=1))
    assert again.proposals == [] and again.already_open == 5


def test_dry_run_writes_nothing_and_the_command_writes_the_file(world, tmp_path):
    org, b = world
    out, path = io.StringIO(), tmp_path / "p.xlsx"
    call_command("credit", "propose", "--year", "2025", "--on", ON.isoformat(), "--dry-run", "-o", str(path), stdout=out)
    assert AbnormalEntry.objects.filter(status=EntryStatus.PROPOSED).count() == 1  # only the one already open
    text = out.getvalue()
    assert "列入 3 户" in text and "标记 1 户" in text and "丙商店" in text
    rows = [[c.value for c in r] for r in load_workbook(path).active.iter_rows()]
    assert rows[0] == ["统一社会信用代码", "名称", "主体类型", "拟处理", "事由"]
    assert [b["shop"].uscc, "丙商店", "个体工商户", "标记", "未按规定报送年度报告"] in rows
    assert {(r[0], r[3]) for r in rows[1:]} == {(b["company"].uscc, "列入"), (b["coop"].uscc, "列入"),
                                                (b["shop"].uscc, "标记"), (b["filed_late"].uscc, "列入")}


def test_refused_while_the_window_is_open_or_in_the_future(world):
    with pytest.raises(CommandError, match="报送期内"):
        call_command("credit", "propose", "--year", "2025", "--on", "2026-06-30", stdout=io.StringIO())
    with pytest.raises(DomainError, match="晚于今天"):
        propose(year=2025, on=dt.date.today() + dt.timedelta(days=1))
    org, _ = world
    with pytest.raises(PermissionDenied):
        propose(year=2025, on=ON, actor=org.users.east)
    assert AbnormalEntry.objects.filter(proposed_on=ON).count() == 0


def test_not_found_inspections_propose_the_unreachable_reason_once(world):
    org, b = world
    shop = b["shop"]
    first = _not_found(org, shop, dt.date(2026, 3, 2))
    _not_found(org, shop, dt.date(2026, 5, 2))
    _not_found(org, b["filed"], dt.date(2025, 12, 1))  # before --since
    gone_found = _not_found(org, b["gone"], dt.date(2026, 4, 1))  # no longer 存续 on ON
    run = propose(year=2025, on=ON)
    unreachable = [p for p in run.proposals if p.reason == AbnormalReason.UNREACHABLE]
    assert [(p.business.pk, p.kind, p.source_ref) for p in unreachable] == [
        (shop.pk, EntryKind.MARK, f"inspections.inspection:{first.pk}")]
    assert gone_found.pk
    e = AbnormalEntry.objects.get(reason=AbnormalReason.UNREACHABLE)
    assert e.report_year is None and e.status == EntryStatus.PROPOSED
    # with an earlier --since the older one counts too; the shop's open entry is not proposed twice
    run = propose(year=2025, on=ON, since=dt.date(2025, 1, 1), dry_run=True)
    assert [p.business.pk for p in run.proposals if p.reason == AbnormalReason.UNREACHABLE] == [b["filed"].pk]
