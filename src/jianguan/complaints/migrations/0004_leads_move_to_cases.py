"""The case leads move from inspections into the cases app's inbox, without loss: every row keeps its id
(so complaints keep pointing at theirs), gains its source (投诉举报 when a complaint filed it, else
监督检查) and a generic reference to the source record, and its audit history follows it (the content
type row is renamed in place, so the hash chain over the audit rows stays intact)."""

import django.db.models.deletion
from django.core.management.color import no_style
from django.db import migrations, models


def _due(received_on):
    try:
        from jianguan.cases.deadlines import lead_decision_due

        due = lead_decision_due(received_on)
        return due.date, due.provisional
    except Exception:  # no rules or calendar yet: the inbox shows the lead without a clock
        return None, False


def copy_leads(apps, schema_editor):
    CaseLead = apps.get_model("inspections", "CaseLead")
    Lead = apps.get_model("cases", "Lead")
    Complaint = apps.get_model("complaints", "Complaint")
    ContentType = apps.get_model("contenttypes", "ContentType")
    by_lead = {c.case_lead_id: c for c in Complaint.objects.filter(case_lead__isnull=False).only("pk", "number", "case_lead_id")}
    rows = []
    for old in CaseLead.objects.select_related("business", "inspection", "finding__inspection").order_by("pk"):
        complaint, campaign = by_lead.get(old.pk), None
        if complaint is not None:
            source, ref, label = "complaint", f"complaints.complaint:{complaint.pk}", f"举报 {complaint.number}"
        elif old.finding_id:
            source, ref = "inspection", f"inspections.finding:{old.finding_id}"
            label = f"检查 {old.finding.inspection.number} 发现的问题"
            campaign = old.finding.inspection.campaign_id
        elif old.inspection_id:
            source, ref, label = "inspection", f"inspections.inspection:{old.inspection_id}", f"检查 {old.inspection.number}"
            campaign = old.inspection.campaign_id
        else:
            source, ref, label = "other", "", ""
        due, provisional = _due(old.opened_on)
        rows.append(Lead(
            pk=old.pk, source=source, source_ref=ref, source_label=label, received_on=old.opened_on, summary=old.description,
            business_id=old.business_id, respondent_kind="organisation", respondent_name=old.business.name,
            respondent_uscc=old.business.uscc, subdistrict_id=old.subdistrict_id, status="pending",
            decision_due=due, decision_due_provisional=provisional, created_by_id=old.opened_by_id, campaign_id=campaign,
        ))
    Lead.objects.bulk_create(rows, batch_size=500)
    if rows:
        with schema_editor.connection.cursor() as cursor:
            for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [Lead]):
                cursor.execute(sql)
    if not ContentType.objects.filter(app_label="cases", model="lead").exists():
        ContentType.objects.filter(app_label="inspections", model="caselead").update(app_label="cases", model="lead")


def copy_back(apps, schema_editor):
    """Backwards (for a rollback of this release): the leads return to inspections with their ids."""
    CaseLead = apps.get_model("inspections", "CaseLead")
    Lead = apps.get_model("cases", "Lead")
    rows = []
    for lead in Lead.objects.filter(business__isnull=False).order_by("pk"):
        kind, _, pk = lead.source_ref.partition(":")
        rows.append(CaseLead(
            pk=lead.pk, business_id=lead.business_id, subdistrict_id=lead.subdistrict_id or lead.business.subdistrict_id,
            inspection_id=int(pk) if kind == "inspections.inspection" else None,
            finding_id=int(pk) if kind == "inspections.finding" else None,
            opened_on=lead.received_on, description=lead.summary, opened_by_id=lead.created_by_id,
            taken_over=lead.status != "pending",
        ))
    CaseLead.objects.bulk_create(rows, batch_size=500)
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="inspections", model="caselead").exists():
        ContentType.objects.filter(app_label="cases", model="lead").update(app_label="inspections", model="caselead")


def drop_copies(apps, schema_editor):
    apps.get_model("cases", "Lead").objects.all()._raw_delete(schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_mask_audit_personal_info"),
        ("cases", "0004_campaign_links"),
        ("inspections", "0005_move_campaigns"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, drop_copies),
        migrations.RunPython(copy_leads, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="complaint",
            name="case_lead",
            field=models.OneToOneField(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="complaint",
                to="cases.lead", verbose_name="立案线索",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, copy_back),
    ]
