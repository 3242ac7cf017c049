"""投诉举报台账 pages. The import of the national 12315 platform's export works as the business
import does: upload -> preview (dry run, per-row errors, error report) -> confirm, which validates
again and writes all or nothing. The uploaded file waits under MEDIA_ROOT/imports/<uuid>/, owned by
the uploader and marked as this ledger's, and is removed once written.

The export is a POST: an unmasked export writes a Disclosure per record, which a link must not do.
"""

import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from jianguan.core.errors import DomainError, PermissionDenied
from jianguan.core.importing import errors_path, run_export, run_import, write_error_report
from jianguan.core.middleware import client_ip

from ..choices import Category, Kind, Status
from ..privacy import PERMISSION
from ..resources import COMPLAINT_LEDGER, IMPORT_HEADERS

ALLOWED_SUFFIXES = {".xlsx", ".csv"}
ERRORS_SHOWN = 200
LEDGER = "complaints"


# ---------------------------------------------------------------- import


def _upload_dir(token: uuid.UUID) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / token.hex


def _load(request, token: uuid.UUID) -> tuple[Path, dict]:
    """The stored upload and its metadata; 404 unless it exists, is this ledger's and this user's."""
    folder = _upload_dir(token)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise Http404("导入文件不存在或已处理") from None
    if meta.get("user_id") != request.user.pk or meta.get("ledger") != LEDGER:
        raise Http404("导入文件不存在或已处理")
    return folder / meta["stored_name"], meta


def _ledger(request):
    return COMPLAINT_LEDGER.for_run(ip=client_ip(request))


def _refusal(request):
    try:
        _ledger(request).check_import(request.user)
    except PermissionDenied as exc:
        return render(request, "complaints/ledger/import_upload.html", {"refused": exc.message}, status=403)
    return None


def import_upload(request):
    if refused := _refusal(request):
        return refused
    context = {"headers": IMPORT_HEADERS}
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
                "ledger": LEDGER,
                "user_id": request.user.pk,
                "file_name": Path(upload.name).name,
                "stored_name": stored_name,
            }
            (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
            return redirect("complaints:ledger_import_confirm", token=token)
    return render(request, "complaints/ledger/import_upload.html", context, status=400 if "error" in context else 200)


def _preview(request, token, path: Path, meta: dict, result, notes: list[str], status=200):
    if not result.accepted:
        write_error_report(path, result, errors_path(path))
    context = {
        "token": token,
        "file_name": meta["file_name"],
        "result": result,
        "notes": notes,
        "errors": result.errors[:ERRORS_SHOWN],
        "more_errors": max(len(result.errors) - ERRORS_SHOWN, 0),
        "headers": IMPORT_HEADERS,
    }
    return render(request, "complaints/ledger/import_preview.html", context, status=status)


def import_confirm(request, token: uuid.UUID):
    if refused := _refusal(request):
        return refused
    path, meta = _load(request, token)
    dry_run = request.method != "POST"
    ledger = _ledger(request)
    try:
        result = run_import(ledger, path, actor=request.user, dry_run=dry_run, file_name=meta["file_name"])
    except DomainError as exc:
        return render(request, "complaints/ledger/import_upload.html", {"refused": exc.message}, status=403)
    notes = ledger.notes(dry_run=dry_run) if result.accepted else []
    if dry_run or not result.accepted:
        return _preview(request, token, path, meta, result, notes, status=200 if dry_run else 400)
    shutil.rmtree(path.parent, ignore_errors=True)
    return render(
        request, "complaints/ledger/import_done.html", {"result": result, "notes": notes, "file_name": meta["file_name"]}
    )


def import_errors(request, token: uuid.UUID):
    path, meta = _load(request, token)
    report = errors_path(path)
    if not report.exists():
        raise Http404("该文件没有错误报告")
    name = f"{Path(meta['file_name']).stem}.errors.xlsx"
    return FileResponse(report.open("rb"), as_attachment=True, filename=name)


# ---------------------------------------------------------------- export

FORMATS = [("xlsx", "Excel（.xlsx）"), ("csv", "CSV（UTF-8，Excel 可直接打开）")]


FILTERS = ("number", "respondent", "received_from", "received_to", "kind", "category", "status")


class ExportForm(forms.Form):
    """The filters of the list page (全部记录), under its names so that it can link here with its query
    string; the file format; and, for users with 查看个人信息, whether to export names and phones unmasked."""

    number = forms.CharField(label="登记编号", max_length=40, required=False)
    respondent = forms.CharField(label="被投诉举报对象", max_length=200, required=False, help_text="名称片段或统一社会信用代码")
    received_from = forms.DateField(label="登记日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label="登记日期至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *Kind.choices], required=False)
    category = forms.ChoiceField(label="所属领域", choices=[("", "全部"), *Category.choices], required=False)
    status = forms.ChoiceField(label="处理状态", choices=[("", "全部"), *Status.choices], required=False)
    format = forms.ChoiceField(label="文件格式", choices=FORMATS, initial="xlsx")
    unmasked = forms.BooleanField(
        label="导出完整的投诉举报人姓名和联系电话",
        required=False,
        help_text="默认遮蔽（张*、138****1234）。勾选后每条导出的记录都登记一次个人信息查看（用途：导出），仅限工作确需时使用。",
    )

    def __init__(self, *args, may_unmask: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_unmask:
            del self.fields["unmasked"]

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", f"结束日期 {end} 早于开始日期 {start}")
        return data

    def filters(self) -> dict:
        return {key: value for key in FILTERS if (value := self.cleaned_data.get(key))}


def export(request):
    may_unmask = request.user.has_perm(PERMISSION)
    if request.method != "POST":
        # The list page links here with its filters in the query string.
        initial = {key: value for key in FILTERS if (value := request.GET.get(key, "").strip())}
        form = ExportForm(initial=initial, may_unmask=may_unmask)
        return render(request, "complaints/ledger/export.html", {"form": form, "may_unmask": may_unmask})
    form = ExportForm(request.POST, may_unmask=may_unmask)
    if "unmasked" in request.POST and not may_unmask:
        form.add_error(None, "您没有查看投诉举报人个人信息的权限，只能导出遮蔽后的台账")
        return render(request, "complaints/ledger/export.html", {"form": form, "may_unmask": may_unmask}, status=403)
    if not form.is_valid():
        return render(request, "complaints/ledger/export.html", {"form": form, "may_unmask": may_unmask}, status=400)
    fmt = form.cleaned_data["format"]
    ledger = COMPLAINT_LEDGER.for_export(
        filters=form.filters(), unmasked=form.cleaned_data.get("unmasked", False), ip=client_ip(request)
    )
    fd, name = tempfile.mkstemp(suffix=f".{fmt}")
    os.close(fd)
    path = Path(name)
    try:
        # The Disclosures of an unmasked export stand or fall with the file.
        with transaction.atomic():
            run_export(ledger, path, actor=request.user)
        handle = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the data until the response is sent
    filename = f"投诉举报台账_{timezone.localdate():%Y%m%d}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=filename)
