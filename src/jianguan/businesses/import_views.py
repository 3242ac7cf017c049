"""The web import of the business ledger: upload -> preview (dry run, errors) -> confirm (writes).

The uploaded file is kept under MEDIA_ROOT/imports/<uuid>/ between preview and confirm, owned by
the uploader; confirm validates it again before writing, and removes it once written.
"""

import json
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import errors_path, run_import, write_error_report

from .resources import BUSINESS_LEDGER, HEADERS

ALLOWED_SUFFIXES = {".xlsx", ".csv"}
ERRORS_SHOWN = 200


def _store_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _upload_dir(token: uuid.UUID) -> Path:
    return _store_root() / token.hex


def _load(request, token: uuid.UUID) -> tuple[Path, dict]:
    """The stored upload and its metadata; 404 unless it exists and belongs to this user."""
    folder = _upload_dir(token)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404("导入文件不存在或已处理") from None
    if meta.get("user_id") != request.user.pk:
        raise Http404("导入文件不存在或已处理")
    return folder / meta["stored_name"], meta


def _refusal(request):
    try:
        BUSINESS_LEDGER.check_import(request.user)
    except PermissionDenied as exc:
        return render(request, "businesses/import_upload.html", {"refused": exc.message}, status=403)
    return None


def import_upload(request):
    if refused := _refusal(request):
        return refused
    context = {"headers": HEADERS}
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if upload is None:
            context["error"] = "请选择要导入的文件"
        elif suffix not in ALLOWED_SUFFIXES:
            context["error"] = f"不支持的文件类型“{suffix or upload.name}”，只能导入 .xlsx 或 .csv 文件"
        else:
            token = uuid.uuid4()
            folder = _upload_dir(token)
            folder.mkdir(parents=True, exist_ok=True)
            stored_name = f"upload{suffix}"
            with (folder / stored_name).open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            meta = {
                "user_id": request.user.pk,
                "file_name": Path(upload.name).name,
                "stored_name": stored_name,
            }
            (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            return redirect("businesses:import_confirm", token=token)
    return render(
        request, "businesses/import_upload.html", context, status=400 if "error" in context else 200
    )


def _preview(request, token, path: Path, meta: dict, result, status=200):
    if not result.accepted:
        write_error_report(path, result, errors_path(path))
    context = {
        "token": token,
        "file_name": meta["file_name"],
        "result": result,
        "errors": result.errors[:ERRORS_SHOWN],
        "more_errors": max(len(result.errors) - ERRORS_SHOWN, 0),
        "headers": HEADERS,
    }
    return render(request, "businesses/import_preview.html", context, status=status)


def import_confirm(request, token: uuid.UUID):
    if refused := _refusal(request):
        return refused
    path, meta = _load(request, token)
    dry_run = request.method != "POST"
    try:
        result = run_import(
            BUSINESS_LEDGER, path, actor=request.user, dry_run=dry_run, file_name=meta["file_name"]
        )
    except DomainError as exc:
        return render(request, "businesses/import_upload.html", {"refused": exc.message}, status=403)
    if dry_run or not result.accepted:
        return _preview(request, token, path, meta, result, status=200 if dry_run else 400)
    shutil.rmtree(path.parent, ignore_errors=True)
    return render(request, "businesses/import_done.html", {"result": result, "file_name": meta["file_name"]})


def import_errors(request, token: uuid.UUID):
    path, meta = _load(request, token)
    report = errors_path(path)
    if not report.exists():
        raise Http404("该文件没有错误报告")
    name = f"{Path(meta['file_name']).stem}.errors.xlsx"
    return FileResponse(report.open("rb"), as_attachment=True, filename=name)
