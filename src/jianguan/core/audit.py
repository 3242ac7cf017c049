"""Hash chain over auditlog's LogEntry rows, and its verification.

Each LogEntry gets a link whose hash covers the entry's content and the previous link's hash,
so an edited entry breaks its own link and a deleted one leaves a link pointing at nothing.
"""

import hashlib
import json
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import AuditChainHead, AuditChainLink

GENESIS = "0" * 64


def entry_digest(entry: LogEntry) -> str:
    payload = {
        "id": entry.pk,
        "content_type": entry.content_type_id,
        "object_pk": entry.object_pk,
        "object_repr": entry.object_repr,
        "action": entry.action,
        "changes": entry.changes,
        "actor": entry.actor_id,
        "remote_addr": entry.remote_addr,
        "timestamp": entry.timestamp.timestamp() if entry.timestamp else None,
        "additional_data": entry.additional_data,
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def link_hash(prev_hash: str, digest: str) -> str:
    return hashlib.sha256(f"{prev_hash}\n{digest}".encode()).hexdigest()


@receiver(post_save, sender=LogEntry, dispatch_uid="jianguan_audit_chain")
def _chain_new_entry(sender, instance: LogEntry, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        seq = head.seq + 1
        new_hash = link_hash(head.hash, entry_digest(instance))
        AuditChainLink.objects.create(seq=seq, log_entry_id=instance.pk, prev_hash=head.hash, hash=new_hash)
        head.seq, head.hash = seq, new_hash
        head.save(update_fields=["seq", "hash"])


@dataclass
class ChainProblem:
    seq: int | None
    log_entry_id: int | None
    reason: str

    def __str__(self):
        where = f"第 {self.seq} 环" if self.seq is not None else "链外"
        return f"{where}（审计记录 {self.log_entry_id}）：{self.reason}"


def verify_chain(chunk: int = 2000) -> ChainProblem | None:
    """Walk the chain in order; return the first broken link, or None when the chain holds."""
    prev_hash, expected_seq = GENESIS, 1
    links = AuditChainLink.objects.order_by("seq").values_list("seq", "log_entry_id", "prev_hash", "hash")
    batch: list[tuple] = []

    def check(batch) -> ChainProblem | None:
        nonlocal prev_hash, expected_seq
        entries = LogEntry.objects.in_bulk([row[1] for row in batch])
        for seq, entry_id, link_prev, link_h in batch:
            if seq != expected_seq:
                return ChainProblem(expected_seq, None, f"缺少第 {expected_seq} 环（审计链被截断或删除）")
            if link_prev != prev_hash:
                return ChainProblem(seq, entry_id, "前一哈希与上一环不符（审计链被改动）")
            entry = entries.get(entry_id)
            if entry is None:
                return ChainProblem(seq, entry_id, "审计记录已被删除")
            if link_hash(prev_hash, entry_digest(entry)) != link_h:
                return ChainProblem(seq, entry_id, "审计记录内容已被修改")
            prev_hash, expected_seq = link_h, seq + 1
        return None

    for row in links.iterator(chunk_size=chunk):
        batch.append(row)
        if len(batch) >= chunk:
            if problem := check(batch):
                return problem
            batch = []
    if batch and (problem := check(batch)):
        return problem

    head = AuditChainHead.objects.filter(pk=1).first()
    if head and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainProblem(head.seq, None, "链尾与链头记录不符（末尾的审计记录被删除）")
    unchained = LogEntry.objects.exclude(pk__in=AuditChainLink.objects.values("log_entry_id")).order_by("pk").first()
    if unchained:
        return ChainProblem(None, unchained.pk, "审计记录未入链（绕过系统写入）")
    return None
