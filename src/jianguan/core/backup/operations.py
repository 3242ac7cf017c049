"""Making a backup of this installation and restoring one into an empty installation."""

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, connections

from ..audit import ChainStatus, check_chain
from ..errors import DomainError
from . import manifest as mf
from . import postgres, sqlite
from .archive import MANIFEST, SUMS, ArchiveWriter, corrupt, media_name, parse_sums, read_members

# Uploads wait under MEDIA_ROOT/imports/ between preview and confirm (core.importing.web) and are
# deleted after a day unconfirmed: a restored system could not resume them, so they are left out.
EXCLUDED_MEDIA = ("imports",)
ENGINE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _engine() -> str:
    if connection.vendor not in ENGINE_LABELS:  # pragma: no cover - settings allow only these two
        raise DomainError("backup_engine", f"不支持备份 {connection.vendor} 数据库（仅支持 SQLite 与 PostgreSQL）")
    return connection.vendor


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def media_files() -> list[tuple[str, Path]]:
    """(path relative to MEDIA_ROOT, file) for every uploaded file, in a stable order."""
    root = media_root()
    found: list[tuple[str, Path]] = []
    if not root.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if here == root:
            dirnames[:] = [d for d in dirnames if d not in EXCLUDED_MEDIA]
        dirnames.sort()
        for name in sorted(filenames):
            path = here / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return found


def create_backup(output: Path, *, pg_format: str = "custom") -> dict:
    """Write the backup file at `output` (never over an existing file); returns its manifest."""
    engine = _engine()
    output = Path(output).absolute()
    if output.exists():
        raise DomainError("backup_exists", f"备份文件 {output} 已存在，不覆盖；请换一个文件名", {"path": str(output)})
    if not output.parent.is_dir():
        raise DomainError("backup_dir_missing", f"目录 {output.parent} 不存在，请先创建", {"path": str(output.parent)})
    partial = output.with_name(output.name + ".part")
    with tempfile.TemporaryDirectory(prefix=".jianguan-backup-", dir=output.parent) as tmp:
        if engine == "sqlite":
            part, database = sqlite.PART, {"format": "sqlite"}
            snapshot = sqlite.dump(Path(tmp) / part)
        else:
            part, database = postgres.PARTS[pg_format], {"format": f"pg_{pg_format}"}
            snapshot = postgres.dump(Path(tmp) / part, pg_format)
        database["part"] = part
        writer = ArchiveWriter(partial, time.time())
        try:
            size, digest = writer.add_file(part, Path(tmp) / part)
            parts = [{"name": part, "size": size, "sha256": digest}]
            for relative, path in media_files():
                name = media_name(len(parts))
                try:
                    size, digest = writer.add_file(name, path)
                except FileNotFoundError:
                    continue  # deleted since it was listed
                parts.append({"name": name, "path": relative, "size": size, "sha256": digest})
            manifest = mf.build(engine=engine, database=database, snapshot=snapshot, parts=parts,
                                excluded=[f"{d}/" for d in EXCLUDED_MEDIA])
            writer.add_bytes(MANIFEST, mf.dumps(manifest))
            writer.close()
            with open(partial, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(partial, output)
        except BaseException:
            writer.tar.close()
            partial.unlink(missing_ok=True)
            raise
    return manifest


@dataclass
class Restored:
    manifest: dict
    media: int
    pending: list[tuple[str, str]] = field(default_factory=list)
    chain: ChainStatus | None = None


def _verified(path: Path, staging: Path) -> tuple[dict, dict]:
    """Every member read, hashed and checked against SHA256SUMS and the manifest; nothing written yet."""
    members = {m.name: m for m in read_members(path, staging)}
    sums = parse_sums(members[SUMS].staged.read_bytes())
    if sums.get(MANIFEST) != members[MANIFEST].sha256:
        raise corrupt("清单 manifest.json 的 SHA-256 与 SHA256SUMS 不符")
    manifest = mf.loads(members[MANIFEST].staged.read_bytes())
    parts = {p["name"]: p for p in manifest["parts"]}
    if len(parts) != len(manifest["parts"]) or set(parts) | {MANIFEST} != set(sums) or set(members) != set(sums) | {SUMS}:
        raise corrupt("归档中的文件与清单不一致")
    for name, part in parts.items():
        member = members[name]
        if member.sha256 != part["sha256"] or member.sha256 != sums[name] or member.size != part["size"]:
            raise corrupt(f"“{part.get('path', name)}”的 SHA-256 与清单不符")
    if manifest["database"]["part"] not in parts:
        raise corrupt("清单中没有数据库部分")
    return manifest, members


def _check_media_target() -> None:
    existing = [relative for relative, _ in media_files()]
    if existing:
        raise mf.refuse_not_empty("上传文件目录", f"{media_root()} 中已有 {len(existing)} 个文件，如 {existing[0]}")


def restore_backup(path: Path, *, dry_run: bool = False) -> Restored:
    """Verify the whole file, check that the target is empty and compatible, then restore."""
    path = Path(path)
    if not path.is_file():
        raise DomainError("backup_missing", f"找不到备份文件 {path}", {"path": str(path)})
    engine = _engine()
    staging_parent = sqlite.staging_parent() if engine == "sqlite" else Path(settings.VAR_DIR)
    with tempfile.TemporaryDirectory(prefix=".jianguan-restore-", dir=staging_parent) as tmp:
        manifest, members = _verified(path, Path(tmp))
        if manifest["engine"] != engine:
            raise DomainError(
                "restore_engine_mismatch",
                f"备份来自 {ENGINE_LABELS.get(manifest['engine'], manifest['engine'])} 数据库，"
                f"而 DATABASE_URL 指向 {ENGINE_LABELS[engine]}；只能恢复到同一种数据库",
                {"backup": manifest["engine"], "target": engine},
            )
        pending = mf.check_schema(manifest)
        applied_here = (sqlite.check_target if engine == "sqlite" else postgres.check_target)()
        in_backup = {(app, name) for app, names in manifest["schema"].items() for name in names}
        if applied_here - in_backup:
            raise DomainError(
                "restore_target_newer",
                "目标数据库已按比备份更新的版本建表（虽无数据），请改用一个新建的空数据库再恢复，未做任何改动",
                {"extra": sorted(f"{a}.{n}" for a, n in applied_here - in_backup)},
            )
        _check_media_target()
        media_parts = [p for p in manifest["parts"] if p["name"].startswith("media/")]
        result = Restored(manifest=manifest, media=len(media_parts), pending=pending)
        if dry_run:
            return result

        staged_db = members[manifest["database"]["part"]].staged
        if engine == "sqlite":
            sqlite.install(staged_db)
        else:
            postgres.install(staged_db, manifest["database"]["format"].removeprefix("pg_"))
        root = media_root()
        for part in media_parts:
            target = root / mf.check_media_path(part["path"])
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(members[part["name"]].staged, target)

    connections.close_all()
    with connection.cursor() as cursor:
        restored = mf.read_snapshot(cursor)
    if restored.audit_head != manifest["audit_head"]:
        raise DomainError(
            "restore_head_mismatch",
            f"恢复后的审计链头（第 {restored.audit_head['seq']} 环）与备份清单（第 {manifest['audit_head']['seq']} 环）不符",
            {"restored": restored.audit_head, "manifest": manifest["audit_head"]},
        )
    if not pending:  # with migrations to apply, the models may not match the tables yet
        result.chain = check_chain()
    return result

