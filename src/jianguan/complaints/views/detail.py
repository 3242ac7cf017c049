"""The page of one item: every field, the category and the keywords behind it, the clocks, the timeline,
the steps allowed now, and the complainant's contact details — masked unless this user may see them
and asks to, each unmasking recorded (PIPL)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from jianguan.core.calendar import WorkingCalendar
from jianguan.core.middleware import client_ip

from ..forms import PersonalInfoForm
from ..models import Complaint, OdrEnterprise
from ..privacy import mask_name, mask_phone, personal_info
from . import disclosures
from .common import STATUS_BADGE, complaint_or_404, detail_clocks, may_unmask, today
from .steps import step_forms

DEFAULT_PURPOSE = "办理投诉举报，联系投诉举报人"


def render_detail(
    request, complaint: Complaint, *, bound: dict | None = None, open_step: str = "", error=None, stale: bool = False,
    personal: dict | None = None, personal_form=None, status: int = 200,
):
    on = today()
    odr = OdrEnterprise.objects.filter(business_id=complaint.business_id).first() if complaint.business_id else None
    context = {
        "c": complaint,
        "status_badge": STATUS_BADGE.get(complaint.status, ""),
        "clocks": detail_clocks(complaint, on, WorkingCalendar()),
        "events": complaint.events.select_related("actor", "from_station", "to_station").order_by("at", "pk"),
        "duplicates": complaint.duplicates.order_by("received_at", "pk"),
        "odr": odr,
        "odr_active": odr is not None and odr.active_on(on),
        "steps": step_forms(request, complaint, bound),
        "open_step": open_step,
        "error": error,
        "stale": stale,
        "personal": personal or {
            "name": mask_name(complaint.complainant_name), "phone": mask_phone(complaint.complainant_phone), "masked": True,
        },
        "can_unmask": may_unmask(request.user, complaint),
        "personal_form": personal_form or PersonalInfoForm(initial={"purpose": DEFAULT_PURPOSE}),
        "today": on,
    }
    if disclosures.sees_on_detail(request.user, complaint):  # read after personal_info(): a view just made is listed
        rows, more = disclosures.for_complaint(complaint)
        context.update(disclosures=rows, more_disclosures=more, reads_disclosure_log=disclosures.reads_log(request.user))
    return render(request, "complaints/detail.html", context, status=status)


def complaint_detail(request, pk: int):
    return render_detail(request, complaint_or_404(request, pk))


@never_cache
@require_POST
def complaint_personal(request, pk: int):
    """查看个人信息: a POST (it writes a Disclosure), answered with the page itself and never cached."""
    complaint = complaint_or_404(request, pk)
    if not may_unmask(request.user, complaint):
        raise PermissionDenied("只有该件承办人或经授权查看个人信息的人员可以查看投诉举报人的姓名和电话")
    form = PersonalInfoForm(request.POST)
    if not form.is_valid():
        return render_detail(request, complaint, personal_form=form, status=400)
    info = personal_info(request.user, complaint, purpose=form.cleaned_data["purpose"], ip=client_ip(request))
    return render_detail(request, complaint, personal=info, personal_form=form)
