"""Campaigns on their own (campaigns.services, selectors, rules), and what inspections adds to them: the
checklist a campaign's inspections start from, written with the campaign, and the rule that a campaign's
dates keep the inspections already counted toward it, whoever edits the campaign."""

import ast
import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry

from jianguan.campaigns import selectors
from jianguan.campaigns.choices import CampaignStatus
from jianguan.campaigns.models import Campaign
from jianguan.campaigns.rules import campaign_phase, campaign_scope_problem, clean_goals
from jianguan.campaigns.services import campaign_create, campaign_update
from jianguan.core.errors import ConcurrentEdit, DomainError, NotFound, PermissionDenied
from jianguan.inspections.choices import InspectionKind
from jianguan.inspections.models import CampaignChecklist, Checklist
from jianguan.inspections.selectors import campaign_checklist
from jianguan.inspections.services import campaigns as inspection_campaigns
from jianguan.inspections.services.inspections import inspection_create

from ..factories import BusinessFactory
from ..inspections.factories import team

SEPT = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))


def drive(org, **kw) -> Campaign:
    return campaign_create(
        actor=org.users.dept, code=kw.pop("code", "ZQ2026"), name=kw.pop("name", "中秋守护"), start=SEPT[0], end=SEPT[1],
        lead_department=org.dept, **kw,
    )


# ---------------------------------------------------------------- rules (no database)


def test_scope_rules():
    inside = {"business_entity_type": "enterprise", "business_industry": "6210", "business_subdistrict_id": 1, "device_types": ["3000"]}
    assert campaign_scope_problem(entity_types=[], industries=[], equipment_types=[], subdistrict_ids=set(), **inside) is None
    assert campaign_scope_problem(entity_types=[], industries=["62"], equipment_types=["3000"], subdistrict_ids={1}, **inside) is None
    assert campaign_scope_problem(entity_types=[], industries=[], equipment_types=[], subdistrict_ids={2}, **inside) == "所属街道不在专项行动范围内"
    assert "主体类型" in campaign_scope_problem(entity_types=["individual"], industries=[], equipment_types=[], subdistrict_ids=set(), **inside)
    assert "行业代码“6210”" in campaign_scope_problem(entity_types=[], industries=["52"], equipment_types=[], subdistrict_ids=set(), **inside)
    assert "设备种类 3000" in campaign_scope_problem(entity_types=[], industries=[], equipment_types=["6000"], subdistrict_ids=set(), **inside)


def test_goals_and_phase_rules():
    assert clean_goals({"inspections": "20", "devices": 0}) == {"inspections": 20}
    for bad, message in (({"visits": 1}, "无法识别"), ({"devices": "许多"}, "须为整数"), ({"devices": -1}, "不能为负数")):
        with pytest.raises(DomainError, match=message):
            clean_goals(bad)
    assert [campaign_phase("active", *SEPT, on) for on in (dt.date(2026, 8, 31), SEPT[0], SEPT[1], dt.date(2026, 10, 1))] == [
        "upcoming", "running", "running", "ended",
    ]
    assert campaign_phase(CampaignStatus.ARCHIVED, *SEPT, dt.date(2026, 9, 15)) == "archived"


# ---------------------------------------------------------------- campaigns' own services and reads


@pytest.mark.django_db
def test_campaign_create_and_update_without_inspections(org):
    shop = BusinessFactory(subdistrict=org.subs["dongguan"])
    campaign = drive(org, goals={"inspections": "10", "devices": 0}, subdistricts=[org.subs["dongguan"]], targets=[shop])
    assert (campaign.goals, campaign.version, campaign.created_by) == ({"inspections": 10}, 1, org.users.dept)
    assert list(campaign.subdistricts.all()) == [org.subs["dongguan"]] and list(campaign.targets.all()) == [shop]
    assert LogEntry.objects.get_for_object(campaign).count() == 1  # audited as campaigns.campaign

    with pytest.raises(DomainError, match="已存在"):
        drive(org)
    with pytest.raises(PermissionDenied, match="专项行动和检查表由业务科室或系统管理员维护"):
        campaign_create(actor=org.users.east, code="X1", name="所里建的", start=SEPT[0], end=SEPT[1], lead_department=org.dept)
    with pytest.raises(DomainError, match="牵头单位须为业务科室或局机关"):
        campaign_create(actor=org.users.dept, code="X2", name="所牵头", start=SEPT[0], end=SEPT[1], lead_department=org.east)
    with pytest.raises(DomainError, match="未知字段：checklist"):  # the checklist is inspections' part of a campaign
        drive(org, code="X3", checklist=None)
    assert not Campaign.objects.filter(code__startswith="X").exists()

    updated = campaign_update(actor=org.users.dept, pk=campaign.pk, version=1, name="“中秋守护”专项行动", status=CampaignStatus.ARCHIVED, targets=[])
    assert (updated.name, updated.status, updated.version, updated.targets.count()) == ("“中秋守护”专项行动", "archived", 2, 0)
    assert list(updated.subdistricts.all()) == [org.subs["dongguan"]]  # not given: kept
    with pytest.raises(ConcurrentEdit, match="该专项行动已被他人修改"):
        campaign_update(actor=org.users.dept, pk=campaign.pk, version=1, name="旧的")


@pytest.mark.django_db
def test_selectors(org):
    autumn = drive(org)
    summer = campaign_create(actor=None, code="BR2026", name="百日攻坚", start=dt.date(2026, 6, 1), end=dt.date(2026, 9, 8), lead_department=org.dept)
    campaign_update(actor=None, pk=summer.pk, version=None, status=CampaignStatus.ARCHIVED)
    assert list(selectors.campaign_list(actor=org.users.east)) == [autumn, summer]  # bureau-wide, the latest first
    assert list(selectors.campaign_list(actor=org.users.east, filters={"status": CampaignStatus.ACTIVE})) == [autumn]
    assert selectors.campaign_get(actor=org.users.east, code="BR2026") == summer
    assert selectors.campaign_get(actor=org.users.east, pk=autumn.pk) == autumn
    with pytest.raises(NotFound, match="专项行动不存在"):
        selectors.campaign_get(actor=org.users.east, code="NOPE")
    assert selectors.campaign_by_code(" ZQ2026 ") == autumn
    with pytest.raises(DomainError, match="专项行动“NOPE”不存在") as caught:
        selectors.campaign_by_code("NOPE")
    assert caught.value.code == "unknown_campaign"
    assert set(selectors.lead_departments()) == {org.bureau, org.dept}


# ---------------------------------------------------------------- what inspections adds


@pytest.mark.django_db
def test_the_checklist_is_written_with_the_campaign_by_inspections(org):
    food = Checklist.objects.get(code="food_daily", version=1)
    lift = Checklist.objects.get(code="elevator_operator", version=1)
    campaign = inspection_campaigns.campaign_create(
        actor=org.users.dept, code="ZQ2026", name="中秋守护", start=SEPT[0], end=SEPT[1], lead_department=org.dept, checklist=food,
    )
    assert campaign_checklist(campaign) == food
    assert LogEntry.objects.get_for_object(CampaignChecklist.objects.get(campaign=campaign)).get().actor == org.users.dept

    # an inspection of the campaign starts from its checklist unless another is chosen
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    inspectors = team(org.east)
    common = {"actor": inspectors[0], "kind": InspectionKind.SPECIAL, "business": business, "date": dt.date(2026, 9, 2), "inspectors": inspectors}
    assert inspection_create(**common, campaign=campaign).checklist == food
    assert inspection_create(**common, campaign=campaign, checklist=lift).checklist == lift

    campaign = inspection_campaigns.campaign_update(actor=org.users.dept, pk=campaign.pk, version=1, name="改名")
    assert campaign_checklist(Campaign.objects.get(pk=campaign.pk)) == food  # not given: kept
    campaign = inspection_campaigns.campaign_update(actor=org.users.dept, pk=campaign.pk, version=2, checklist=lift)
    assert CampaignChecklist.objects.get(campaign=campaign).checklist == lift and campaign_checklist(campaign) == lift
    # a refused edit writes neither the campaign nor its checklist (one transaction)
    with pytest.raises(ConcurrentEdit):
        inspection_campaigns.campaign_update(actor=org.users.dept, pk=campaign.pk, version=1, checklist=food)
    assert CampaignChecklist.objects.get(campaign=campaign).checklist == lift
    campaign = inspection_campaigns.campaign_update(actor=org.users.dept, pk=campaign.pk, version=3, checklist=None)
    assert campaign_checklist(campaign) is None and not CampaignChecklist.objects.exists()
    assert inspection_create(**common, campaign=campaign).checklist is None


@pytest.mark.django_db
def test_dates_keep_the_inspections_whoever_edits_the_campaign(org):
    campaign = drive(org)
    business = BusinessFactory(subdistrict=org.subs["dongguan"])
    inspectors = team(org.east)
    inspection = inspection_create(
        actor=inspectors[0], kind=InspectionKind.SPECIAL, business=business, date=dt.date(2026, 9, 2), inspectors=inspectors, campaign=campaign,
    )
    for update in (campaign_update, inspection_campaigns.campaign_update):  # campaigns' own service, and inspections' with it
        with pytest.raises(DomainError, match=f"已有检查（{inspection.number}，2026-09-02）在新的起止日期之外") as caught:
            update(actor=org.users.dept, pk=campaign.pk, version=None, start=dt.date(2026, 9, 5))
        assert caught.value.code == "inspections_outside"
    campaign.refresh_from_db()
    assert (campaign.start, campaign.version) == (SEPT[0], 1)
    assert campaign_update(actor=org.users.dept, pk=campaign.pk, version=1, end=dt.date(2026, 10, 10)).end == dt.date(2026, 10, 10)


# ---------------------------------------------------------------- layering


ALLOWED = {"core", "org", "businesses", "licences", "campaigns"}  # DESIGN.md: the apps at or below campaigns


def test_campaigns_imports_only_the_apps_below_it():
    """What ../shared/tools/check_layers.py checks for the whole project, for this app: campaigns never
    reaches up to equipment, cases or inspections (they come to it)."""
    root = Path(__file__).resolve().parents[2] / "src" / "jianguan" / "campaigns"
    upward = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("jianguan."):
                names.append(node.value.split(":")[0])
            upward += [f"{path.name}:{node.lineno} {n}" for n in names if n.startswith("jianguan.") and n.split(".")[1] not in ALLOWED]
    assert upward == []
