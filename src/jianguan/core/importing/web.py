"""The web import of a ledger: upload -> preview (dry run, per-row errors, error report) -> confirm,
which validates the file again and writes all or nothing.

The uploaded file waits under MEDIA_ROOT/imports/<uuid>/ between preview and confirm, owned by the
uploader and marked as the ledger's, so that a token only opens its own user's file on its own
ledger's pages; it is removed once written.

One ImportPages per ledger, in the app's views; its three views go into the app's urls under the
app's own URL names. The pages extend importing/upload.html, preview.html and done.html and fill
in their texts (title, instructions, counts) through blocks.
"""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import redirect, render

from jianguan.core.errors import DomainError, PermissionDenied

from .engine import ImportResult, run_import
from .ledger import Ledger
from .registry import get_ledger
from .report import errors_path, write_error_report

ALLOWED_SUFFIXES = {".xlsx", ".csv"}
ERRORS_SHOWN = 200
GONE = "导入文件不存在或已处理"


def _upload_dir(token: uuid.UUID) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / token.hex


@dataclass(frozen=True, kw_only=True)
class ImportPages:
    """The import pages of one ledger.

    ledger: its name in the registry; run_ledger(request) gives the instance a run uses instead,
    when the ledger needs one per run (e.g. complaints: the national platform's export, which
    records the client's IP). notes(ledger, dry_run) lists what the run did beyond the counts,
    shown on the preview and done pages.
    """

    ledger: str
    headers: Sequence[str]  # the header row the upload page asks for
    upload_url: str  # URL names, namespaced: "businesses:import_upload"
    confirm_url: str
    errors_url: str
    home_url: str  # where the pages lead back to (breadcrumb, cancel, done)
    home_label: str
    upload_template: str
    preview_template: str
    done_template: str
    run_ledger: Callable[[HttpRequest], Ledger] | None = None
    notes: Callable[[Ledger, bool], list[str]] | None = None

    # ---- views ---------------------------------------------------------------------------------

    def upload(self, request):
        if refused := self._refusal(request):
            return refused
        context = self._context(headers=self.headers)
        if request.method == "POST":
            upload = request.FILES.get("file")
            suffix = Path(upload.name).suffix.lower() if upload else ""
            if upload is None:
                context["error"] = "请选择要导入的文件"
            elif suffix not in ALLOWED_SUFFIXES:
                context["error"] = f"不支持的文件类型“{suffix or upload.name}”，只能导入 .xlsx 或 .csv 文件"
            else:
                token = self._store(request, upload, suffix)
                return redirect(self.confirm_url, token=token)
        status = 400 if "error" in context else 200
        return render(request, self.upload_template, context, status=status)

    def confirm(self, request, token: uuid.UUID):
        """GET: the dry run's preview. POST: validate again and write, or show why not."""
        if refused := self._refusal(request):
            return refused
        path, meta = self._load(request, token)
        dry_run = request.method != "POST"
        ledger = self._ledger(request)
        try:
            result = run_import(ledger, path, actor=request.user, dry_run=dry_run, file_name=meta["file_name"])
        except DomainError as exc:
            return self._refused(request, exc.message)
        notes = self.notes(ledger, dry_run) if self.notes and result.accepted else []
        if dry_run or not result.accepted:
            return self._preview(request, token, path, meta, result, notes, status=200 if dry_run else 400)
        shutil.rmtree(path.parent, ignore_errors=True)
        context = self._context(result=result, notes=notes, file_name=meta["file_name"])
        return render(request, self.done_template, context)

    def errors(self, request, token: uuid.UUID):
        path, meta = self._load(request, token)
        report = errors_path(path)
        if not report.exists():
            raise Http404("该文件没有错误报告")
        name = f"{Path(meta['file_name']).stem}.errors.xlsx"
        return FileResponse(report.open("rb"), as_attachment=True, filename=name)

    # ---- helpers -------------------------------------------------------------------------------

    def _ledger(self, request) -> Ledger:
        return self.run_ledger(request) if self.run_ledger else get_ledger(self.ledger)

    def _context(self, **values) -> dict:
        return {"import_pages": self, **values}

    def _refused(self, request, message: str):
        return render(request, self.upload_template, self._context(refused=message), status=403)

    def _refusal(self, request):
        try:
            self._ledger(request).check_import(request.user)
        except PermissionDenied as exc:
            return self._refused(request, exc.message)
        return None

    def _store(self, request, upload, suffix: str) -> uuid.UUID:
        token = uuid.uuid4()
        folder = _upload_dir(token)
        folder.mkdir(parents=True, exist_ok=True)
        stored_name = f"upload{suffix}"
        with (folder / stored_name).open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        meta = {
            "ledger": self.ledger,
            "user_id": request.user.pk,
            "file_name": Path(upload.name).name,
            "stored_name": stored_name,
        }
        (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return token

    def _load(self, request, token: uuid.UUID) -> tuple[Path, dict]:
        """The stored upload and its metadata; 404 unless it exists, is this ledger's and this user's."""
        folder = _upload_dir(token)
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise Http404(GONE) from None
        if meta.get("user_id") != request.user.pk or meta.get("ledger") != self.ledger:
            raise Http404(GONE)
        return folder / meta["stored_name"], meta

    def _preview(self, request, token, path: Path, meta: dict, result: ImportResult, notes, status=200):
        if not result.accepted:
            write_error_report(path, result, errors_path(path))
        context = self._context(
            token=token,
            file_name=meta["file_name"],
            result=result,
            notes=notes,
            errors=result.errors[:ERRORS_SHOWN],
            more_errors=max(len(result.errors) - ERRORS_SHOWN, 0),
            headers=self.headers,
        )
        return render(request, self.preview_template, context, status=status)
