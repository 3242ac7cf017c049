"""`jianguan backup` and `jianguan restore`, as an administrator runs them: a small demo district is
backed up, restored into another database (in other processes, with DATABASE_URL and JIANGUAN_VAR_DIR
of their own), and the restored system keeps its audit chain, its ledgers and its uploaded files.

The engine is the suite's: SQLite normally, PostgreSQL in CI's second pass (DATABASE_URL pointing at
PostgreSQL), where the databases are created next to the test database and dropped afterwards."""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.db import connection
from openpyxl import load_workbook

from .backup_demo import LEDGERS

ENGINE = "postgresql" if connection.vendor == "postgresql" else "sqlite"
JIANGUAN = str(Path(sys.executable).with_name("jianguan"))
DEMO_SCRIPT = str(Path(__file__).with_name("backup_demo.py"))


class Site:
    """One installation: its own database and var directory (media, secret key)."""

    def __init__(self, var: Path, url: str):
        self.var, self.url = var, url
        self.env = {**os.environ, "DATABASE_URL": url, "JIANGUAN_VAR_DIR": str(var)}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run([JIANGUAN, *args], env=self.env, capture_output=True, text=True, timeout=900)
        if ok:
            assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result

    def script(self, *args: str) -> str:
        result = subprocess.run([sys.executable, DEMO_SCRIPT, *args], env=self.env, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
        return result.stdout

    def media_files(self) -> set[str]:
        media = self.var / "media"
        return {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()} if media.exists() else set()


def _pg_admin():
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(dbname="postgres", user=s["USER"], password=s["PASSWORD"] or None, host=s["HOST"] or None,
                           port=s["PORT"] or None, autocommit=True)


def _pg_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


@pytest.fixture(scope="module")
def new_site(tmp_path_factory):
    """Makes empty installations (a fresh SQLite path, or a freshly created PostgreSQL database)."""
    created: list[str] = []

    def make(label: str) -> Site:
        var = tmp_path_factory.mktemp(label)
        if ENGINE == "sqlite":
            return Site(var, f"sqlite:///{var / 'jianguan.sqlite3'}")
        name = f"jgbk_{label}_{uuid.uuid4().hex[:8]}"
        with _pg_admin() as admin:
            admin.execute(f"CREATE DATABASE {name}")
        created.append(name)
        return Site(var, _pg_url(name))

    yield make
    if created:
        with _pg_admin() as admin:
            for name in created:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _has_tables(site: Site) -> bool:
    if ENGINE == "sqlite":
        return Path(site.url.removeprefix("sqlite:///")).exists()
    import psycopg

    with psycopg.connect(site.url.replace("postgres://", "postgresql://")) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] > 0


@pytest.fixture(scope="module")
def source(new_site, tmp_path_factory):
    site = new_site("source")
    site.script("build")
    backup = tmp_path_factory.mktemp("backups") / "jianguan.tar"
    result = site.run("backup", "-o", str(backup))
    assert backup.exists() and "备份" in result.stdout
    return site, backup


def _ledger_cells(path: Path) -> list[list]:
    sheet = load_workbook(path, read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_restored_elsewhere_the_audit_chain_holds_and_every_ledger_is_identical(source, new_site, tmp_path):
    site, backup = source
    target = new_site("target")
    if ENGINE == "sqlite":
        target.run("migrate", "--no-input")  # migrated but holding no data counts as empty
    result = target.run("restore", str(backup))
    assert "已恢复" in result.stdout, result.stdout

    verified = target.run("audit", "verify", "--show-head").stdout
    assert verified.startswith("OK") and verified == site.run("audit", "verify", "--show-head").stdout
    manifest = json.loads(tarfile.open(backup).extractfile("manifest.json").read())
    assert f"第 {manifest['audit_head']['seq']} 环 {manifest['audit_head']['hash']}" in verified
    assert manifest["engine"] == ENGINE and manifest["schema"]["core"][0] == "0001_initial"
    assert {"created_at", "jianguan_version", "parts"} <= set(manifest)

    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    before = json.loads(site.script("ledgers", str(tmp_path / "a")))
    after = json.loads(target.script("ledgers", str(tmp_path / "b")))
    for ledger in LEDGERS:
        cells = _ledger_cells(tmp_path / "a" / f"{ledger}.xlsx")
        assert len(cells) > 1, f"{ledger}: the demo should fill every ledger"
        assert _ledger_cells(tmp_path / "b" / f"{ledger}.xlsx") == cells, ledger

    # Uploaded files come back, checked against the sha256 their rows hold; unconfirmed uploads do not.
    assert before["attachments"] and after == before and all(after["attachments"].values())
    assert any(name.startswith("imports/") for name in site.media_files())
    assert target.media_files() == {name for name in site.media_files() if not name.startswith("imports/")}


def test_the_other_kind_of_empty_target_and_plain_sql(source, new_site, tmp_path):
    """The first test restores into a migrated SQLite file and a new PostgreSQL database; this one the
    other way round, and on PostgreSQL from a backup in pg_dump's plain SQL format (restored by psql)."""
    site, _ = source
    backup = tmp_path / "plain.tar"
    site.run("backup", "-o", str(backup), "--pg-format", "plain")
    with tarfile.open(backup) as tar:
        assert (ENGINE == "sqlite") == ("database.sqlite3" in tar.getnames())
        assert (ENGINE == "postgresql") == ("database.sql" in tar.getnames())
    target = new_site("other")
    if ENGINE == "postgresql":
        target.run("migrate", "--no-input")
    assert "审计链校验通过" in target.run("restore", str(backup)).stdout
    assert target.run("audit", "verify", "--show-head").stdout == site.run("audit", "verify", "--show-head").stdout


def _tampered(backup: Path, where: str, tmp_path: Path) -> Path:
    with tarfile.open(backup) as tar:
        members = {m.name: m for m in tar.getmembers()}
    database = next(m for name, m in members.items() if name.startswith("database"))
    offsets = {
        "database": database.offset_data + database.size // 2,
        "manifest": members["manifest.json"].offset_data + 20,
        "header": database.offset + 10,  # a byte of the file name in the tar header
        "tail": backup.stat().st_size - 1,  # the zero blocks that end the archive
    }
    copy = tmp_path / f"tampered-{where}.tar"
    shutil.copy(backup, copy)
    with open(copy, "r+b") as f:
        f.seek(offsets[where])
        byte = f.read(1)
        f.seek(offsets[where])
        f.write(bytes([byte[0] ^ 0x01]))
    return copy


@pytest.mark.parametrize("where", ["database", "manifest", "header", "tail"])
def test_a_backup_with_one_byte_changed_is_refused_and_nothing_is_written(source, new_site, tmp_path, where):
    _, backup = source
    target = new_site(f"tampered_{where}")
    result = target.run("restore", str(_tampered(backup, where, tmp_path)), ok=False)
    assert result.returncode != 0
    assert "备份文件已损坏或被改动" in result.stderr, result.stderr
    assert not _has_tables(target) and not target.media_files()


def test_restore_refuses_a_database_that_holds_data(source):
    site, backup = source
    result = site.run("restore", str(backup), ok=False)
    assert result.returncode != 0 and "已有数据" in result.stderr, result.stderr
    assert site.run("audit", "verify").stdout.startswith("OK")


def test_dry_run_checks_without_restoring(source, new_site):
    _, backup = source
    target = new_site("dry")
    result = target.run("restore", str(backup), "--dry-run")
    assert "校验通过" in result.stdout, result.stdout
    assert not _has_tables(target) and not target.media_files()


def test_help_and_errors_are_chinese(source, tmp_path):
    site, _ = source
    assert "备份" in site.run("backup", "--help").stdout
    assert "恢复" in site.run("restore", "--help").stdout
    missing = site.run("restore", str(tmp_path / "none.tar"), ok=False)
    assert missing.returncode != 0 and "找不到备份文件" in missing.stderr
    (tmp_path / "junk.tar").write_bytes(b"not a backup" * 100)
    junk = site.run("restore", str(tmp_path / "junk.tar"), ok=False)
    assert junk.returncode != 0 and "不是 jianguan 备份文件" in junk.stderr, junk.stderr
