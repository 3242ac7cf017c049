"""Moving campaigns out of inspections (campaigns 0001, inspections 0005) keeps every campaign as it was:
its scope, goals and inspections, the checklist its inspections start from (now inspections'
CampaignChecklist), and its audit history, whose content type is renamed in place so that the hash
chain (`jianguan audit verify`) still holds. Run from the state before the move, as an existing
installation upgrades, then back again."""

import datetime as dt
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jianguan.campaigns.models import Campaign
from jianguan.core.audit import verify_chain
from jianguan.inspections.models import CampaignChecklist, Inspection

from ..factories import BusinessFactory

# Migrations change the schema: they cannot run inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("inspections", "0004_documents")]


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)
    ContentType.objects.clear_cache()


def latest() -> list:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def old_apps():
    return MigrationExecutor(connection).loader.project_state(BEFORE).apps


def campaign_columns() -> set[str]:
    with connection.cursor() as cursor:
        return {c.name for c in connection.introspection.get_table_description(cursor, "inspections_campaign")}


def test_moving_campaigns_keeps_campaigns_their_scope_checklist_and_audit(org):
    shop = BusinessFactory(subdistrict=org.subs["dongguan"])
    lift_owner = BusinessFactory(subdistrict=org.subs["xiguan"])
    ContentType.objects.get_for_model(Campaign)  # as on an installation that has used campaigns
    try:
        migrate(BEFORE)
        assert "checklist_id" in campaign_columns()
        # Before the move the model (and its content type) belonged to inspections.
        content_type = ContentType.objects.get(app_label="inspections", model="campaign")
        assert not ContentType.objects.filter(app_label="campaigns", model="campaign").exists()

        apps = old_apps()
        OldCampaign, OldChecklist = apps.get_model("inspections", "Campaign"), apps.get_model("inspections", "Checklist")
        OldInspection = apps.get_model("inspections", "Inspection")
        checklist = OldChecklist.objects.create(code="move_test", version=1, name="迁移测试检查表")
        drive = OldCampaign.objects.create(
            code="ZQSH-2026", name="“中秋守护”专项行动", start=dt.date(2026, 9, 10), end=dt.date(2026, 10, 10),
            lead_department_id=org.dept.pk, created_by_id=org.users.dept.pk, description="节日期间隐患排查",
            entity_types=["enterprise"], industries=["H62", "F52"], equipment_types=["3000"], checklist=checklist,
            goals={"inspections": 75, "devices": 100}, status="active", version=3,
        )
        drive.subdistricts.add(org.subs["dongguan"].pk, org.subs["xiguan"].pk)
        drive.targets.add(shop.pk, lift_owner.pk)
        plain = OldCampaign.objects.create(
            code="BRGJ-2026", name="“百日攻坚”专项行动", start=dt.date(2026, 6, 1), end=dt.date(2026, 9, 8),
            lead_department_id=org.dept.pk, status="archived",
        )
        inspection = OldInspection.objects.create(
            number="JC-MOVE-1", kind="special", business_id=shop.pk, subdistrict_id=shop.subdistrict_id,
            date=dt.date(2026, 9, 20), status="completed", campaign=drive, checklist=checklist,
        )
        # An audit row of the campaign, chained like every other (core.audit links it on save).
        entry = LogEntry.objects.create(
            content_type_id=content_type.pk, object_pk=str(drive.pk), object_id=drive.pk, object_repr=drive.name,
            action=LogEntry.Action.UPDATE, changes={"name": ["中秋守护", drive.name]},
        )
        assert verify_chain() is None

        migrate(latest())

        moved = Campaign.objects.get(code="ZQSH-2026")
        assert moved.pk == drive.pk
        assert (moved.name, moved.start, moved.end, moved.lead_department, moved.created_by, moved.description) == (
            drive.name, drive.start, drive.end, org.dept, org.users.dept, "节日期间隐患排查",
        )
        assert (moved.entity_types, moved.industries, moved.equipment_types) == (["enterprise"], ["H62", "F52"], ["3000"])
        assert (moved.goals, moved.status, moved.version) == ({"inspections": 75, "devices": 100}, "active", 3)
        assert set(moved.subdistricts.all()) == {org.subs["dongguan"], org.subs["xiguan"]}
        assert set(moved.targets.all()) == {shop, lift_owner}
        assert Campaign.objects.get(code="BRGJ-2026").status == "archived"
        assert Inspection.objects.get(pk=inspection.pk).campaign == moved
        # the scope tables kept their names; the checklist column left the table for CampaignChecklist
        assert Campaign.subdistricts.through._meta.db_table == "inspections_campaign_subdistricts"
        assert Campaign.targets.through._meta.db_table == "inspections_campaign_targets"
        assert "checklist_id" not in campaign_columns()
        assert CampaignChecklist.objects.get(campaign=moved).checklist_id == checklist.pk
        assert not CampaignChecklist.objects.filter(campaign_id=plain.pk).exists()

        # the same content type row, renamed: the campaign's history is still its history
        assert ContentType.objects.get_for_model(Campaign).pk == content_type.pk
        assert ContentType.objects.get(pk=content_type.pk).app_label == "campaigns"
        assert not ContentType.objects.filter(app_label="inspections", model="campaign").exists()
        assert list(LogEntry.objects.get_for_object(moved)) == [LogEntry.objects.get(pk=entry.pk)]
        assert verify_chain() is None
        out = StringIO()
        call_command("audit", "verify", stdout=out)
        assert out.getvalue().startswith("OK")

        # Backwards, the column and its values come back, and the content type is inspections' again.
        migrate(BEFORE)
        assert OldCampaign.objects.get(pk=drive.pk).checklist_id == checklist.pk
        assert OldCampaign.objects.get(pk=plain.pk).checklist_id is None
        assert ContentType.objects.get(pk=content_type.pk).app_label == "inspections"
    finally:
        migrate(latest())
    assert CampaignChecklist.objects.get(campaign_id=drive.pk).checklist_id == checklist.pk
    assert verify_chain() is None


def test_the_content_type_is_renamed_only_when_there_is_one_to_rename(db):
    """Forward with no content type row yet (a fresh database) or with campaigns' row already there
    (created by post_migrate), the rename leaves the rows as they are."""
    ContentType.objects.get_for_model(Campaign)
    try:
        migrate(BEFORE)
        ContentType.objects.filter(app_label="inspections", model="campaign").delete()
        migrate(latest())
        assert not ContentType.objects.filter(model="campaign").exists()
        migrate(BEFORE)
        stale = ContentType.objects.create(app_label="inspections", model="campaign")
        fresh = ContentType.objects.create(app_label="campaigns", model="campaign")
        migrate(latest())
        assert ContentType.objects.get(pk=stale.pk).app_label == "inspections"
        assert ContentType.objects.get(pk=fresh.pk).app_label == "campaigns"
    finally:
        migrate(latest())
