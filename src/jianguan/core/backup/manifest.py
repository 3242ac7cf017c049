"""The manifest of a backup, and the checks on it and on the target that come before any write.

Reading the schema (applied migrations) and the audit chain head goes through a plain DB-API cursor,
so that it reads the snapshot being backed up (the SQLite copy, or PostgreSQL's exported snapshot)
and, on restore, a target without touching Django's connection to it.
"""

import datetime as dt
import json
import posixpath
from dataclasses import dataclass
from importlib import metadata

from django.apps import apps
from django.utils import timezone

from ..errors import DomainError
from ..models import AuditChainHead
from .archive import corrupt

FORMAT = "jianguan-backup"
FORMAT_VERSION = 1
# Rows in any of these mean the target is in use. Every write of the system leaves an audit entry, and
# a bare `jianguan migrate` fills none of them (its seeded rules and catalogues are not data of a bureau).
DATA_MODELS = (("auditlog", "LogEntry"), ("org", "User"), ("org", "OrgUnit"), ("businesses", "Business"))


def jianguan_version() -> str:
    try:
        return metadata.version("jianguan")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed (pip install -e .)
        return "unknown"


@dataclass
class Snapshot:
    """What the manifest says of the database, read inside the snapshot that was dumped."""

    schema: dict[str, list[str]]
    audit_head: dict


def read_snapshot(cursor) -> Snapshot:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    schema: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        schema.setdefault(app, []).append(name)
    cursor.execute(f'SELECT seq, hash FROM "{AuditChainHead._meta.db_table}" WHERE id = 1')
    row = cursor.fetchone()
    seq, digest = row if row else (0, "0" * 64)
    return Snapshot(schema, {"seq": int(seq), "hash": digest})


def build(*, engine: str, database: dict, snapshot: Snapshot, parts: list[dict], excluded: list[str]) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "jianguan_version": jianguan_version(),
        "engine": engine,
        "database": database,
        "schema": snapshot.schema,
        "audit_head": snapshot.audit_head,
        "media": {"files": sum(1 for p in parts if p["name"].startswith("media/")), "excluded": excluded},
        "parts": parts,
    }


def dumps(manifest: dict) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()


def loads(data: bytes) -> dict:
    try:
        manifest = json.loads(data.decode())
    except ValueError:
        raise corrupt("清单 manifest.json 无法解析") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise corrupt("清单 manifest.json 不是 jianguan 备份清单")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise DomainError(
            "backup_format", f"备份格式版本为 {manifest.get('format_version')}，本版本 jianguan 只能恢复第 {FORMAT_VERSION} 版",
            {"format_version": manifest.get("format_version")},
        )
    for part in manifest.get("parts", []):
        if part["name"].startswith("media/"):
            check_media_path(part["path"])
    return manifest


def check_media_path(path: str) -> str:
    """A relative path inside MEDIA_ROOT (a crafted manifest must not write elsewhere)."""
    normal = posixpath.normpath(path)
    if not path or path.startswith("/") or normal != path or normal.startswith("../") or normal == ".." or "\\" in path:
        raise corrupt(f"清单中的文件路径“{path}”不合法")
    return normal


def created_label(manifest: dict) -> str:
    try:
        return dt.datetime.fromisoformat(manifest["created_at"]).strftime("%Y-%m-%d %H:%M:%S")
    except (KeyError, ValueError):
        return str(manifest.get("created_at"))


def known_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


def check_schema(manifest: dict) -> list[tuple[str, str]]:
    """Refuse a backup from a newer jianguan; return the migrations this code has beyond the backup's."""
    applied = {(app, name) for app, names in manifest["schema"].items() for name in names}
    known = known_migrations()
    unknown = sorted(applied - known)
    if unknown:
        listed = "、".join(f"{app}.{name}" for app, name in unknown[:5])
        raise DomainError(
            "backup_newer_schema",
            f"备份来自较新的 jianguan（{manifest.get('jianguan_version')}），含有本版本没有的数据库迁移：{listed}。"
            "请先把 jianguan 升级到不低于备份时的版本，再恢复。",
            {"unknown": [f"{app}.{name}" for app, name in unknown]},
        )
    return sorted(known - applied)


def data_tables() -> list[str]:
    tables = []
    for app_label, model in DATA_MODELS:
        try:
            tables.append(apps.get_model(app_label, model)._meta.db_table)
        except LookupError:  # pragma: no cover - every listed app is installed
            continue
    return tables


def tables_with_data(cursor, tables_present: set[str]) -> list[str]:
    found = []
    for table in data_tables():
        if table in tables_present:
            cursor.execute(f'SELECT 1 FROM "{table}" LIMIT 1')
            if cursor.fetchone():
                found.append(table)
    return found


def refuse_not_empty(where: str, detail: str) -> DomainError:
    return DomainError(
        "restore_target_not_empty",
        f"目标{where}已有数据（{detail}），恢复只能写入空数据库，未做任何改动。"
        "请新建一个空数据库（或换一个新的 SQLite 文件路径）后再恢复。",
        {"detail": detail},
    )
