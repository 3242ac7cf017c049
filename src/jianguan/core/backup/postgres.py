"""PostgreSQL: pg_dump (custom or plain format) of the DATABASE_URL database, pg_restore or psql back.

The manifest's schema and audit head are read in a REPEATABLE READ transaction whose snapshot pg_dump
is given (`--snapshot`), so they describe exactly the rows dumped while the system keeps writing.
Connection details go to the client programs in PG* variables, never on the command line (where
`ps` would show a password).
"""

import os
import subprocess
from pathlib import Path

from django.db import connection, connections

from ..errors import DomainError
from .manifest import Snapshot, read_snapshot, refuse_not_empty, tables_with_data

PARTS = {"custom": "database.dump", "plain": "database.sql"}
OPTION_ENV = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE", "service": "PGSERVICE",
}


def client_env() -> dict[str, str]:
    s = connection.settings_dict
    env = {**os.environ, "PGDATABASE": s["NAME"], "PGCONNECT_TIMEOUT": "20"}
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    for key, var in OPTION_ENV.items():
        if s["OPTIONS"].get(key):
            env[var] = str(s["OPTIONS"][key])
    return env


def _run(args: list[str], what: str) -> None:
    try:
        result = subprocess.run(args, env=client_env(), capture_output=True, text=True)
    except FileNotFoundError:
        raise DomainError(
            "pg_client_missing", f"未找到 {args[0]}：请安装与服务器版本一致的 PostgreSQL 客户端（如 apt-get install postgresql-client）",
            {"program": args[0]},
        ) from None
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise DomainError(f"pg_{what}_failed", f"{args[0]} 执行失败：{detail}", {"program": args[0], "stderr": detail})


def _raw_connection():
    import psycopg

    return psycopg.connect(**connection.get_connection_params())


def dump(dest: Path, fmt: str = "custom") -> Snapshot:
    import psycopg

    with _raw_connection() as raw:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        cursor = raw.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        snapshot = read_snapshot(cursor)
        args = ["pg_dump", f"--format={fmt}", "--no-owner", "--no-privileges", f"--snapshot={snapshot_id}", f"--file={dest}"]
        if fmt == "plain":
            args += ["--clean", "--if-exists"]  # restorable into a database that was only migrated
        _run(args, "dump")
        raw.rollback()
    return snapshot


def check_target() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = {row[0] for row in cursor.fetchall()}
        name = connection.settings_dict["NAME"]
        if tables and "django_migrations" not in tables:
            raise refuse_not_empty("数据库", f"{name} 中有非 jianguan 的数据表")
        if found := tables_with_data(cursor, tables):
            raise refuse_not_empty("数据库", f"{name} 的 {'、'.join(found)} 表中有记录")
        if not tables:
            return set()
        cursor.execute("SELECT app, name FROM django_migrations")
        return {tuple(row) for row in cursor.fetchall()}


def install(staged: Path, fmt: str) -> None:
    connections.close_all()
    if fmt == "custom":
        # --clean --if-exists: a target that was only migrated has the same tables, dropped first;
        # one transaction: a failure leaves the target as it was.
        _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
              "--exit-on-error", f"--dbname={connection.settings_dict['NAME']}", str(staged)], "restore")
    else:
        _run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", str(staged)], "restore")
