# The campaign model leaves inspections for the campaigns app (campaigns 0001 took over its state; the
# table inspections_campaign and its scope tables stay, with every row). What inspections keeps of a
# campaign is the checklist its inspections start from: the column inspections_campaign.checklist_id
# becomes inspections.CampaignChecklist (one row per campaign that named a checklist), so that
# campaigns, below inspections, does not point up at a checklist.
#
# The content type of the model is renamed in place (inspections.campaign -> campaigns.campaign): the
# audit log's entries (whose hash chain covers content_type_id) and the permissions keep their id.
# Reversible: backwards, the column and its values come back and the content type is renamed back.

import django.db.models.deletion
from django.db import migrations, models


def copy_checklists(apps, schema_editor):
    db = schema_editor.connection.alias
    Campaign = apps.get_model("inspections", "Campaign")  # the old state, still with its checklist column
    CampaignChecklist = apps.get_model("inspections", "CampaignChecklist")
    CampaignChecklist.objects.using(db).bulk_create(
        CampaignChecklist(campaign_id=pk, checklist_id=checklist_id)
        for pk, checklist_id in Campaign.objects.using(db).filter(checklist__isnull=False).values_list("pk", "checklist_id")
    )


def copy_checklists_back(apps, schema_editor):
    db = schema_editor.connection.alias
    Campaign = apps.get_model("inspections", "Campaign")
    CampaignChecklist = apps.get_model("inspections", "CampaignChecklist")
    for campaign_id, checklist_id in CampaignChecklist.objects.using(db).values_list("campaign_id", "checklist_id"):
        Campaign.objects.using(db).filter(pk=campaign_id).update(checklist_id=checklist_id)


def _rename_content_type(apps, schema_editor, old: str, new: str) -> None:
    """Rename the model's content type row from app `old` to `new`, keeping its id. Nothing to do on a
    fresh database (no row yet) or when a row for `new` exists already."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    rows = ContentType.objects.using(schema_editor.connection.alias)
    if rows.filter(app_label=new, model="campaign").exists():
        return
    rows.filter(app_label=old, model="campaign").update(app_label=new)


def content_type_to_campaigns(apps, schema_editor):
    _rename_content_type(apps, schema_editor, "inspections", "campaigns")


def content_type_to_inspections(apps, schema_editor):
    _rename_content_type(apps, schema_editor, "campaigns", "inspections")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("inspections", "0004_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="CampaignChecklist",
            fields=[
                ("campaign", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="inspection_setup", serialize=False, to="campaigns.campaign", verbose_name="专项行动")),
                ("checklist", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="inspections.checklist", verbose_name="检查表")),
            ],
            options={
                "verbose_name": "专项行动检查表",
                "verbose_name_plural": "专项行动检查表",
            },
        ),
        migrations.RunPython(copy_checklists, copy_checklists_back),
        migrations.RunPython(content_type_to_campaigns, content_type_to_inspections),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="inspection",
                    name="campaign",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="inspections", to="campaigns.campaign", verbose_name="专项行动"),
                ),
            ],
            database_operations=[],
        ),
        # Real: drops the column from the table, which campaigns.Campaign now describes without it.
        migrations.RemoveField(model_name="campaign", name="checklist"),
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Campaign")], database_operations=[]),
    ]
