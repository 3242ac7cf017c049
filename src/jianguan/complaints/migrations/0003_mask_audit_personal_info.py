"""PIPL: rewrite the audit rows written before masking so that no complainant's name or phone stays in clear.

The hash chain (core/audit.py) covers every column of a LogEntry, `changes` included, so a rewritten row
no longer matches its link. The chain is therefore recomputed from the first rewritten row to the head,
after checking that this part of the chain held before the rewrite (so that the migration never
launders tampering: if it is already broken, the migration stops and says so). The re-chaining is put
on record as one more audit row, chained after the head, with the head it replaced: a head recorded
outside the database before this migration (`jianguan audit verify --show-head`) is matched by that
row's `previous_head`.
"""

import json

from django.db import migrations
from django.utils import timezone

CHUNK = 2000


def _mask_text(text: str, clear_to_masked: dict) -> str:
    for clear, masked in clear_to_masked.items():
        if clear and clear != masked:
            text = text.replace(clear, masked)
    return text


def _masked_row(row: dict):
    """The row's new (changes, changes_text, serialized_data), or None when it holds nothing personal."""
    from jianguan.complaints.privacy import PERSONAL_FIELDS, mask_audit_changes, mask_personal

    changes = row["changes"]
    if isinstance(changes, str):
        changes = json.loads(changes)
    if not isinstance(changes, dict) or not any(f in changes for f in PERSONAL_FIELDS):
        serialized = row["serialized_data"]
        if not (isinstance(serialized, dict) and any(f in serialized.get("fields", {}) for f in PERSONAL_FIELDS)):
            return None
    clear_to_masked = {}
    new_changes = changes
    if isinstance(changes, dict):
        new_changes = mask_audit_changes(changes)
        for field in PERSONAL_FIELDS:
            for before, after in zip(changes.get(field) or [], new_changes.get(field) or [], strict=False):
                clear_to_masked[str(before)] = str(after)
    serialized = row["serialized_data"]
    if isinstance(serialized, dict) and isinstance(serialized.get("fields"), dict):
        fields = dict(serialized["fields"])
        for field in PERSONAL_FIELDS:
            if fields.get(field):
                clear_to_masked[str(fields[field])] = fields[field] = mask_personal(fields[field])
        serialized = {**serialized, "fields": fields}
    text = _mask_text(row["changes_text"] or "", clear_to_masked)
    if new_changes == changes and text == (row["changes_text"] or "") and serialized == row["serialized_data"]:
        return None
    return new_changes, text, serialized


def mask_audit_rows(apps, schema_editor):
    from jianguan.core.audit import DIGEST_FIELDS, GENESIS, link_hash, row_digest

    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    Link = apps.get_model("core", "AuditChainLink")
    Head = apps.get_model("core", "AuditChainHead")

    complaint_type = ContentType.objects.filter(app_label="complaints", model="complaint").first()
    if complaint_type is None:
        return  # a fresh database: nothing was ever written in clear
    rewrites = {}
    rows = LogEntry.objects.filter(content_type=complaint_type).order_by("pk").values(*DIGEST_FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        masked = _masked_row(row)
        if masked is not None:
            rewrites[row["id"]] = masked
    if not rewrites:
        return

    def new_row(row):
        if row["id"] not in rewrites:
            return row
        changes, text, serialized = rewrites[row["id"]]
        return {**row, "changes": changes, "changes_text": text, "serialized_data": serialized}

    head = Head.objects.select_for_update().filter(pk=1).first()
    chained = dict(Link.objects.filter(log_entry_id__in=list(rewrites)).values_list("log_entry_id", "seq"))
    first_seq = min(chained.values()) if chained else None

    # Walk the chain from the first rewritten row: each old link must hold (else stop, change nothing),
    # and each new link is computed over the rewritten content.
    new_links = []
    if first_seq is not None and head is not None:
        previous = Link.objects.filter(seq=first_seq - 1).values_list("hash", flat=True).first()
        old_prev = new_prev = previous if first_seq > 1 else GENESIS
        expected = first_seq
        links = Link.objects.filter(seq__gte=first_seq, seq__lte=head.seq).order_by("seq")
        batch = list(links[:CHUNK])
        while batch:
            by_id = {r["id"]: r for r in LogEntry.objects.filter(pk__in=[ln.log_entry_id for ln in batch]).values(*DIGEST_FIELDS)}
            for link in batch:
                row = by_id.get(link.log_entry_id)
                if (
                    old_prev is None or link.seq != expected or link.prev_hash != old_prev or row is None
                    or link_hash(old_prev, row_digest(row)) != link.hash
                ):
                    raise RuntimeError(
                        f"audit chain is already broken at link {expected}: run `jianguan audit verify` and resolve "
                        "it before this migration masks complainants' personal data (it would otherwise re-chain over it)"
                    )
                new_hash = link_hash(new_prev, row_digest(new_row(row)))
                new_links.append((link.pk, new_prev, new_hash))
                old_prev, new_prev, expected = link.hash, new_hash, expected + 1
            batch = list(links.filter(seq__gte=expected)[:CHUNK])
        if old_prev != head.hash or expected - 1 != head.seq:
            raise RuntimeError("audit chain head does not match its last link: run `jianguan audit verify` first")

    for entry_id, (changes, text, serialized) in rewrites.items():
        LogEntry.objects.filter(pk=entry_id).update(changes=changes, changes_text=text, serialized_data=serialized)
    if not new_links:
        return  # rows outside the chain (written behind the application) are masked; verify still names them
    for i in range(0, len(new_links), CHUNK):
        part = new_links[i : i + CHUNK]
        objs = [Link(pk=pk, prev_hash=prev, hash=h) for pk, prev, h in part]
        Link.objects.bulk_update(objs, ["prev_hash", "hash"])
    previous_head, new_head = head.hash, new_links[-1][2]

    # The re-chaining on record: one more audit row, on the chain head, chained after the new head.
    head_type, _ = ContentType.objects.get_or_create(app_label="core", model="auditchainhead")
    # bulk_create: no post_save, so the chain's own receiver (when the live model is used) stays out of it
    (note,) = LogEntry.objects.bulk_create([LogEntry(
        content_type=head_type, object_pk="1", object_id=1, object_repr="审计链头",
        action=1, changes={"hash": [previous_head, new_head]}, changes_text="",
        timestamp=timezone.now(),
        additional_data={
            "event": "audit_rechained", "previous_head": previous_head, "from_seq": first_seq,
            "rewritten": len(rewrites),
            "reason": "个人信息保护：投诉举报人姓名、电话在审计记录中改为去标识化（掩码）保存，自被改写的第一条记录起重新计算审计链",
        },
    )])
    row = LogEntry.objects.filter(pk=note.pk).values(*DIGEST_FIELDS).get()
    seq = head.seq + 1
    final = link_hash(new_head, row_digest(row))
    Link.objects.create(seq=seq, log_entry_id=note.pk, prev_hash=new_head, hash=final)
    Head.objects.filter(pk=1).update(seq=seq, hash=final)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_seed_rules_formats"),
        ("core", "0004_audit_chain_head"),
        ("auditlog", "0017_add_actor_email"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(mask_audit_rows, migrations.RunPython.noop)]
