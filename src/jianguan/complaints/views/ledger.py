"""投诉举报台账 pages. The import of the national 12315 platform's export is the web import of every
ledger (jianguan.core.importing.web, wired in urls_ledger.py).

The export is a POST: an unmasked export writes a Disclosure per record, which a link must not do.
"""

import os
import tempfile
from pathlib import Path

from django import forms
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from jianguan.core.importing import run_export
from jianguan.core.middleware import client_ip

from ..choices import Category, Kind, Status
from ..privacy import PERMISSION
from ..resources import COMPLAINT_LEDGER

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
