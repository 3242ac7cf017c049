"""The demo's inspections after a full `jianguan demo` (small scale): certificates, the two campaigns,
findings in every state of the rectification loop, documents, escalations, external checks, tasks."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from jianguan.campaigns.models import Campaign
from jianguan.cases.models import Lead
from jianguan.demo.equipment import DEMO_DATE
from jianguan.equipment.models import FollowUpTask
from jianguan.inspections.choices import (
    EXTERNAL_KINDS,
    OWN_KINDS,
    DocumentKind,
    Escalation,
    FindingStatus,
    ItemOutcome,
)
from jianguan.inspections.models import Document, Finding, Inspection, ItemResult, Sealing
from jianguan.inspections.selectors import campaign_checklist, overdue_findings
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit, User

from .baobao_checks import check_baobao_demo
from .canteens_checks import check_canteens_demo
from .case_checks import check_case_demo
from .complaint_checks import check_complaint_demo
from .credit_checks import check_credit_demo
from .food_checks import check_food_demo
from .licences_checks import check_licences_demo
from .sampling_checks import check_sampling_demo
from .spotcheck_checks import check_spotcheck_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(capsys):
    call_command("demo")
    return capsys.readouterr().out


def test_demo_builds_campaigns_and_findings_in_every_state(demo, client, capsys):
    assert "监督检查" in demo and "suo1b" in demo
    summer, autumn = Campaign.objects.get(code="2026-BRGJ"), Campaign.objects.get(code="2026-ZQSH")
    assert "百日攻坚" in summer.name and summer.lead_department.name == "食品安全监督管理科"
    assert "中秋守护" in autumn.name and autumn.lead_department.name == "特种设备安全监察科"
    assert campaign_checklist(summer).code == "food_daily" and campaign_checklist(autumn).code == "elevator_operator"
    assert summer.goals and autumn.goals
    assert summer.inspections.count() + autumn.inspections.count() > 100
    assert not summer.inspections.exclude(date__range=(summer.start, summer.end)).exists()
    assert Inspection.objects.count() >= 200
    assert not Inspection.objects.filter(date__gt=DEMO_DATE).exists()

    # Findings in all four states, some overdue on the demo date, and the loop's records.
    states = Counter(Finding.objects.values_list("status", flat=True))
    assert set(states) == set(FindingStatus.values), states
    admin = User.objects.get(username="admin")
    assert overdue_findings(actor=admin, on=DEMO_DATE).exists()
    assert Finding.objects.filter(status=FindingStatus.CLOSED, rechecks__passed=True).exists()
    assert {k for k in Document.objects.values_list("kind", flat=True)} == set(DocumentKind.values)
    assert Sealing.objects.filter(finding__escalation=Escalation.SEAL, equipment__sealed=True).exists()
    escalated = Finding.objects.filter(escalation=Escalation.CASE_LEAD).values_list("pk", flat=True)
    assert Lead.objects.filter(source_ref__in=[f"inspections.finding:{pk}" for pk in escalated]).exists()
    assert ItemResult.objects.filter(outcome=ItemOutcome.NONCONFORM).exists()

    # External checks of all three kinds; the bureau's own always by >= 2 valid certificates.
    assert set(Inspection.objects.filter(kind__in=EXTERNAL_KINDS).values_list("kind", flat=True)) == set(EXTERNAL_KINDS)
    own = Inspection.objects.filter(kind__in=OWN_KINDS).annotate(
        valid=Count("inspectors", filter=Q(inspectors__cert_valid_until__gte=F("date")))
    )
    assert not own.filter(valid__lt=2).exists()

    # Every station keeps two valid certificates; two expired during the year.
    for station in OrgUnit.objects.filter(kind=OrgKind.STATION):
        valid = User.objects.filter(org_unit=station, cert_valid_until__gte=DEMO_DATE).exclude(cert_no=None)
        assert valid.count() >= 2
    assert User.objects.filter(cert_valid_until__lt=DEMO_DATE).count() == 2

    # Some overdue-examination tasks were done by inspecting; the rest stay open for 我的任务.
    assert FollowUpTask.objects.filter(status="open").exists()
    assert Inspection.objects.filter(source="task").count() == FollowUpTask.objects.filter(status="done").count() > 0

    # The admin shows them, read-only.
    client.force_login(admin)
    for model in ("checklist", "campaignchecklist", "inspection", "finding", "document", "sealing", "attachment"):
        assert client.get(f"/admin/inspections/{model}/").status_code == 200, model
    assert client.get("/admin/campaigns/campaign/").status_code == 200
    assert client.get(f"/admin/inspections/inspection/{Inspection.objects.first().pk}/change/").status_code == 200
    assert client.get(f"/admin/inspections/checklist/{campaign_checklist(summer).pk}/change/").status_code == 200
    assert client.get(f"/admin/campaigns/campaign/{summer.pk}/change/").status_code == 200

    # The 双随机、一公开 year on top of the inspections (checked here, so that the demo is built once).
    assert "双随机、一公开" in demo
    check_spotcheck_demo(client)
    check_complaint_demo(client, demo)
    check_case_demo(client, demo)
    check_sampling_demo(client, demo)
    check_credit_demo(client, demo)
    check_licences_demo(client, demo)
    check_canteens_demo(client, demo)
    check_baobao_demo(client, demo)
    check_food_demo(client, demo)

    # --if-empty leaves the district as it is.
    before = (Inspection.objects.count(), Finding.objects.count(), User.objects.count())
    call_command("demo", "--if-empty")
    assert "未载入演示辖区" in capsys.readouterr().out
    assert (Inspection.objects.count(), Finding.objects.count(), User.objects.count()) == before
