"""Credit repair: an application to leave the abnormal list is due in 5 working days and granted only when
the cause is cured (a missing report must be on file; other causes attested), with a numbered removal
decision; serious early removal waits for its minimum months; a publication ends early only for a business
on neither list; a refusal states its reason."""

import datetime as dt

import pytest

from jianguan.cases.choices import CaseStatus, PublicationStatus
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.credit.choices import (
    AbnormalReason,
    EntryStatus,
    RemovalReason,
    RepairStatus,
    RepairTarget,
    SeriousSource,
)
from jianguan.credit.models import AbnormalEntry, SeriousEntry
from jianguan.credit.services.repairs import repair_apply, repair_grant, repair_refuse

from ..cases.factories import CaseFactory
from ..complaints.official import add_working_days
from ..conftest import make_org
from ..factories import BusinessFactory
from .factories import AnnualReportFactory, entry

pytestmark = pytest.mark.django_db
D = dt.date


def test_removal_of_a_missing_report_needs_the_filing_and_gives_a_numbered_decision():
    org = make_org()
    firm = BusinessFactory(subdistrict=org.subs["dongguan"])
    listed = entry(firm, listed_on=D(2026, 7, 10))
    with pytest.raises(PermissionDenied):
        repair_apply(actor=org.users.west, target=RepairTarget.ABNORMAL, record_id=listed.pk, applied_on=D(2026, 8, 3), statement="已补报")
    app = repair_apply(actor=org.users.east, target=RepairTarget.ABNORMAL, record_id=listed.pk, applied_on=D(2026, 8, 3),
                       statement="已补报2025年度报告")
    assert app.due == add_working_days(D(2026, 8, 3), 5)[0]
    assert AbnormalEntry.objects.get(pk=listed.pk).removal_due == app.due
    with pytest.raises(DomainError, match="已有待决定的移出申请"):
        repair_apply(actor=None, target=RepairTarget.ABNORMAL, record_id=listed.pk, applied_on=D(2026, 8, 3), statement="再次申请")
    with pytest.raises(PermissionDenied):
        repair_grant(actor=org.users.east, pk=app.pk, version=app.version, decided_on=D(2026, 8, 5), approved_by="王局长")
    with pytest.raises(DomainError, match="2025年度报告尚未补报"):
        repair_grant(actor=org.users.dept, pk=app.pk, version=app.version, decided_on=D(2026, 8, 5), approved_by="王局长")
    AnnualReportFactory(business=firm, year=2025, filed_on=D(2026, 8, 4))
    app = repair_grant(actor=org.users.dept, pk=app.pk, version=app.version, decided_on=D(2026, 8, 5), approved_by="王局长")
    assert (app.status, app.decision.number) == (RepairStatus.GRANTED, "市监经异移〔2026〕1号")
    removed = AbnormalEntry.objects.get(pk=listed.pk)
    assert (removed.status, removed.removal_reason, removed.removed_on, removed.removal_decision_id) == (
        EntryStatus.REMOVED, RemovalReason.CURED, D(2026, 8, 5), app.decision_id)
    with pytest.raises(DomainError, match="已于 2026-08-05 作出决定"):
        repair_refuse(actor=org.users.dept, pk=app.pk, version=None, decided_on=D(2026, 8, 6), reason="x")


def test_other_causes_are_attested_and_a_refusal_keeps_the_entry_listed():
    org = make_org()
    listed = entry(BusinessFactory(subdistrict=org.subs["xiguan"]), reason=AbnormalReason.UNREACHABLE, report_year=None,
                   listed_on=D(2026, 3, 2))
    app = repair_apply(actor=None, target=RepairTarget.ABNORMAL, record_id=listed.pk, applied_on=D(2026, 8, 3), statement="已变更住所")
    with pytest.raises(DomainError, match="请核实并确认：已可通过登记的住所或者经营场所联系"):
        repair_grant(actor=org.users.dept, pk=app.pk, version=None, decided_on=D(2026, 8, 5), approved_by="王局长")
    with pytest.raises(DomainError, match="请填写不予修复理由"):
        repair_refuse(actor=org.users.dept, pk=app.pk, version=None, decided_on=D(2026, 8, 5), reason=" ")
    app = repair_refuse(actor=org.users.dept, pk=app.pk, version=None, decided_on=D(2026, 8, 5), reason="实地核查仍无法联系")
    assert app.status == RepairStatus.REFUSED
    still = AbnormalEntry.objects.get(pk=listed.pk)
    assert (still.status, still.removal_due) == (EntryStatus.LISTED, None)
    app = repair_apply(actor=None, target=RepairTarget.ABNORMAL, record_id=listed.pk, applied_on=D(2026, 9, 1), statement="已联系")
    app = repair_grant(actor=org.users.dept, pk=app.pk, version=app.version, decided_on=D(2026, 9, 2), approved_by="王局长",
                       conditions=["reachable"])
    assert AbnormalEntry.objects.get(pk=listed.pk).status == EntryStatus.REMOVED


def test_serious_early_removal_waits_for_the_minimum_months_and_publication_repair_needs_no_listing():
    org = make_org()
    firm = BusinessFactory(subdistrict=org.subs["dongguan"])
    case = CaseFactory(business=firm, status=CaseStatus.DECIDED, filed_on=D(2025, 3, 1), decided_on=D(2025, 6, 1),
                       penalty_kinds=["fine"], serious_category="quality")
    serious = SeriousEntry.objects.create(business=firm, source=SeriousSource.PENALTY, category="quality", case=case,
                                          status=EntryStatus.LISTED, proposed_on=D(2025, 9, 1), listed_on=D(2025, 9, 10),
                                          list_until=D(2028, 9, 10))
    with pytest.raises(DomainError, match="满12个月后方可申请提前移出（2026-09-10 起）"):
        repair_apply(actor=None, target=RepairTarget.SERIOUS, record_id=serious.pk, applied_on=D(2026, 9, 9), statement="已整改")
    app = repair_apply(actor=None, target=RepairTarget.SERIOUS, record_id=serious.pk, applied_on=D(2026, 9, 10), statement="已整改")
    assert app.due == add_working_days(D(2026, 9, 10), 15)[0]
    Case = type(case)
    Case.objects.filter(pk=case.pk).update(publication_status=PublicationStatus.SHOWN, published_on=D(2025, 6, 10),
                                           publish_until=D(2028, 6, 10))
    publication = repair_apply(actor=None, target=RepairTarget.PUBLICATION, record_id=case.pk, applied_on=D(2026, 9, 10),
                               statement="申请提前停止公示")
    with pytest.raises(DomainError, match="仍在经营异常名录或严重违法失信名单中"):
        repair_grant(actor=org.users.dept, pk=publication.pk, version=None, decided_on=D(2026, 9, 12), approved_by="王局长",
                     conditions=["consequences_removed"])
    app = repair_grant(actor=org.users.dept, pk=app.pk, version=None, decided_on=D(2026, 9, 12), approved_by="王局长",
                       conditions=["obligations_performed", "consequences_removed", "commitment"])
    gone = SeriousEntry.objects.get(pk=serious.pk)
    assert (gone.status, gone.removed_on, app.decision.number) == (EntryStatus.REMOVED, D(2026, 9, 12), "市监严失移〔2026〕1号")
