import datetime as dt
import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection

from jianguan.businesses.models import Business
from jianguan.businesses.services import business_create, business_update
from jianguan.core.audit import (
    DIGEST_FIELDS,
    GENESIS,
    chain_entries,
    check_chain,
    link_hash,
    row_digest,
    verify_chain,
)
from jianguan.core.models import AuditChainHead, AuditChainLink

from ..factories import make_uscc


@pytest.fixture
def audited(org):
    """A business created and updated through the services: three audit rows or more, all chained."""
    actor = org.users.east
    business = business_create(
        actor=actor,
        ip="10.0.0.8",
        uscc=make_uscc(n=990001),  # explicit n: leaves the shared serial alone
        name="历下区审计测试商贸有限公司",
        entity_type="enterprise",
        legal_rep="张三",
        address="泉城路1号",
        subdistrict=org.subs["dongguan"],
        established_on=dt.date(2020, 5, 1),
    )
    business = business_update(actor=actor, ip="::1", pk=business.pk, version=business.version, legal_rep="李四")
    business_update(actor=actor, pk=business.pk, version=business.version, address="泉城路2号")
    return business


def business_entries(business):
    ct = ContentType.objects.get_for_model(Business)
    return list(LogEntry.objects.filter(content_type=ct, object_pk=str(business.pk)).order_by("pk"))


def sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def run_verify():
    """(exit status, output) of `jianguan audit verify`, as the command line would see them."""
    from io import StringIO

    out = StringIO()
    try:
        call_command("audit", "verify", stdout=out)
    except CommandError as exc:
        return 1, str(exc)
    return 0, out.getvalue()


def test_service_writes_are_chained_and_verify(audited):
    entries = business_entries(audited)
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.UPDATE]
    assert entries[0].actor.username == "east" and entries[0].remote_addr == "10.0.0.8"
    assert entries[1].changes["legal_rep"] == ["张三", "李四"]
    total = LogEntry.objects.count()
    assert AuditChainLink.objects.count() == total
    assert AuditChainHead.objects.get().seq == total
    status = check_chain()
    assert status.ok and status.count == total
    assert run_verify() == (0, f"OK（共 {total} 条审计记录）\n")


def test_empty_chain_is_ok(db):
    LogEntry.objects.all().delete()
    AuditChainLink.objects.all().delete()
    AuditChainHead.objects.update(seq=0, hash=GENESIS)
    assert run_verify() == (0, "OK（共 0 条审计记录）\n")


def test_edited_row_detected_and_named(audited):
    target = business_entries(audited)[1]
    changes = dict(target.changes)
    changes["legal_rep"] = ["张三", "王五"]
    sql("UPDATE auditlog_logentry SET changes = %s WHERE id = %s", [json.dumps(changes, ensure_ascii=False), target.pk])

    problem = verify_chain()
    assert problem is not None and problem.log_entry_id == target.pk
    assert "内容已被修改" in problem.reason
    code, message = run_verify()
    assert code == 1 and f"审计记录 #{target.pk}" in message and "内容已被修改" in message


@pytest.mark.parametrize("column, value", [("object_repr", "别的名称"), ("actor_id", None), ("remote_addr", "10.0.0.9")])
def test_any_edited_column_detected(audited, column, value):
    target = business_entries(audited)[0]
    sql(f"UPDATE auditlog_logentry SET {column} = %s WHERE id = %s", [value, target.pk])
    problem = verify_chain()
    assert problem and problem.log_entry_id == target.pk


def test_edited_timestamp_detected(audited):
    target = business_entries(audited)[0]
    LogEntry.objects.filter(pk=target.pk).update(timestamp=target.timestamp + dt.timedelta(microseconds=1))
    assert verify_chain().log_entry_id == target.pk


def test_deleted_row_detected(audited):
    target = business_entries(audited)[1]
    sql("DELETE FROM auditlog_logentry WHERE id = %s", [target.pk])
    problem = verify_chain()
    assert problem.log_entry_id == target.pk and "已被删除" in problem.reason
    code, message = run_verify()
    assert code == 1 and f"审计记录 #{target.pk}" in message


def test_deleted_row_and_its_link_detected(audited):
    target = business_entries(audited)[1]
    link = AuditChainLink.objects.get(log_entry_id=target.pk)
    sql("DELETE FROM auditlog_logentry WHERE id = %s", [target.pk])
    sql("DELETE FROM core_auditchainlink WHERE id = %s", [link.pk])
    problem = verify_chain()
    assert problem.seq == link.seq and "缺少" in problem.reason


def test_deleted_last_row_and_link_detected(audited):
    last = AuditChainLink.objects.order_by("-seq").first()
    sql("DELETE FROM auditlog_logentry WHERE id = %s", [last.log_entry_id])
    sql("DELETE FROM core_auditchainlink WHERE id = %s", [last.pk])
    problem = verify_chain()
    assert problem is not None and "末尾" in problem.reason
    assert run_verify()[0] == 1


def test_entry_without_link_detected(audited):
    ct = ContentType.objects.get_for_model(Business)
    LogEntry.objects.bulk_create(  # bulk_create sends no post_save: the chain never hears of it
        [LogEntry(content_type=ct, object_pk=str(audited.pk), object_repr="伪造", action=LogEntry.Action.UPDATE)]
    )
    forged = LogEntry.objects.order_by("-pk").first()
    problem = verify_chain()
    assert problem.log_entry_id == forged.pk and "未入链" in problem.reason

    chain_entries([forged.pk])  # a legitimate bulk writer chains what it wrote
    assert verify_chain() is None


def test_raw_sql_insert_without_link_detected(audited):
    ct = ContentType.objects.get_for_model(Business)
    sql(
        "INSERT INTO auditlog_logentry (content_type_id, object_pk, object_repr, action, changes_text, timestamp)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        [ct.pk, str(audited.pk), "伪造", 1, "", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)],
    )
    assert "未入链" in verify_chain().reason


def test_edit_with_recomputed_link_detected_at_next_link(audited):
    """Editing a row and recomputing its own link still breaks the chain at the following link."""
    links = list(AuditChainLink.objects.order_by("seq"))
    sql("UPDATE auditlog_logentry SET object_repr = %s WHERE id = %s", ["改过的名称", links[1].log_entry_id])
    row = LogEntry.objects.filter(pk=links[1].log_entry_id).values(*DIGEST_FIELDS).get()
    forged = link_hash(links[1].prev_hash, row_digest(row))
    sql("UPDATE core_auditchainlink SET hash = %s WHERE id = %s", [forged, links[1].pk])
    problem = verify_chain()
    assert problem.seq == links[2].seq and "前一哈希" in problem.reason


def test_digest_is_canonical_across_backends():
    """What SQLite and PostgreSQL may hand back differently must hash the same."""
    base = {
        "id": 7,
        "content_type_id": 3,
        "object_pk": "12",
        "object_id": 12,
        "object_repr": "某公司",
        "serialized_data": None,
        "action": 1,
        "changes_text": "",
        "changes": {"b": ["1", "2"], "a": [None, "张三"]},
        "actor_id": 5,
        "actor_email": None,
        "cid": None,
        "remote_addr": "::1",
        "remote_port": None,
        "timestamp": dt.datetime(2026, 11, 25, 3, 4, 5, 123456, tzinfo=dt.UTC),
        "additional_data": None,
    }
    shanghai = dt.timezone(dt.timedelta(hours=8))
    variant = {
        **base,
        "object_pk": 12,  # in memory auditlog keeps the int
        "changes": json.dumps({"a": [None, "张三"], "b": ["1", "2"]}, ensure_ascii=False),  # text, other key order
        "remote_addr": "0:0:0:0:0:0:0:1",
        "timestamp": base["timestamp"].astimezone(shanghai),
        "changes_text": None,
    }
    assert row_digest(base) == row_digest(variant)
    assert row_digest(base) != row_digest({**base, "changes": {"a": [None, "张三"], "b": ["1", 2]}})


def test_verify_command_raises_command_error(audited):
    """CommandError is what makes `jianguan audit verify` exit with status 1 on the command line."""
    target = business_entries(audited)[0]
    sql("DELETE FROM auditlog_logentry WHERE id = %s", [target.pk])
    with pytest.raises(CommandError, match="审计链断裂"):
        call_command("audit", "verify")
