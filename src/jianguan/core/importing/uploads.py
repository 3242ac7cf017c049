"""Where an uploaded ledger file waits between preview and confirm: MEDIA_ROOT/imports/<token>/,
with meta.json (ledger, uploader, original name, options, when), progress.json (the run under
way, for the progress bar) and errors.json (the last run's errors, from which the errors workbook
is built when someone asks for it).

A token opens only its own user's file on its own ledger's pages. The folder goes once the file
is written; one nobody confirmed goes after the rule's hours (purge_unconfirmed, scheduled in
core/tasks.py).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .engine import ImportResult, RowError
from .limits import Limits
from .report import errors_path, write_error_report

META = "meta.json"
PROGRESS = "progress.json"
ERRORS = "errors.json"


class UploadGone(LookupError):
    """No such upload for this user and ledger (never was, someone else's, written, or purged)."""


def root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _write_json(path: Path, data) -> None:
    # Written aside and renamed: a progress poll never reads half a file.
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, path)


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@dataclass
class Upload:
    token: uuid.UUID
    folder: Path
    meta: dict

    @property
    def path(self) -> Path:
        return self.folder / self.meta["stored_name"]

    @property
    def file_name(self) -> str:
        return self.meta["file_name"]

    @property
    def options(self) -> dict:
        return self.meta.get("options") or {}

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    # ---- the run under way ---------------------------------------------------------------------

    def start(self, mode: str) -> None:
        _write_json(self.folder / PROGRESS, {"mode": mode, "done": 0, "total": None, "finished": False})

    def progress_callback(self, mode: str):
        def report(done: int, total: int | None) -> None:
            _write_json(self.folder / PROGRESS, {"mode": mode, "done": done, "total": total, "finished": False})

        return report

    def finish(self, mode: str, result: ImportResult) -> None:
        _write_json(self.folder / PROGRESS, {"mode": mode, "done": result.rows, "total": result.rows, "finished": True})
        if result.accepted:
            (self.folder / ERRORS).unlink(missing_ok=True)
        else:
            errors = [[e.row, e.column, e.reason] for e in result.errors]
            _write_json(self.folder / ERRORS, {"file_error": result.file_error, "errors": errors})
        errors_path(self.path).unlink(missing_ok=True)  # built again from these errors when asked for

    def progress(self) -> dict | None:
        return _read_json(self.folder / PROGRESS)

    # ---- the errors workbook -------------------------------------------------------------------

    def errors_workbook(self, ledger_name: str) -> Path | None:
        """FILE.errors.xlsx of the last run with errors, built on first request; None when none."""
        stored = _read_json(self.folder / ERRORS)
        if not stored:
            return None
        report = errors_path(self.path)
        if not report.exists():
            result = ImportResult(ledger=ledger_name, file_name=self.file_name, dry_run=True)
            result.file_error = stored.get("file_error")
            result.errors = [RowError(row, column, reason) for row, column, reason in stored.get("errors", [])]
            write_error_report(self.path, result, report)
        return report

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def store(upload_file, *, ledger: str, user, options: dict | None = None) -> Upload:
    token = uuid.uuid4()
    folder = root() / token.hex
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload_file.name).suffix.lower()
    stored_name = f"upload{suffix}"
    with (folder / stored_name).open("wb") as fh:
        for chunk in upload_file.chunks():
            fh.write(chunk)
    meta = {
        "ledger": ledger,
        "user_id": user.pk,
        "file_name": Path(upload_file.name).name,
        "stored_name": stored_name,
        "options": options or {},
        "uploaded_at": timezone.now().isoformat(),
    }
    _write_json(folder / META, meta)
    return Upload(token=token, folder=folder, meta=meta)


def load(token: uuid.UUID, *, ledger: str, user) -> Upload:
    folder = root() / token.hex
    meta = _read_json(folder / META)
    if not meta or meta.get("user_id") != user.pk or meta.get("ledger") != ledger:
        raise UploadGone(str(token))
    if not (folder / meta.get("stored_name", "")).is_file():
        raise UploadGone(str(token))
    return Upload(token=token, folder=folder, meta=meta)


def _uploaded_at(folder: Path) -> dt.datetime:
    meta = _read_json(folder / META) or {}
    try:
        return dt.datetime.fromisoformat(meta["uploaded_at"])
    except (KeyError, TypeError, ValueError):
        # No readable meta (an interrupted upload): judged by the folder's own time.
        return dt.datetime.fromtimestamp(folder.stat().st_mtime, tz=dt.UTC)


def purge_unconfirmed(*, now: dt.datetime | None = None) -> int:
    """Delete uploads older than the rule's hours that nobody confirmed; return how many."""
    now = now or timezone.now()
    keep = dt.timedelta(hours=Limits.in_force(timezone.localdate(now)).keep_hours)
    removed = 0
    if not root().is_dir():
        return 0
    for folder in root().iterdir():
        if not folder.is_dir():
            continue
        try:
            old = now - _uploaded_at(folder) >= keep
        except OSError:
            continue
        if old:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
