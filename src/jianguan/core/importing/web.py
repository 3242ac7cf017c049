"""The web import of every ledger registered for import (registry.py), under /imports/:

  /imports/                         the ledgers this user may import (each ledger's check_import)
  /imports/<ledger>/                upload (size held to the rule while the body streams in)
  /imports/<ledger>/<token>/        GET: preview (dry run, per-row errors); POST: confirm, which
                                    validates again and writes all or nothing
  /imports/<ledger>/<token>/run/    htmx: run a long file's check or write in this request …
  /imports/<ledger>/<token>/progress/  … while the page polls its progress here
  /imports/<ledger>/<token>/errors/ the errors workbook, built when asked for

A ledger brings no page code: titles, instructions, counts, options and the links to its own list
come from the Ledger (ledger.py). Small files are checked within the page's own request; files
past INLINE_BYTES show a progress bar and run in a request htmx sends on load, so nothing on the
page is script of its own (the Content-Security-Policy forbids inline script). Without JavaScript,
confirming still works in one request.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip

from . import uploads
from .engine import run_import
from .ledger import Ledger
from .limits import Limits, too_large
from .registry import get_ledger, ledger_names

ALLOWED_SUFFIXES = {".xlsx", ".csv"}
ERRORS_SHOWN = 200
# Files larger than this (bytes) are run from the page by htmx with a progress bar; smaller ones
# answer within the page's own request, as a person waits for any page.
INLINE_BYTES = 256 * 1024
HTMX_STOP_POLLING = 286


# ---------------------------------------------------------------- ledgers and refusals


def _ledger(request, name: str, options: dict | None = None) -> Ledger:
    """The ledger a run on these pages uses (404 for a name nobody registered)."""
    try:
        registered = get_ledger(name)
    except LookupError:
        raise Http404("没有这个台账") from None
    allowed = {key for key, _ in registered.import_options}
    chosen = {key: value for key, value in (options or {}).items() if key in allowed}
    return registered.for_run(ip=client_ip(request), **chosen)


def _refusal(ledger: Ledger, user) -> str | None:
    try:
        ledger.check_import(user)
    except DomainError as exc:  # PermissionDenied, or a ledger that is export only
        return exc.message
    return None


def importable(user) -> list[tuple[str, Ledger]]:
    """(name, ledger) of every registered ledger this user may import, by title."""
    found = []
    for name in ledger_names():
        ledger = get_ledger(name).for_run()
        if _refusal(ledger, user) is None:
            found.append((name, ledger))
    return sorted(found, key=lambda item: item[1].title)


def _context(name: str, ledger: Ledger, **values) -> dict:
    counts = [(label, attr) for attr, label in ledger.count_labels]
    return {"ledger_name": name, "ledger": ledger, "count_attrs": counts, **values}


def _page(request, name, ledger, template, status=200, **values):
    return render(request, template, _context(name, ledger, **values), status=status)


def _load(request, name: str, token: uuid.UUID) -> uploads.Upload:
    try:
        return uploads.load(token, ledger=name, user=request.user)
    except uploads.UploadGone:
        raise Http404("导入文件不存在或已处理") from None


# ---------------------------------------------------------------- the list


@require_GET
def ledger_list(request):
    return render(request, "importing/list.html", {"entries": importable(request.user)})


# ---------------------------------------------------------------- upload


class _SizeLimit(FileUploadHandler):
    """Stops reading a file part past the limit, so an oversized upload never reaches the disk."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)  # the rest of the body is read and dropped
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler makes the file


@csrf_exempt  # the upload handler must be in place before the CSRF check reads the body
def upload(request, ledger: str):
    limits = Limits.in_force()
    handler = None
    if request.method == "POST":
        handler = _SizeLimit(request, limits.upload_bytes)
        try:
            request.upload_handlers.insert(0, handler)
        except AttributeError:  # the body was already read; the size is checked below instead
            handler = None
    return _upload(request, ledger, handler, limits)


@csrf_protect
def _upload(request, name: str, handler: _SizeLimit | None, limits: Limits):
    ledger = _ledger(request, name)
    if refused := _refusal(ledger, request.user):
        return _page(request, name, ledger, "importing/upload.html", status=403, refused=refused)
    error = None
    if request.method == "POST":
        file = request.FILES.get("file")
        if (handler and handler.exceeded) or (file is not None and file.size > limits.upload_bytes):
            size = file.size if file is not None else int(request.META.get("CONTENT_LENGTH") or 0)
            error = too_large(max(size, limits.upload_bytes + 1), limits).message
        elif file is None:
            error = "请选择要导入的文件"
        elif (suffix := Path(file.name).suffix.lower()) not in ALLOWED_SUFFIXES:
            error = f"不支持的文件类型“{suffix or file.name}”，只能导入 .xlsx 或 .csv 文件"
        else:
            options = {key: True for key, _ in ledger.import_options if request.POST.get(key)}
            stored = uploads.store(file, ledger=name, user=request.user, options=options)
            return redirect("imports:preview", ledger=name, token=stored.token)
    return _page(
        request, name, ledger, "importing/upload.html", status=400 if error else 200, error=error,
        instructions=ledger.import_instructions(request.user), limit=limits.upload_bytes // (1024 * 1024),
    )


# ---------------------------------------------------------------- preview and confirm


def preview(request, ledger: str, token: uuid.UUID):
    """GET: the dry run's preview. POST: validate again and write, or show why not."""
    name = ledger
    stored = _load(request, name, token)
    ledger = _ledger(request, name, stored.options)
    if refused := _refusal(ledger, request.user):
        return _page(request, name, ledger, "importing/upload.html", status=403, refused=refused)
    mode = "write" if request.method == "POST" else "check"
    if request.htmx or (mode == "check" and stored.size > INLINE_BYTES):
        # A long file: the page shows a progress bar and htmx starts the run.
        stored.start(mode)
        template = "importing/_running.html" if request.htmx else "importing/page.html"
        return _page(request, name, ledger, template, fragment="importing/_running.html", mode=mode,
                     token=token, file_name=stored.file_name, title="导入预览")
    return _run(request, name, ledger, stored, mode, fragment_only=False)


@require_POST
def run(request, ledger: str, token: uuid.UUID):
    """htmx: the check or write of a long file, answered with the fragment that replaces the bar."""
    name = ledger
    stored = _load(request, name, token)
    if not request.htmx:
        return redirect("imports:preview", ledger=name, token=token)
    ledger = _ledger(request, name, stored.options)
    mode = "write" if request.POST.get("mode") == "write" else "check"
    return _run(request, name, ledger, stored, mode, fragment_only=True)


def _run(request, name, ledger, stored: uploads.Upload, mode: str, *, fragment_only: bool):
    stored.start(mode)
    try:
        result = run_import(
            ledger, stored.path, actor=request.user, dry_run=mode == "check", file_name=stored.file_name,
            progress=stored.progress_callback(mode),
        )
    except DomainError as exc:
        return _page(request, name, ledger, "importing/upload.html", status=403, refused=exc.message)
    stored.finish(mode, result)
    notes = ledger.notes(dry_run=mode == "check") if result.accepted else []
    values = {"result": result, "notes": notes, "token": stored.token, "file_name": stored.file_name,
              "long": stored.size > INLINE_BYTES, "will_write": ledger.will_write(result) if result.accepted else ""}
    if mode == "write" and result.accepted:
        stored.discard()
        fragment, title, status = "importing/_done.html", "导入完成", 200
    else:
        values.update(errors=result.errors[:ERRORS_SHOWN], more_errors=max(len(result.errors) - ERRORS_SHOWN, 0))
        fragment, title = "importing/_result.html", "导入预览"
        # A confirm that found errors is refused (400); htmx swaps only successful answers.
        status = 400 if mode == "write" and not fragment_only else 200
    template = fragment if fragment_only else "importing/page.html"
    return _page(request, name, ledger, template, status=status, fragment=fragment, title=title, **values)


@require_GET
def progress(request, ledger: str, token: uuid.UUID):
    stored = _load(request, ledger, token)
    state = stored.progress() or {"mode": "check", "done": 0, "total": None, "finished": False}
    context = {**state, "progress_url": reverse("imports:progress", args=[ledger, token])}
    response = render(request, "importing/_progress.html", context)
    if state.get("finished"):
        response.status_code = HTMX_STOP_POLLING
    return response


@require_GET
def errors(request, ledger: str, token: uuid.UUID):
    stored = _load(request, ledger, token)
    report = stored.errors_workbook(ledger)
    if report is None:
        raise Http404("该文件没有错误报告")
    name = f"{Path(stored.file_name).stem}.errors.xlsx"
    return FileResponse(report.open("rb"), as_attachment=True, filename=name)


def fixed(view, ledger: str):
    """`view` for one ledger, for the addresses a ledger had before these pages (kept working)."""

    def bound(request, **kwargs) -> HttpResponse:
        return view(request, ledger=ledger, **kwargs)

    bound.csrf_exempt = getattr(view, "csrf_exempt", False)
    return bound
