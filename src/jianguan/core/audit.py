"""Hash chain over auditlog's LogEntry rows, and its verification.

Each LogEntry gets a link (`AuditChainLink`) whose hash covers the entry's stored content and the
previous link's hash; `AuditChainHead` holds the last link. So:
- an edited entry no longer matches its own link;
- a deleted entry leaves a link pointing at nothing;
- an entry deleted together with its link leaves a gap in the sequence (or, at the end, a chain
  shorter than the head says);
- an entry written behind the application's back has no link.

The digest is computed from the row as the database returns it (re-read after insert), in a
canonical form — timestamps as UTC ISO text with microseconds, the object key as text, IP
addresses normalised, JSON with sorted keys — so it is the same on SQLite and PostgreSQL
(jsonb reorders keys; in memory auditlog holds the object key as an int, the column as text).

Limits: someone who can rewrite the database can also recompute every later link and the head;
record the head hash (`jianguan audit verify --show-head`) outside the database to catch that.
Writes that bypass signals (`bulk_create` of LogEntry) must call `chain_entries(ids)`.
"""

import contextlib
import datetime as dt
import hashlib
import ipaddress
import json
from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import (
    AuditChainHead,
    AuditChainLink,
    CalendarDay,
    CalendarYear,
    DocumentNumberFormat,
    IssuedDocument,
    Rule,
)

GENESIS = "0" * 64
DIGEST_FIELDS = (
    "id",
    "content_type_id",
    "object_pk",
    "object_id",
    "object_repr",
    "serialized_data",
    "action",
    "changes_text",
    "changes",
    "actor_id",
    "actor_email",
    "cid",
    "remote_addr",
    "remote_port",
    "timestamp",
    "additional_data",
)

# core's own reference tables are audited like every other write
for _model in (CalendarDay, CalendarYear, Rule, DocumentNumberFormat):
    if not auditlog.contains(_model):
        auditlog.register(_model)
# An issued document's audit row names its file and hash; the rendered context stays on the row itself.
if not auditlog.contains(IssuedDocument):
    auditlog.register(IssuedDocument, exclude_fields=["context"])


def _canonical_json(value):
    """JSON columns come back as dicts/lists (or, on some paths, as the JSON text itself)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _canonical_ip(value):
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value).split("/")[0]))
    except ValueError:
        return str(value)


def _canonical_timestamp(value):
    if value is None:
        return None
    if isinstance(value, str):  # pragma: no cover - drivers return datetimes
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _int_or_none(value):
    return None if value is None else int(value)


def row_digest(row: dict) -> str:
    """SHA-256 of one LogEntry row (a `.values(*DIGEST_FIELDS)` dict) in canonical form."""
    payload = {
        "id": int(row["id"]),
        "content_type": _int_or_none(row["content_type_id"]),
        "object_pk": None if row["object_pk"] is None else str(row["object_pk"]),
        "object_id": _int_or_none(row["object_id"]),
        "object_repr": row["object_repr"],
        "serialized_data": _canonical_json(row["serialized_data"]),
        "action": _int_or_none(row["action"]),
        "changes_text": row["changes_text"] or "",
        "changes": _canonical_json(row["changes"]),
        "actor": _int_or_none(row["actor_id"]),
        "actor_email": row["actor_email"] or None,
        "cid": row["cid"] or None,
        "remote_addr": _canonical_ip(row["remote_addr"]),
        "remote_port": _int_or_none(row["remote_port"]),
        "timestamp": _canonical_timestamp(row["timestamp"]),
        "additional_data": _canonical_json(row["additional_data"]),
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def entry_digest(entry: LogEntry) -> str:
    """The digest of an entry as stored (re-read from the database, never the in-memory object)."""
    return row_digest(LogEntry.objects.filter(pk=entry.pk).values(*DIGEST_FIELDS).get())


def link_hash(prev_hash: str, digest: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{digest}".encode()).hexdigest()


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # normally created by migration 0004; tables flushed by tests lose it
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS}
        )
    return head


def chain_entries(entry_ids) -> int:
    """Append links for LogEntry rows in the given order (for writers that bypass post_save)."""
    ids = list(entry_ids)
    if not ids:
        return 0
    with transaction.atomic():
        head = _locked_head()
        rows = {row["id"]: row for row in LogEntry.objects.filter(pk__in=ids).values(*DIGEST_FIELDS)}
        seq, prev = head.seq, head.hash
        links = []
        for entry_id in ids:
            seq += 1
            new_hash = link_hash(prev, row_digest(rows[entry_id]))
            links.append(AuditChainLink(seq=seq, log_entry_id=entry_id, prev_hash=prev, hash=new_hash))
            prev = new_hash
        AuditChainLink.objects.bulk_create(links)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])
    return len(links)


CHAIN_UID = "jianguan_audit_chain"


@receiver(post_save, sender=LogEntry, dispatch_uid=CHAIN_UID)
def _chain_new_entry(sender, instance: LogEntry, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    chain_entries([instance.pk])


@dataclass
class ChainProblem:
    seq: int | None
    log_entry_id: int | None
    reason: str

    def __str__(self):
        where = f"第 {self.seq} 环" if self.seq is not None else "链外"
        entry = f"（审计记录 #{self.log_entry_id}）" if self.log_entry_id is not None else ""
        return f"{where}{entry}：{self.reason}"


@dataclass
class ChainStatus:
    count: int
    head_seq: int
    head_hash: str
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_chain(chunk: int = 2000) -> ChainStatus:
    """Walk the chain in order up to the head read at the start; stop at the first broken link."""
    head = AuditChainHead.objects.filter(pk=1).values_list("seq", "hash").first() or (0, GENESIS)
    head_seq, head_hash = head
    prev_hash, expected_seq, count = GENESIS, 1, 0

    def status(problem):
        return ChainStatus(count, head_seq, head_hash, problem)

    links = (
        AuditChainLink.objects.filter(seq__lte=head_seq)
        .order_by("seq")
        .values_list("seq", "log_entry_id", "prev_hash", "hash")
    )

    def check(batch) -> ChainProblem | None:
        nonlocal prev_hash, expected_seq, count
        rows = {
            row["id"]: row
            for row in LogEntry.objects.filter(pk__in=[link[1] for link in batch]).values(*DIGEST_FIELDS)
        }
        for seq, entry_id, link_prev, link_h in batch:
            if seq != expected_seq:
                return ChainProblem(expected_seq, None, f"缺少第 {expected_seq} 环（审计记录连同其链环被删除）")
            if link_prev != prev_hash:
                return ChainProblem(seq, entry_id, "前一哈希与上一环不符（审计链被改动）")
            row = rows.get(entry_id)
            if row is None:
                return ChainProblem(seq, entry_id, "审计记录已被删除")
            if link_hash(prev_hash, row_digest(row)) != link_h:
                return ChainProblem(seq, entry_id, "审计记录内容已被修改（或其链环哈希被改动）")
            prev_hash, expected_seq, count = link_h, seq + 1, count + 1
        return None

    batch: list[tuple] = []
    for link in links.iterator(chunk_size=chunk):
        batch.append(link)
        if len(batch) >= chunk:
            if problem := check(batch):
                return status(problem)
            batch = []
    if batch and (problem := check(batch)):
        return status(problem)

    if expected_seq - 1 != head_seq:
        return status(
            ChainProblem(expected_seq, None, f"链头记录共 {head_seq} 环，实际只有 {expected_seq - 1} 环（末尾的审计记录被删除）")
        )
    if prev_hash != head_hash:
        return status(ChainProblem(head_seq, None, "链头哈希与最后一环不符（审计链被改动）"))
    unchained = (
        LogEntry.objects.exclude(pk__in=AuditChainLink.objects.values("log_entry_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if unchained is not None:
        return status(ChainProblem(None, unchained, "审计记录未入链（绕过系统写入）"))
    return status(None)


def verify_chain(chunk: int = 2000) -> ChainProblem | None:
    """The first broken link, or None when the chain holds."""
    return check_chain(chunk).problem


@contextlib.contextmanager
def chained_at_the_end():
    """For bulk writers (the demo): audit rows written inside are chained once, in id order, when the
    block ends: the same links as row by row, without the chain's queries after every row."""
    first = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if not post_save.disconnect(sender=LogEntry, dispatch_uid=CHAIN_UID):
        yield  # not chaining now (a test turned it off): nothing to defer
        return
    try:
        yield
    finally:
        post_save.connect(_chain_new_entry, sender=LogEntry, dispatch_uid=CHAIN_UID)
    ids = list(LogEntry.objects.filter(pk__gt=first).order_by("pk").values_list("pk", flat=True))
    for i in range(0, len(ids), 2000):  # bounded IN lists
        chain_entries(ids[i : i + 2000])
