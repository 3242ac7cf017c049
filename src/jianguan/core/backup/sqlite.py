"""SQLite: a copy through the online backup API, and a restore by putting the copied file in place."""

import os
import sqlite3
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from ..errors import DomainError
from .manifest import Snapshot, read_snapshot, refuse_not_empty, tables_with_data

PART = "database.sqlite3"


def database_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def dump(dest: Path) -> Snapshot:
    """All pages in one step, so the copy is one consistent state while the web and the worker go on
    (WAL: readers and writers are not blocked), then made a self-contained file (no -wal beside it)."""
    if connection.is_in_memory_db():  # the test database
        if connection.in_atomic_block:
            # SQLite's backup of a connection from inside its own write transaction never finishes.
            raise DomainError("backup_in_transaction", "不能在数据库事务中备份")
        connection.ensure_connection()
        source, own = connection.connection, False
    else:
        # A connection of its own: it reads the last committed state (WAL) whatever Django's is doing.
        source, own = sqlite3.connect(f"{database_path().resolve().as_uri()}?mode=ro", uri=True), True
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")
        return read_snapshot(target.cursor())
    finally:
        target.close()
        if own:
            source.close()


def check_target() -> set[tuple[str, str]]:
    """Refuse a target that holds data; return the migrations applied there (none for a new file)."""
    path = database_path()
    if not path.exists() or path.stat().st_size == 0:
        return set()
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            cursor = db.cursor()
            tables = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables and "django_migrations" not in tables:
                raise refuse_not_empty("数据库", f"{path} 中有非 jianguan 的数据表")
            if found := tables_with_data(cursor, tables):
                raise refuse_not_empty("数据库", f"{path} 的 {'、'.join(found)} 表中有记录")
            applied = cursor.execute("SELECT app, name FROM django_migrations").fetchall() if tables else []
            return {tuple(row) for row in applied}
        finally:
            db.close()
    except sqlite3.DatabaseError as exc:
        raise DomainError(
            "restore_target_invalid", f"目标文件 {path} 不是可用的 SQLite 数据库（{exc}），未做任何改动", {"path": str(path)}
        ) from None


def staging_parent() -> Path:
    """The copy is staged beside the target, so that putting it in place is one rename."""
    parent = database_path().parent
    parent.mkdir(parents=True, exist_ok=True)
    return parent


def install(staged: Path) -> None:
    path = database_path()
    connections.close_all()
    # The target held no data (checked); its journal files belong to it and would be wrong for the new file.
    for suffix in ("-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.replace(staged, path)
