"""Bad input on the inspection services: each gets a Chinese message and writes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jianguan.cases.choices import LeadSource, LeadStatus
from jianguan.cases.models import Lead
from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.models import Rule
from jianguan.equipment.choices import EquipmentStatus
from jianguan.equipment.models import Equipment
from jianguan.inspections.choices import (
    Escalation,
    FindingStatus,
    InspectionKind,
    InspectionResult,
    InspectionStatus,
    ItemOutcome,
)
from jianguan.inspections.models import (
    Amendment,
    Attachment,
    Checklist,
    Finding,
    Inspection,
    Sealing,
)
from jianguan.inspections.services.campaigns import ItemSpec, checklist_save
from jianguan.inspections.services.findings import (
    finding_close,
    finding_escalate,
    finding_recheck,
    finding_report,
    sealing_lift,
)
from jianguan.inspections.services.inspections import (
    NewFinding,
    attachment_add,
    inspection_amend,
    inspection_complete,
    inspection_create,
    inspection_record_items,
    inspection_update,
)
from tests.complaints.official import add_working_days

from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory
from .factories import inspection_with_finding, team

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def _open_inspection(org, **kw):
    business = kw.pop("business", None) or BusinessFactory(subdistrict=org.subs["dongguan"])
    inspectors = team(org.east)
    inspection = inspection_create(
        actor=inspectors[0], kind=InspectionKind.ROUTINE, business=business, date=dt.date(2026, 9, 1), inspectors=inspectors, **kw
    )
    return inspection, inspectors


def test_deadline_before_inspection_date_is_refused(org):
    inspection, inspectors = _open_inspection(org)
    with pytest.raises(DomainError, match="早于检查日期"):
        inspection_complete(
            actor=inspectors[0], pk=inspection.pk, version=inspection.version, result=InspectionResult.ORDERED,
            findings=[NewFinding(description="消毒记录缺失", deadline=dt.date(2026, 8, 31))],
        )
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.SCHEDULED and not Finding.objects.exists()


def test_nonconforming_items_raise_findings_with_the_items_severity(org):
    checklist = Checklist.objects.get(code="food_daily", version=1)
    inspection, inspectors = _open_inspection(org, checklist=checklist)
    items = list(checklist.items.order_by("order"))
    answers = {item.pk: (ItemOutcome.CONFORM, "") for item in items}
    answers[items[0].pk] = (ItemOutcome.NONCONFORM, "许可证过期")  # a serious item
    answers[items[1].pk] = (ItemOutcome.NONCONFORM, "两人无健康证")
    with pytest.raises(DomainError, match="须说明问题"):
        inspection_record_items(actor=inspectors[0], pk=inspection.pk, version=inspection.version, results={items[2].pk: (ItemOutcome.NONCONFORM, "")})
    inspection = inspection_record_items(actor=inspectors[0], pk=inspection.pk, version=inspection.version, results=answers)
    assert inspection.status == InspectionStatus.IN_PROGRESS
    with pytest.raises(DomainError, match="请填写整改期限"):
        inspection_complete(actor=inspectors[0], pk=inspection.pk, version=inspection.version, result=InspectionResult.ORDERED)
    inspection_complete(
        actor=inspectors[0], pk=inspection.pk, version=inspection.version, result=InspectionResult.ORDERED, deadline=dt.date(2026, 9, 10)
    )
    severities = sorted(inspection.findings.values_list("severity", flat=True))
    assert severities == ["general", "major"]


def test_result_must_agree_with_findings(org):
    inspection, inspectors = _open_inspection(org)
    with pytest.raises(DomainError, match="请至少登记一条问题"):
        inspection_complete(actor=inspectors[0], pk=inspection.pk, version=inspection.version, result=InspectionResult.ORDERED)


def test_completed_inspection_changes_only_by_amendment_with_reason(org):
    inspection, _, inspectors = inspection_with_finding(org)
    with pytest.raises(DomainError, match="已完成，不能直接修改"):
        inspection_update(actor=inspectors[0], pk=inspection.pk, version=inspection.version, summary="改一下")
    with pytest.raises(DomainError, match="须说明理由"):
        inspection_amend(actor=inspectors[0], pk=inspection.pk, version=inspection.version, reason=" ", changes={"summary": "补记"})
    assert not Amendment.objects.exists()
    amendment = inspection_amend(actor=inspectors[0], pk=inspection.pk, version=inspection.version, reason="笔误", changes={"summary": "补记现场情况"})
    assert amendment.changes["summary"]["after"] == "补记现场情况"
    assert Inspection.objects.get(pk=inspection.pk).summary == "补记现场情况"


def test_attachment_type_and_size_are_checked_on_content(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    inspection, inspectors = _open_inspection(org)
    fake = SimpleUploadedFile("现场.jpg", b"just text, not a photo", content_type="image/jpeg")
    with pytest.raises(DomainError, match="不是JPEG/PNG 图片或 PDF 文件"):
        attachment_add(actor=inspectors[0], upload=fake, inspection=inspection)
    Rule.objects.create(key="inspections.attachment_max_kb", label="上限", value="1", unit="count", valid_from=dt.date(2026, 1, 1), source_document="测试")
    big = SimpleUploadedFile("大图.png", PNG + b"\0" * 2048, content_type="image/png")
    with pytest.raises(DomainError, match="超过上限"):
        attachment_add(actor=inspectors[0], upload=big, inspection=inspection)
    assert not Attachment.objects.exists() and not any(tmp_path.rglob("*.*"))
    ok = attachment_add(actor=inspectors[0], upload=SimpleUploadedFile("门头.png", PNG), inspection=inspection)
    assert ok.content_type == "image/png" and ok.file.read() == PNG


def test_closing_without_recheck_is_refused(org):
    _, finding, inspectors = inspection_with_finding(org)
    with pytest.raises(DomainError, match="须经复查"):
        finding_close(actor=inspectors[0], pk=finding.pk, version=finding.version, on=dt.date(2026, 9, 5))
    finding_report(actor=inspectors[0], pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 9, 5), text="已整改")
    finding.refresh_from_db()
    with pytest.raises(DomainError, match="须经复查"):
        finding_close(actor=inspectors[1], pk=finding.pk, version=finding.version, on=dt.date(2026, 9, 6))
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.REPORTED


def test_failed_recheck_reopens_with_a_new_deadline(org):
    _, finding, inspectors = inspection_with_finding(org)
    finding_report(actor=inspectors[0], pk=finding.pk, version=finding.version, submitted_on=dt.date(2026, 9, 5), text="已整改")
    finding.refresh_from_db()
    checkers = team(org.east)
    with pytest.raises(DomainError, match="新的整改期限"):
        finding_recheck(actor=checkers[0], pk=finding.pk, version=finding.version, date=dt.date(2026, 9, 8), passed=False, inspectors=checkers)
    finding_recheck(
        actor=checkers[0], pk=finding.pk, version=finding.version, date=dt.date(2026, 9, 8), passed=False, inspectors=checkers,
        new_deadline=dt.date(2026, 9, 20), note="仍未更换",
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN and finding.deadline == dt.date(2026, 9, 20)


def test_sealing_sets_the_device_and_only_an_unsealing_record_lifts_it(org):
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    device = EquipmentFactory(operator=business, subdistrict=org.subs["dongguan"])
    _, finding, inspectors = inspection_with_finding(org, business=business, equipment=device)
    finding_escalate(actor=inspectors[0], pk=finding.pk, version=finding.version, escalation=Escalation.SEAL, on=dt.date(2026, 9, 3), reason="拒不整改")
    device.refresh_from_db()
    assert device.sealed
    sealing = Sealing.objects.get(equipment=device)
    from jianguan.equipment.services import equipment_transition

    equipment_transition(actor=inspectors[0], pk=device.pk, version=device.version, status=EquipmentStatus.IDLE, on=dt.date(2026, 9, 4))
    device.refresh_from_db()
    with pytest.raises(DomainError, match="解除查封"):
        equipment_transition(actor=inspectors[0], pk=device.pk, version=device.version, status=EquipmentStatus.IN_USE, on=dt.date(2026, 9, 5))
    with pytest.raises(DomainError, match="早于查封日期"):
        sealing_lift(actor=inspectors[0], pk=sealing.pk, on=dt.date(2026, 9, 1), reason="已整改")
    sealing_lift(actor=inspectors[0], pk=sealing.pk, on=dt.date(2026, 9, 20), reason="复查合格")
    assert not Equipment.objects.get(pk=device.pk).sealed


def test_case_lead_escalation_and_no_seal_without_device(org):
    _, finding, inspectors = inspection_with_finding(org)
    with pytest.raises(DomainError, match="未涉及特种设备"):
        finding_escalate(actor=inspectors[0], pk=finding.pk, version=finding.version, escalation=Escalation.SEAL, on=dt.date(2026, 9, 3), reason="x")
    finding_escalate(actor=inspectors[0], pk=finding.pk, version=finding.version, escalation=Escalation.CASE_LEAD, on=dt.date(2026, 9, 3), reason="涉嫌违法")
    lead = Lead.objects.get()
    assert lead.source_ref == f"inspections.finding:{finding.pk}" and "涉嫌违法" in lead.summary
    assert lead.source == LeadSource.INSPECTION and lead.business == finding.business and lead.status == LeadStatus.PENDING
    # the filing clock runs from the day the lead was handed over: 15 working days on the official calendar
    # (the Sunday before the National Day, 2026-09-20, is a working day)
    assert (lead.decision_due, False) == add_working_days(dt.date(2026, 9, 3), 15) == (dt.date(2026, 9, 23), False)


def test_station_cannot_write_outside_its_jurisdiction_and_leadership_is_read_only(org):
    business = BusinessFactory(subdistrict=org.subs["xiguan"])
    inspectors = team(org.east)
    with pytest.raises(PermissionDenied, match="不在您的辖区"):
        inspection_create(actor=inspectors[0], kind=InspectionKind.ROUTINE, business=business, date=dt.date(2026, 9, 1), inspectors=inspectors)
    with pytest.raises(PermissionDenied, match="只读"):
        inspection_create(actor=org.users.leader, kind=InspectionKind.ROUTINE, business=business, date=dt.date(2026, 9, 1), inspectors=inspectors)
    assert not Inspection.objects.exists()


def test_checklist_revision_keeps_the_version_an_inspection_started_with(org):
    old = Checklist.objects.get(code="elevator_operator", version=1)
    inspection, _ = _open_inspection(org, checklist=old)
    new = checklist_save(actor=org.users.dept, code="elevator_operator", name=old.name, items=[ItemSpec("新的要点")])
    assert new.version == 2 and new.items.count() == 1
    inspection.refresh_from_db()
    assert inspection.checklist_id == old.pk and inspection.checklist.items.count() == old.items.count()
    with pytest.raises(DomainError, match="至少要有一个"):
        checklist_save(actor=org.users.dept, code="elevator_operator", name=old.name, items=[])




def test_command_line_and_demo_act_without_a_user(org):
    from jianguan.inspections.services.campaigns import campaign_create

    campaign = campaign_create(actor=None, code="T1", name="测试专项", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30), lead_department=org.dept)
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    inspection = inspection_create(
        actor=None, kind=InspectionKind.SPECIAL, business=business, date=dt.date(2026, 9, 2), inspectors=team(org.east), campaign=campaign
    )
    assert inspection.created_by is None and campaign.created_by is None


def test_campaign_scope_limits_what_counts_toward_it(org):
    from jianguan.inspections.services.campaigns import campaign_create

    campaign = campaign_create(
        actor=org.users.dept, code="ZQ", name="中秋守护", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30),
        lead_department=org.dept, industries=["62"], equipment_types=["3000"], subdistricts=[org.subs["dongguan"]],
    )
    restaurant = BusinessFactory(subdistrict=org.subs["dongguan"], industry_code="6210")
    shop = BusinessFactory(subdistrict=org.subs["dongguan"], industry_code="5211")
    boiler = EquipmentFactory(operator=restaurant, subdistrict=org.subs["dongguan"], type_id="1000")
    inspectors = team(org.east)
    with pytest.raises(DomainError, match="行业代码“5211”不在专项行动范围"):
        inspection_create(actor=inspectors[0], kind=InspectionKind.SPECIAL, business=shop, date=dt.date(2026, 9, 2), inspectors=inspectors, campaign=campaign)
    with pytest.raises(DomainError, match="设备种类 1000 不在专项行动范围"):
        inspection_create(
            actor=inspectors[0], kind=InspectionKind.SPECIAL, business=restaurant, date=dt.date(2026, 9, 2), inspectors=inspectors,
            campaign=campaign, equipment=[boiler],
        )
    inspection_create(actor=inspectors[0], kind=InspectionKind.SPECIAL, business=restaurant, date=dt.date(2026, 9, 2), inspectors=inspectors, campaign=campaign)
    assert campaign.inspections.count() == 1


def test_inspectors_keep_the_order_in_which_they_were_entered(org):
    first, second = team(org.east)
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    # The later-created inspector first: an order that set() of ids would turn round.
    inspection = inspection_create(
        actor=second, kind=InspectionKind.ROUTINE, business=business, date=dt.date(2026, 9, 1), inspectors=[second, first],
    )
    links = inspection.inspectors.through.objects.filter(inspection=inspection).order_by("pk")
    assert list(links.values_list("user_id", flat=True)) == [second.pk, first.pk]
    inspection = inspection_update(actor=second, pk=inspection.pk, version=inspection.version, inspectors=[first, second])
    assert list(links.values_list("user_id", flat=True)) == [first.pk, second.pk]
