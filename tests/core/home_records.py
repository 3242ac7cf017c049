"""Work with deadlines in every module, around one day: findings to rectify and to re-check, equipment
follow-up tasks, open complaints and spot-check results to publish — overdue, due soon (within the
3-day window of rule workbench.due_soon_days) and later — in both stations. For the to-do home and the
one-stop business page tests. Records are made through the services, then their deadlines set to
exact dates (the services compute them from the working calendar)."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from jianguan.complaints.choices import Channel, Kind, Status
from jianguan.complaints.models import Complaint
from jianguan.complaints.services.intake import complaint_receive
from jianguan.equipment.choices import TaskKind, TaskStatus
from jianguan.equipment.models import FollowUpTask
from jianguan.inspections.choices import DocumentKind, InspectionKind, InspectionResult, InspectionStatus
from jianguan.inspections.models import Finding
from jianguan.inspections.services.findings import document_issue, finding_report
from jianguan.inspections.services.inspections import NewFinding, inspection_complete, inspection_create
from jianguan.spotchecks.models import DrawnObject

from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory
from ..inspections.factories import team
from ..spotchecks import builders

ON = dt.date(2026, 11, 26)  # a Thursday; "soon" runs to 11-29


def days(n: int) -> dt.date:
    return ON + dt.timedelta(days=n)


def set_today(monkeypatch, day: dt.date = ON) -> None:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(18)))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def _findings(business, inspectors, specs: dict[str, int]) -> dict[str, Finding]:
    """One completed inspection of `business` with a finding per spec: name → deadline offset."""
    inspection = inspection_create(
        actor=inspectors[0], kind=InspectionKind.ROUTINE, business=business, date=days(-20), inspectors=inspectors,
        status=InspectionStatus.IN_PROGRESS,
    )
    inspection = inspection_complete(
        actor=inspectors[0], pk=inspection.pk, version=inspection.version, result=InspectionResult.ORDERED,
        findings=[NewFinding(description=f"问题{name}：灭火器过期", deadline=days(offset)) for name, offset in specs.items()],
    )
    return {f.description.split("：")[0][2:]: f for f in inspection.findings.all()}


def _report(finding: Finding, actor, recheck_in: int) -> None:
    finding_report(actor=actor, pk=finding.pk, version=None, submitted_on=days(-10), text="已更换灭火器")
    Finding.objects.filter(pk=finding.pk).update(recheck_due=days(recheck_in), recheck_due_provisional=False)


def _complaint(org, business, sub, *, due: int, status=Status.RECEIVED) -> Complaint:
    c = complaint_receive(
        actor=org.users.dept, kind=Kind.COMPLAINT, channel=Channel.HOTLINE,
        received_at=timezone.make_aware(dt.datetime.combine(days(-5), dt.time(10))),
        respondent_name=business.name, respondent_uscc=business.uscc, respondent_address="测试路1号",
        content="购买的商品已过保质期，要求退货。", complainant_name="王小明", complainant_phone="13812341234",
    )
    Complaint.objects.filter(pk=c.pk).update(subdistrict=sub, status=status, accept_due=days(due), accept_due_provisional=False)
    return c


def _task(equipment, station, due: int, status=TaskStatus.OPEN) -> FollowUpTask:
    return FollowUpTask.objects.create(
        kind=TaskKind.EXAM_OVERDUE, equipment=equipment, station=station, reference_due=days(-60), opened_on=days(-20),
        due_on=days(due), status=status,
    )


def build(org) -> SimpleNamespace:
    """Everything below belongs to `shop` (east, 东关街道) unless it says west (西关街道)."""
    shop = BusinessFactory(name="东关便民超市", subdistrict=org.subs["dongguan"], credit_risk_class="A")
    west_shop = BusinessFactory(name="西关五金店", subdistrict=org.subs["xiguan"], credit_risk_class="B")
    east_team, west_team = team(org.east), team(org.west)

    east = _findings(shop, east_team, {"A": -2, "B": 1, "C": 30, "D": 5, "E": 6, "H": 40})
    west = _findings(west_shop, west_team, {"F": -3, "G": 8})
    _report(east["D"], east_team[0], recheck_in=-1)   # re-check overdue
    _report(east["E"], east_team[0], recheck_in=2)    # re-check due soon
    _report(east["H"], east_team[0], recheck_in=20)   # re-check later
    _report(west["G"], west_team[0], recheck_in=3)    # re-check due soon (the window's last day)
    findings = {**east, **west}
    document = document_issue(
        actor=east_team[0], inspection=east["A"].inspection, kind=DocumentKind.RECTIFICATION_NOTICE,
        findings=[east["A"], east["B"]], issued_on=days(-19),
    )

    devices = {
        "e1": EquipmentFactory(operator=shop, subdistrict=org.subs["dongguan"], due_state="overdue"),
        "e2": EquipmentFactory(operator=shop, subdistrict=org.subs["dongguan"], due_state="warning"),
        "e3": EquipmentFactory(operator=shop, subdistrict=org.subs["jiefang"]),
        "e4": EquipmentFactory(operator=shop, subdistrict=org.subs["dongguan"]),
        "w1": EquipmentFactory(operator=west_shop, subdistrict=org.subs["xiguan"]),
    }
    tasks = {
        "overdue": _task(devices["e1"], org.east, -1),
        "soon": _task(devices["e2"], org.east, 3),
        "later": _task(devices["e3"], org.east, 10),
        "done": _task(devices["e4"], org.east, -5, status=TaskStatus.DONE),
        "west_overdue": _task(devices["w1"], org.west, -2),
    }

    complaints = {
        "overdue": _complaint(org, shop, org.subs["dongguan"], due=-1),
        "soon": _complaint(org, shop, org.subs["dongguan"], due=0),
        "later": _complaint(org, shop, org.subs["dongguan"], due=15),
        "closed": _complaint(org, shop, org.subs["dongguan"], due=-9, status=Status.CLOSED),
        "west_soon": _complaint(org, west_shop, org.subs["xiguan"], due=2),
    }

    # Spot checks: every active business drawn (ratio 1), results recorded, none published.
    w = builders.world(org, per_sub=1, on=dt.date(2026, 9, 1))
    w.org = org
    task = builders.task(w, "2026年企业公示信息抽查", start=dt.date(2026, 9, 1), ratios={c: "1" for c in "ABCD"})
    builders.advance(w, task, "results", result_on=days(-15))
    drawn = {o.business_id: o for o in DrawnObject.objects.filter(task=task)}
    west_other = next(o for o in drawn.values() if o.subdistrict_id == org.subs["jinan"].pk)
    publish = {"overdue": drawn[shop.pk], "soon": drawn[west_shop.pk], "west_overdue": west_other}
    DrawnObject.objects.filter(task=task).update(publish_due=days(25))
    for name, offset in (("overdue", -1), ("soon", 1), ("west_overdue", -4)):
        DrawnObject.objects.filter(pk=publish[name].pk).update(publish_due=days(offset))

    return SimpleNamespace(
        shop=shop, west_shop=west_shop, findings=findings, document=document, devices=devices, tasks=tasks,
        complaints=complaints, task=task, drawn=list(drawn.values()), publish=publish,
    )
