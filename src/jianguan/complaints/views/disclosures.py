"""个人信息查看记录: who saw a complainant's unmasked name and phone, when, why and from where (PIPL).

Reading the log is oversight, not handling: it shows no complainant's details and so writes no
Disclosure of its own. The bureau reads it (departments, administrators, leadership); a station does
not, since the log names items and colleagues across the whole district."""

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from jianguan.inspections.forms import date_field
from jianguan.org.choices import Role

from ..forms import text_field
from ..models import Complaint, Disclosure
from .common import can_edit, is_router, page_number, slice_page

READERS = (Role.DEPARTMENT, Role.ADMIN, Role.LEADERSHIP)
DETAIL_LIMIT = 20  # the detail page's section; the full history is on the log page


def reads_log(user) -> bool:
    return user.is_authenticated and user.role in READERS


def sees_on_detail(user, complaint: Complaint) -> bool:
    """The handler may see who else looked at the complainant of the item in hand, even from a station."""
    return reads_log(user) or (user.is_authenticated and complaint.handler_id == user.pk)


def for_complaint(complaint: Complaint) -> tuple[list[Disclosure], bool]:
    """The latest views of this item's complainant, and whether there are older ones."""
    return slice_page(complaint.disclosures.select_related("user__org_unit").order_by("-at", "-pk"), 1, DETAIL_LIMIT)


class DisclosureFilterForm(forms.Form):
    """Every field optional; a bad date is reported and ignored, as on 全部记录."""

    viewer = text_field("查看人", max_length=50, help_text="用户名或姓名片段")
    number = text_field("登记编号", max_length=40)
    at_from = date_field("查看日期自", required=False)
    at_to = date_field("至", required=False)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def matching(filters: dict):
    qs = Disclosure.objects.select_related("user__org_unit", "complaint")
    if filters.get("viewer"):
        given = filters["viewer"].strip()
        qs = qs.filter(Q(user__username__icontains=given) | Q(user__full_name__icontains=given))
    if filters.get("number"):
        qs = qs.filter(complaint__number__icontains=filters["number"].strip())
    # Local days as half-open ranges of instants, so that an index on `at` serves them.
    if filters.get("at_from"):
        qs = qs.filter(at__gte=_day_start(filters["at_from"]))
    if filters.get("at_to"):
        qs = qs.filter(at__lt=_day_start(filters["at_to"] + dt.timedelta(days=1)))
    return qs.order_by("-at", "-pk")


def disclosure_log(request):
    if not reads_log(request.user):
        raise PermissionDenied("个人信息查看记录由业务科室、系统管理员和局领导查阅；监管所人员可在本人承办件的详情页查看该件的记录")
    form = DisclosureFilterForm(request.GET)
    form.is_valid()  # a bad field is reported next to itself and left out of the search
    data = {k: v for k, v in form.cleaned_data.items() if v}
    page_no = page_number(request)
    rows, has_next = slice_page(matching(data), page_no)
    return render(request, "complaints/disclosures.html", {
        "tab": "disclosures",
        "can_edit": can_edit(request.user),
        "is_router": is_router(request.user),
        "sees_triage": request.user.role != Role.STATION,
        "form": form,
        "rows": rows,
        "has_next": has_next,
        "page_no": page_no,
    })
