"""Public pages of 投诉举报: anyone may file a complaint, report or inquiry without logging in, and
follow it later with the registration number and the query code shown once on the receipt.

What the public may see of an item is deliberately narrow: the tracking page shows its kind, state,
dates and the running deadline, never a name, a phone, the text, the respondent or a staff member:
whoever holds a number and a code may be someone other than the person who filed it.

Both pages are rate limited per client (core.ratelimit): submitting in the "complaints_submit" bucket,
looking up in "complaints_track"; the rates are set in JIANGUAN_RATE_LIMITS.
"""

import hmac
import math
import re

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.ratelimit import hit, rate_for, rate_limit
from jianguan.core.rules import rule_value
from jianguan.org.choices import OrgKind
from jianguan.org.models import OrgUnit, Subdistrict

from ..choices import Channel, Kind, Status
from ..models import Complaint
from ..selectors import RUNNING_CLOCK
from ..services.intake import complaint_receive, query_digest

SUBMIT_BUCKET, SUBMIT_RATE = "complaints_submit", "5/600s"
TRACK_BUCKET, TRACK_RATE = "complaints_track", "30/600s"
rate_for(SUBMIT_BUCKET, SUBMIT_RATE)  # a malformed configured rate fails at start-up, not on a request
rate_for(TRACK_BUCKET, TRACK_RATE)

UNKNOWN_SUBDISTRICT = "不清楚"
# Service fields that have another name on the form.
FORM_FIELD = {"subdistrict_text": "subdistrict"}
NOT_FOUND = "登记编号或查询码不正确，请核对后重新输入（查询码不区分大小写）。"
DEADLINE_LABEL = {
    "accept_due": "受理期限",
    "mediation_due": "调解期限",
    "notify_due": "告知期限",
    "filing_due": "核查处理期限",
}
CLOCK_STOPPED = {
    Status.ODR: "企业自行和解期间不计入办理时限",
    Status.PAUSED: "检测、鉴定期间暂停计时",
}
CODE_SEPARATORS = re.compile(r"[\s\-－]+")


def _bureau_name() -> str:
    return OrgUnit.objects.filter(kind=OrgKind.BUREAU).order_by("pk").values_list("name", flat=True).first() or "市场监督管理局"


def _render(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"complaints/public/{template}", {"bureau_name": _bureau_name(), **context}, status=status)


def _wait_text(seconds: int) -> str:
    return f"{seconds} 秒" if seconds < 60 else f"约 {math.ceil(seconds / 60)} 分钟"


def _limited(response: HttpResponse, wait: int) -> HttpResponse:
    response["Retry-After"] = str(wait)
    return response


def _no_store(response: HttpResponse) -> HttpResponse:
    # The receipt holds the query code and the tracking answer a record's state: keep neither in caches.
    response["Cache-Control"] = "no-store"
    return response


class SubmitForm(forms.Form):
    """What a member of the public writes. The rules of what an item must contain live in the intake
    service (one place for every channel); the form only carries the text there and back."""

    kind = forms.ChoiceField(
        label="类型", choices=Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "类型：请选择投诉、举报或咨询", "invalid_choice": "类型：请选择投诉、举报或咨询"},
        help_text="投诉：与经营者发生消费纠纷，请求调解；举报：反映经营者违法行为；咨询：询问政策法规。",
    )
    respondent_name = forms.CharField(
        label="被投诉举报对象名称", required=False, widget=forms.TextInput(attrs={"maxlength": 200}),
        help_text="商店、公司或个体工商户的名称（招牌名称也可）。咨询可不填。",
    )
    respondent_uscc = forms.CharField(
        label="统一社会信用代码", required=False, widget=forms.TextInput(attrs={"maxlength": 30, "autocomplete": "off"}),
        help_text="选填。18 位，一般印在营业执照或发票上。",
    )
    respondent_address = forms.CharField(
        label="对象地址", required=False, widget=forms.TextInput(attrs={"maxlength": 300}),
        help_text="经营场所地址，用于确定承办的市场监管所。",
    )
    subdistrict = forms.ChoiceField(label="所属街道", required=False, help_text="经营场所所在的街道；不清楚可选“不清楚”。")
    content = forms.CharField(
        label="诉求内容", widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "诉求内容：不能为空"},
        help_text="请写明时间、经过、商品或服务、您的具体要求。",
    )
    amount = forms.CharField(
        label="涉及金额（元）", required=False, widget=forms.TextInput(attrs={"maxlength": 20, "inputmode": "decimal"}),
        help_text="选填，如 25.80。",
    )
    anonymous = forms.BooleanField(
        label="匿名举报", required=False,
        help_text="仅举报可以匿名。勾选后不保存下面填写的姓名和电话，也就无法收到处理结果告知。",
    )
    complainant_name = forms.CharField(label="姓名", required=False, widget=forms.TextInput(attrs={"maxlength": 50}))
    complainant_phone = forms.CharField(
        label="联系电话", required=False,
        widget=forms.TextInput(attrs={"maxlength": 20, "inputmode": "tel", "autocomplete": "tel"}),
        help_text="投诉须留下姓名和联系电话，以便调解和告知；手机号或固定电话（如 0531-88881234）。",
    )

    def __init__(self, *args, content_limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        names = list(Subdistrict.objects.order_by("code").values_list("name", flat=True))
        self.fields["subdistrict"].choices = [("", UNKNOWN_SUBDISTRICT)] + [(n, n) for n in names]
        self.fields["content"].widget.attrs["maxlength"] = content_limit
        self.fields["content"].help_text += f"不超过 {content_limit} 字。"

    def clean(self):
        data = super().clean()
        if data.get("anonymous") and data.get("kind") and data["kind"] != Kind.REPORT:
            self.add_error("anonymous", "只有举报可以匿名提交；投诉须留下姓名和联系电话，咨询可不勾选直接提交")
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        anonymous = data["anonymous"] and data["kind"] == Kind.REPORT
        return {
            "kind": data["kind"],
            "respondent_name": data["respondent_name"],
            "respondent_uscc": data["respondent_uscc"],
            "respondent_address": data["respondent_address"],
            "subdistrict_text": data["subdistrict"],
            "content": data["content"],
            "amount": data["amount"],
            "complainant_name": "" if anonymous else data["complainant_name"],
            "complainant_phone": "" if anonymous else data["complainant_phone"],
        }

    def add_domain_error(self, exc: DomainError) -> None:
        """The service's reason next to the field it names, else above the form."""
        named = [exc.extra["field"]] if exc.extra.get("field") else list(exc.extra.get("fields") or {})
        fields = [FORM_FIELD.get(name, name) for name in named]
        fields = [f for f in fields if f in self.fields]
        if not fields:
            self.add_error(None, exc.message)
        for field in fields:
            self.add_error(field, exc.message)


@rate_limit()
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request):
    limit = int(rule_value("complaints.content_max_chars", on=timezone.localdate()))
    if request.method != "POST":
        return _render(request, "submit.html", {"form": SubmitForm(content_limit=limit)})
    form = SubmitForm(request.POST, content_limit=limit)
    wait = hit(request, SUBMIT_BUCKET, SUBMIT_RATE)
    if wait is not None:
        # The person keeps what they typed and can send it again once the window has passed.
        message = f"提交过于频繁：同一网络在短时间内可提交的次数有限，请 {_wait_text(wait)}后再提交。您填写的内容仍在下方，尚未提交。"
        return _limited(_render(request, "submit.html", {"form": form, "limited": message}, status=429), wait)
    if not form.is_valid():
        return _render(request, "submit.html", {"form": form}, status=400)
    try:
        complaint = complaint_receive(actor=None, channel=Channel.PUBLIC, ip=client_ip(request), **form.service_fields())
    except DomainError as exc:
        form.add_domain_error(exc)
        return _render(request, "submit.html", {"form": form}, status=400)
    # Rendered here rather than after a redirect: the query code is never stored in plain text, not
    # even for the moment between two requests, so this response is the only place it exists.
    receipt = {
        "number": complaint.number,
        "code": complaint.query_code,
        "kind": complaint.get_kind_display(),
        "received_at": timezone.localtime(complaint.received_at),
        "respondent_name": complaint.respondent_name,
        "content": complaint.content,
        "anonymous": not (complaint.complainant_name or complaint.complainant_phone),
    }
    return _no_store(_render(request, "receipt.html", {"receipt": receipt}))


class TrackForm(forms.Form):
    number = forms.CharField(
        label="登记编号", max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "请输入登记编号", "max_length": "登记编号不超过 40 个字符"},
    )
    code = forms.CharField(
        label="查询码", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": "请输入查询码", "max_length": "查询码为 8 位字母和数字"},
    )


def _find(number: str, code: str) -> Complaint | None:
    """The item when the number and the code match, else None: an unknown number and a wrong code
    are answered alike, so that nobody can learn which numbers exist."""
    digest = query_digest(CODE_SEPARATORS.sub("", code))  # computed in both cases: the same work either way
    found = Complaint.objects.filter(number=number.strip()).exclude(query_digest="").first()
    if found is None or not hmac.compare_digest(found.query_digest, digest):
        return None
    return found


def _running_clock(complaint: Complaint) -> str:
    """The deadline field running now (as selectors.running_due_of reckons it), or "" when none runs."""
    if complaint.status == Status.TRIAGE:
        return {Kind.COMPLAINT: "accept_due", Kind.REPORT: "filing_due"}.get(Kind(complaint.kind), "")
    return RUNNING_CLOCK.get(Status(complaint.status)) or ""


def public_view(complaint: Complaint) -> dict:
    """Everything the tracking page may show, as plain values: the template never gets the record."""
    kind = Kind(complaint.kind)
    steps = []
    if kind == Kind.COMPLAINT:
        steps.append(("受理日期", complaint.accepted_on))
    if kind == Kind.REPORT:
        steps.append(("立案决定日期", complaint.decided_on))
    steps.append(("移送日期" if complaint.status == Status.TRANSFERRED else "办结日期", complaint.closed_on))
    field = _running_clock(complaint)
    due = getattr(complaint, field) if field else None
    return {
        "number": complaint.number,
        "kind": complaint.get_kind_display(),
        "status": complaint.get_status_display(),
        "closed": not complaint.is_open,
        "received_on": complaint.received_on,
        "steps": steps,
        "due": due,
        "due_label": DEADLINE_LABEL.get(field, "办理期限"),
        "due_provisional": bool(field) and getattr(complaint, f"{field}_provisional"),
        "clock_note": CLOCK_STOPPED.get(Status(complaint.status), ""),
    }


@never_cache
@rate_limit()
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    if request.method != "POST":
        # A link from the receipt may carry the number; never the code (it would land in logs and history).
        return _render(request, "track.html", {"form": TrackForm(initial={"number": request.GET.get("number", "")[:40]})})
    form = TrackForm(request.POST)
    wait = hit(request, TRACK_BUCKET, TRACK_RATE)
    if wait is not None:
        message = f"查询过于频繁：同一网络在短时间内可查询的次数有限，请 {_wait_text(wait)}后再试。"
        return _limited(_render(request, "track.html", {"form": form, "limited": message}, status=429), wait)
    if not form.is_valid():
        return _render(request, "track.html", {"form": form}, status=400)
    found = _find(form.cleaned_data["number"], form.cleaned_data["code"])
    if found is None:
        # The code typed is not echoed back: the page answers alike whatever was typed.
        retry = TrackForm(initial={"number": form.cleaned_data["number"]})
        return _render(request, "track.html", {"form": retry, "not_found": NOT_FOUND}, status=404)
    return _no_store(_render(request, "track.html", {"form": TrackForm(), "item": public_view(found)}))
