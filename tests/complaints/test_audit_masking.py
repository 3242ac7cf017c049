"""PIPL in the audit trail: complainants' names and phones are stored masked in every audit payload,
the admin audit pages show them masked, and the rows written before (in clear) are rewritten by a
data migration that keeps `jianguan audit verify` passing."""

import importlib
import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.core.management import call_command

from jianguan.complaints.services.handling import complaint_take
from jianguan.core.audit import check_chain, verify_chain
from jianguan.core.models import AuditChainHead

pytestmark = pytest.mark.django_db

NAME, PHONE = "赵小明", "13912345678"
MIGRATION = "jianguan.complaints.migrations.0003_mask_audit_personal_info"


def audit_text() -> str:
    rows = LogEntry.objects.values(
        "object_repr", "changes", "changes_text", "serialized_data", "additional_data"
    )
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def test_no_audit_row_holds_the_clear_name_or_phone(receive, org):
    c = receive(complainant_name=NAME, complainant_phone=PHONE)
    complaint_take(actor=org.users.east, pk=c.pk, version=c.version)
    text = audit_text()
    assert LogEntry.objects.filter(object_pk=str(c.pk)).exists()
    assert NAME not in text and PHONE not in text
    entry = LogEntry.objects.get(content_type__model="complaint", object_pk=str(c.pk), action=LogEntry.Action.CREATE)
    assert entry.changes_dict["complainant_name"][1] == "赵**"
    assert entry.changes_dict["complainant_phone"][1] == "139****5678"
    assert verify_chain() is None


def test_landline_and_anonymous_are_masked_too(receive):
    receive(complainant_name="欧阳娜娜", complainant_phone="0531-88881234")
    receive(kind="report", complainant_name="", complainant_phone="", content="举报无照经营。")
    text = audit_text()
    assert "欧阳娜娜" not in text and "88881234" not in text
    assert "欧***" in text and "0531-****1234" in text


def test_admin_audit_pages_show_masked_values(receive, org, as_user):
    c = receive(complainant_name=NAME, complainant_phone=PHONE)
    client = as_user(org.users.admin)
    listing = client.get("/admin/auditlog/logentry/")
    assert listing.status_code == 200
    entry = LogEntry.objects.get(content_type__model="complaint", object_pk=str(c.pk), action=LogEntry.Action.CREATE)
    detail = client.get(f"/admin/auditlog/logentry/{entry.pk}/change/")
    assert detail.status_code == 200
    for page in (listing.content.decode(), detail.content.decode()):
        assert NAME not in page and PHONE not in page
    assert "139****5678" in detail.content.decode() and "赵**" in detail.content.decode()


def _legacy_rows(receive, org):
    """Rows as the system wrote them before masking: the clear values in changes (and changes_text)."""
    c = receive(complainant_name=NAME, complainant_phone=PHONE)
    clear = {"complainant_name": ["None", NAME], "complainant_phone": ["None", PHONE]}
    LogEntry.objects.log_create(
        c, action=LogEntry.Action.UPDATE, force_log=True, changes=clear, changes_text=json.dumps(clear, ensure_ascii=False)
    )
    later = receive(complainant_name="李四", complainant_phone="13900001111", content="另一件投诉。")  # chained after
    return c, later


def test_migration_masks_old_rows_and_rechains(receive, org):
    c, _ = _legacy_rows(receive, org)
    assert NAME in audit_text() and verify_chain() is None
    old_head = AuditChainHead.objects.get().hash
    migration = importlib.import_module(MIGRATION)
    migration.mask_audit_rows(apps, None)
    text = audit_text()
    assert NAME not in text and PHONE not in text and "赵**" in text
    status = check_chain()
    assert status.ok, status.problem
    # the re-chaining is itself on record, chained, with the head it replaced
    note = LogEntry.objects.get(additional_data__event="audit_rechained")
    assert note.additional_data["previous_head"] == old_head
    assert note.additional_data["rewritten"] == 1
    call_command("audit", "verify")


def test_migration_refuses_to_rechain_over_a_broken_chain(receive, org):
    c, _ = _legacy_rows(receive, org)
    last = LogEntry.objects.order_by("pk").last()  # after the first row to rewrite: re-chaining would hide it
    LogEntry.objects.filter(pk=last.pk).update(object_repr="篡改")
    migration = importlib.import_module(MIGRATION)
    with pytest.raises(RuntimeError, match="audit verify"):
        migration.mask_audit_rows(apps, None)
    assert NAME in audit_text()  # nothing rewritten: the tampering stays visible
