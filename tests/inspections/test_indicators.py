"""Inspection, finding and campaign figures: each equals its records counted directly, and its
drill-down lists exactly those records."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db.models import Sum

from jianguan.cases.models import Lead
from jianguan.core.errors import DomainError
from jianguan.core.indicators import all_indicators, compute, dimension_key, drilldown, get_indicator
from jianguan.core.periods import Params
from jianguan.inspections.choices import (
    DONE_STATUSES,
    EXTERNAL_KINDS,
    OWN_KINDS,
    DocumentKind,
    Escalation,
    FindingStatus,
    InspectionKind,
    InspectionResult,
    InspectionStatus,
)
from jianguan.inspections.models import Document, Finding, Inspection, Sealing
from jianguan.inspections.services.campaigns import campaign_create
from jianguan.inspections.services.findings import (
    document_issue,
    finding_escalate,
    finding_recheck,
    finding_report,
)
from jianguan.inspections.services.inspections import NewFinding, inspection_complete, inspection_create

from ..equipment.factories import EquipmentFactory
from ..factories import BusinessFactory
from .factories import team

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 9, 30)
CODE = "ZQ2026"
PREFIXES = ("inspections.", "findings.", "documents.", "case_leads.", "campaign.")
# This module's figures (a campaign's cases and 罚没款 are the cases module's: tests/cases; its samples and
# quick tests the sampling module's: tests/sampling; the figures by 业态 and 许可种类: test_sector_figures.py).
SECTOR_SOURCES = ("inspections.by_sector", "inspections.businesses_by_licence", "inspections.campaign_by_sector")
KEYS = [
    i.key for i in all_indicators()
    if (i.key.startswith(PREFIXES) or i.key == "equipment.sealed")
    and not i.source.startswith(("cases.", "sampling.", *SECTOR_SOURCES))
]
CAMPAIGN_KEYS = [k for k in KEYS if k.startswith("campaign.")]
PERIOD_KEYS = [k for k in KEYS if not k.startswith("campaign.")]


def d(month, day):
    return dt.date(2026, month, day)


def _inspect(business, day, inspectors, *, kind=InspectionKind.SPECIAL, campaign=None, equipment=(), findings=(),
             performed_by="", actor=None):
    actor = actor or inspectors[0]
    inspection = inspection_create(
        actor=actor, kind=kind, business=business, date=day, inspectors=inspectors, equipment=list(equipment),
        campaign=campaign, performed_by=performed_by, status=InspectionStatus.IN_PROGRESS,
    )
    result = InspectionResult.ORDERED if findings else InspectionResult.NO_PROBLEM
    return inspection_complete(actor=actor, pk=inspection.pk, version=inspection.version, result=result, findings=list(findings))


def build_campaign(org):
    """中秋守护专项行动 (2026-09-10..30) in both stations, plus records that must not count in it.

    Campaign, on 2026-09-30 — own inspections: i1 (A, 3 inspectors, devices d1 d3), i2 (A), i3 (B, d2),
    i4 (C), i5 (D), and the re-check of f1 (回头看, d1): 6 户次, 4 户, 13 人次, 3 台. Findings: f1 closed
    9-16; f2 open and overdue; f3 sealed (d2) 9-26; f4 reported 9-20, awaiting re-check (deadline 10-10);
    f5 a case lead 9-20: 5 found, 1 rectified, 2 unrectified, 1 overdue, 2 escalated. A notice (f1), an
    order (f3). External: a self-inspection (A) and a community patrol (B). A scheduled inspection (C)
    does not count. Outside it: a routine inspection of B on 9-05 and another campaign's inspection of C
    on 9-08 with a finding.
    """
    east_sub, east2, west_sub, west2 = (org.subs[k] for k in ("dongguan", "jiefang", "xiguan", "jinan"))
    campaign = campaign_create(
        actor=org.users.dept, code=CODE, name="中秋守护专项行动", start=d(9, 10), end=d(9, 30), lead_department=org.dept,
        goals={"inspections": 10, "businesses": 8, "devices": 4, "inspector_visits": 20},
    )
    other = campaign_create(actor=org.users.dept, code="QT2026", name="其他专项行动", start=d(9, 1), end=d(9, 9), lead_department=org.dept)
    a = BusinessFactory(name="甲公司", subdistrict=east_sub)
    b = BusinessFactory(name="乙公司", subdistrict=west_sub)
    c = BusinessFactory(name="丙公司", subdistrict=west2)
    dd = BusinessFactory(name="丁公司", subdistrict=east2)
    d1 = EquipmentFactory(operator=a, subdistrict=east_sub)
    d3 = EquipmentFactory(operator=a, subdistrict=east_sub)
    d2 = EquipmentFactory(operator=b, subdistrict=west_sub)
    east, east_checkers, west = team(org.east, 3), team(org.east), team(org.west)

    i1 = _inspect(a, d(9, 11), east, campaign=campaign, equipment=[d1, d3],
                  findings=[NewFinding(description="电梯维保记录缺失", deadline=d(9, 15), equipment=d1)])
    f1 = i1.findings.get()
    document_issue(actor=east[0], inspection=i1, kind=DocumentKind.RECTIFICATION_NOTICE, findings=[f1], issued_on=d(9, 11))
    finding_report(actor=east[0], pk=f1.pk, version=None, submitted_on=d(9, 14), text="已补齐维保记录")
    finding_recheck(actor=east_checkers[0], pk=f1.pk, version=None, date=d(9, 16), passed=True, inspectors=east_checkers)

    _inspect(a, d(9, 12), east[:2], campaign=campaign, findings=[NewFinding(description="安全出口堵塞", deadline=d(9, 20))])
    i3 = _inspect(b, d(9, 13), west, campaign=campaign, equipment=[d2],
                  findings=[NewFinding(description="锅炉安全阀失效", deadline=d(9, 25), equipment=d2)])
    f3 = i3.findings.get()
    document_issue(actor=west[0], inspection=i3, kind=DocumentKind.SUPERVISION_ORDER, findings=[f3], issued_on=d(9, 13))
    finding_escalate(actor=west[0], pk=f3.pk, version=None, escalation=Escalation.SEAL, on=d(9, 26), reason="逾期未整改")
    i4 = _inspect(c, d(9, 14), west, campaign=campaign, findings=[NewFinding(description="台账不全", deadline=d(10, 10))])
    finding_report(actor=west[0], pk=i4.findings.get().pk, version=None, submitted_on=d(9, 20), text="已建立台账")
    i5 = _inspect(dd, d(9, 15), east[:2], campaign=campaign, findings=[NewFinding(description="无证经营", deadline=d(9, 18))])
    finding_escalate(actor=east[0], pk=i5.findings.get().pk, version=None, escalation=Escalation.CASE_LEAD, on=d(9, 20), reason="涉嫌违法")
    _inspect(a, d(9, 17), [], kind=InspectionKind.SELF, campaign=campaign, performed_by="甲公司安全员", actor=org.users.east)
    _inspect(b, d(9, 18), [], kind=InspectionKind.COMMUNITY, campaign=campaign, performed_by="网格员", actor=org.users.west)
    inspection_create(actor=west[0], kind=InspectionKind.SPECIAL, business=c, date=d(9, 19), inspectors=west, campaign=campaign)

    _inspect(b, d(9, 5), west, kind=InspectionKind.ROUTINE)
    _inspect(c, d(9, 8), west, campaign=other, findings=[NewFinding(description="其他行动的问题", deadline=d(9, 9))])
    return SimpleNamespace(campaign=campaign, other=other, a=a, b=b, c=c, dd=dd, d1=d1, d2=d2, d3=d3)


@pytest.fixture
def world(org):
    return build_campaign(org)


def params(scope=None, as_of=AS_OF, period="2026Q3"):
    return Params.build(period=period, as_of=as_of, scope=scope, campaign=CODE)


def direct_campaign_counts(code=CODE, as_of=AS_OF, station=None):
    """Every campaign.* figure counted straight from the ORM, without the indicators' conditions."""
    where = {"subdistrict__station": station} if station else {}
    done = Inspection.objects.filter(campaign__code=code, status__in=DONE_STATUSES, date__lte=as_of, **where)
    own = done.filter(kind__in=OWN_KINDS)
    findings = Finding.objects.filter(inspection__campaign__code=code, found_on__lte=as_of, **where)
    devices = {e.pk for i in own for e in i.equipment.all() if station is None or e.subdistrict.station_id == station.pk}
    rectified = [f for f in findings if f.status == FindingStatus.CLOSED and f.closed_on <= as_of]
    escalated = [f for f in findings if f.status == FindingStatus.ESCALATED and f.escalated_on <= as_of]
    unrectified = [f for f in findings if f not in rectified and f not in escalated]
    overdue = [f for f in unrectified if f.deadline < as_of and not (f.reported_on and f.reported_on <= as_of and f.status != FindingStatus.OPEN)]
    documents = Document.objects.filter(inspection__campaign__code=code, issued_on__lte=as_of, **where)
    sealings = Sealing.objects.filter(finding__inspection__campaign__code=code, sealed_on__lte=as_of)
    if station:
        sealings = sealings.filter(equipment__subdistrict__station=station)
    return {
        "campaign.inspections": own.count(),
        "campaign.businesses": own.values("business").distinct().count(),
        "campaign.inspector_visits": sum(i.inspectors.count() for i in own),
        "campaign.devices": len(devices),
        "campaign.external": done.filter(kind__in=EXTERNAL_KINDS).count(),
        "campaign.findings": findings.count(),
        "campaign.rectified": len(rectified),
        "campaign.unrectified": len(unrectified),
        "campaign.overdue": len(overdue),
        "campaign.escalated": len(escalated),
        "campaign.rectification_notices": documents.filter(kind=DocumentKind.RECTIFICATION_NOTICE).count(),
        "campaign.supervision_orders": documents.filter(kind=DocumentKind.SUPERVISION_ORDER).count(),
        "campaign.sealed": sealings.count(),
        "campaign.case_leads": Lead.objects.filter(campaign__code=code, received_on__lte=as_of, **where).count(),
    }


EXPECTED = {
    "campaign.inspections": 6, "campaign.businesses": 4, "campaign.inspector_visits": 13, "campaign.devices": 3,
    "campaign.external": 2, "campaign.findings": 5, "campaign.rectified": 1, "campaign.unrectified": 2,
    "campaign.overdue": 1, "campaign.escalated": 2, "campaign.rectification_notices": 1,
    "campaign.supervision_orders": 1, "campaign.sealed": 1, "campaign.case_leads": 1,
}
EAST = {
    "campaign.inspections": 4, "campaign.businesses": 2, "campaign.inspector_visits": 9, "campaign.devices": 2,
    "campaign.external": 1, "campaign.findings": 3, "campaign.rectified": 1, "campaign.unrectified": 1,
    "campaign.overdue": 1, "campaign.escalated": 1, "campaign.rectification_notices": 1,
    "campaign.supervision_orders": 0, "campaign.sealed": 0, "campaign.case_leads": 1,
}


def test_every_campaign_figure_equals_its_records_counted_directly(world):
    values = compute(CAMPAIGN_KEYS, params())
    assert {k: values[k] for k in EXPECTED} == direct_campaign_counts() == EXPECTED
    assert set(CAMPAIGN_KEYS) == set(EXPECTED)
    assert values["campaign.inspections[专项检查]"] == 5 and values["campaign.inspections[回头看]"] == 1
    assert values["campaign.external[企业自查]"] == 1 and values["campaign.external[社区巡查]"] == 1
    # found = rectified + unrectified + escalated
    assert values["campaign.findings"] == values["campaign.rectified"] + values["campaign.unrectified"] + values["campaign.escalated"]


def test_campaign_figures_ignore_the_period_and_follow_the_as_of_date(world):
    assert compute(CAMPAIGN_KEYS, params(period="2025H1", as_of=AS_OF)) == compute(CAMPAIGN_KEYS, params())
    early = compute(CAMPAIGN_KEYS, params(as_of=d(9, 15)))
    assert {k: early[k] for k in EXPECTED} == direct_campaign_counts(as_of=d(9, 15))
    # On 9-15 f1 was reported (re-checked only on 9-16), so open but not overdue; f3 not yet sealed.
    assert (early["campaign.rectified"], early["campaign.unrectified"], early["campaign.overdue"]) == (0, 5, 0)
    assert early["campaign.sealed"] == 0 and early["campaign.inspections"] == 5


def test_a_station_sees_its_share(world, org):
    east = compute(CAMPAIGN_KEYS, params(), actor=org.users.east)
    assert {k: east[k] for k in EAST} == direct_campaign_counts(station=org.east) == EAST
    west = compute(CAMPAIGN_KEYS, params(scope="station:S2"))
    assert {k: west[k] for k in EXPECTED} == direct_campaign_counts(station=org.west)
    for key in EXPECTED:
        assert east[key] + west[key] >= EXPECTED[key], key  # a business or device counts once per station
    assert east["campaign.findings"] + west["campaign.findings"] == EXPECTED["campaign.findings"]


def test_period_figures(world):
    values = compute(PERIOD_KEYS, Params.build(period="2026Q3"))
    # own: the 6 campaign ones, the routine one of 9-05 and the other campaign's of 9-08
    assert values["inspections.count"] == 8
    assert values["inspections.count[日常检查]"] == 1 and values["inspections.count[专项检查]"] == 6
    assert values["inspections.count[回头看]"] == 1
    assert values["inspections.external"] == 2 and values["inspections.external[第三方巡查]"] == 0
    assert values["inspections.businesses"] == 4
    assert values["inspections.inspector_visits"] == 13 + 2 + 2
    assert values["inspections.devices"] == 3
    assert values["findings.found"] == 6
    assert (values["findings.rectified"], values["findings.open"], values["findings.escalated"]) == (1, 3, 2)
    assert values["findings.overdue"] == 2  # f2, and the other campaign's finding (deadline 9-09)
    assert values["documents.rectification_notices"] == 1 and values["documents.supervision_orders"] == 1
    assert values["case_leads.opened"] == 1
    assert values["equipment.sealed"] == 1
    assert compute(["equipment.sealed"], Params.build(as_of=d(9, 25)))["equipment.sealed"] == 0
    other_quarter = compute(PERIOD_KEYS, Params.build(period="2026Q2"))
    assert all(other_quarter[k] == 0 for k in PERIOD_KEYS if k != "equipment.sealed")


def test_a_lifted_sealing_no_longer_counts(world, org):
    from jianguan.inspections.services.findings import sealing_lift

    sealing = Sealing.objects.get()
    sealing_lift(actor=team(org.west)[0], pk=sealing.pk, on=d(10, 8), reason="已更换安全阀")
    assert compute(["equipment.sealed"], Params.build(as_of=d(10, 7)))["equipment.sealed"] == 1
    assert compute(["equipment.sealed"], Params.build(as_of=d(10, 8)))["equipment.sealed"] == 0
    # the campaign still counts the device it sealed
    assert compute(["campaign.sealed"], params(as_of=d(10, 31)))["campaign.sealed"] == 1


def _drill_total(key, p, actor=None, part=None):
    indicator = get_indicator(key)
    qs = drilldown(key, p, actor, part=part)
    if indicator.aggregate == "sum":
        return qs.aggregate(total=Sum(indicator.sum_field))["total"] or 0
    assert qs.count() == len(set(qs.values_list("pk", flat=True))), f"{key}: a record listed twice"
    return qs.count()


def check_drilldowns(p, actor=None, keys=KEYS) -> int:
    values = compute(keys, p, actor)
    checked = 0
    for key in keys:
        indicator = get_indicator(key)
        assert _drill_total(key, p, actor) == values[key], key
        checked += 1
        for _, label in indicator.dimension.pairs() if indicator.dimension else ():
            assert _drill_total(key, p, actor, part=label) == values[dimension_key(key, label)], (key, label)
    return checked


@pytest.mark.parametrize("scope", [None, "station:S1", "station:S2", "subdistrict:370102003"])
def test_every_drilldown_lists_exactly_the_counted_records(world, scope):
    assert check_drilldowns(params(scope=scope)) == len(KEYS)
    assert check_drilldowns(params(scope=scope, as_of=d(9, 15), period="2026-09")) == len(KEYS)


def test_station_user_drilldowns(world, org):
    assert check_drilldowns(params(), actor=org.users.west) == len(KEYS)


def test_drilldowns_list_the_right_records(world):
    p = params()
    assert sorted(drilldown("campaign.devices", p).values_list("pk", flat=True)) == sorted([world.d1.pk, world.d2.pk, world.d3.pk])
    assert sorted(r.business.name for r in drilldown("campaign.businesses", p)) == sorted(["甲公司", "乙公司", "丙公司", "丁公司"])
    assert [f.description for f in drilldown("campaign.overdue", p)] == ["安全出口堵塞"]
    assert [s.equipment_id for s in drilldown("campaign.sealed", p)] == [world.d2.pk]


def test_every_drill_column_reads(world):
    from jianguan.core.indicators import column_value

    p = params()
    for key in KEYS:
        indicator = get_indicator(key)
        assert indicator.columns, key
        for record in drilldown(key, p)[:3]:
            assert column_value(record, indicator.columns[0].path) != "", key


def test_campaign_figures_without_a_campaign_are_refused_in_chinese(world):
    no_campaign = Params.build(period="2026Q3")
    with pytest.raises(DomainError, match=r"请指定专项行动（--campaign 编号）") as caught:
        compute(["campaign.inspections"], no_campaign)
    assert caught.value.code == "missing_campaign"
    with pytest.raises(DomainError, match="请指定专项行动"):
        drilldown("campaign.findings", no_campaign)
    with pytest.raises(DomainError, match="“NOPE2026”不存在") as caught:
        compute(["campaign.inspections"], Params.build(period="2026Q3", campaign="NOPE2026"))
    assert caught.value.code == "unknown_campaign"
    # the other figures need none
    assert compute(["inspections.count"], no_campaign)["inspections.count"] == 8


def test_params_carry_the_campaign():
    plain = Params.build(period="2026H1")
    assert "campaign" not in plain.as_dict()
    with_campaign = Params.build(period="2026H1", campaign=" ZQ2026 ")
    assert with_campaign.campaign == "ZQ2026" and with_campaign.as_dict()["campaign"] == "ZQ2026"
    assert with_campaign.with_period(plain.period.previous()).campaign == "ZQ2026"
    assert hash(with_campaign) != hash(plain)


def test_campaign_figures_in_a_constant_number_of_queries(world, django_assert_max_num_queries):
    # the campaign check, then one pass each: inspections, businesses' representatives ride along,
    # devices, findings, documents, sealings, case leads
    with django_assert_max_num_queries(8):
        compute(CAMPAIGN_KEYS, params())
