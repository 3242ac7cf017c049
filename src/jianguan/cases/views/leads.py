"""线索 pages: the inbox (pending first, the nearest filing deadline first), registering a lead by hand
(移送, 上级交办, 其他) and the lead's page with its decision forms (立案, 不予立案, 移送, 延期, 检测鉴定)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from jianguan.businesses.models import Business
from jianguan.core.calendar import WorkingCalendar
from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip
from jianguan.core.panels import due_soon_until

from .. import selectors
from ..choices import LeadSource, LeadStatus
from ..forms import LeadForm
from ..models import Case
from ..services import lead_open
from .common import (
    LEAD_BADGE,
    can_edit,
    decorate_leads,
    lead_clock,
    lead_or_404,
    page_number,
    respondent,
    source_url,
    status_of,
    today,
)
from .steps import LEAD_STEPS, step_forms

DUE_FILTERS = {"overdue": "已逾期", "soon": "即将到期"}


def _choice(request, key: str, allowed) -> str:
    value = request.GET.get(key, "").strip()
    return value if value in allowed else ""


def lead_inbox(request):
    on = today()
    until = due_soon_until(on)
    filters = {
        "source": _choice(request, "source", LeadSource.values),
        "status": _choice(request, "status", LeadStatus.values),
        "due": _choice(request, "due", DUE_FILTERS),
        "q": request.GET.get("q", "").strip()[:100],
    }
    qs = selectors.lead_inbox(actor=request.user, on=on, until=until, **filters)
    page_no = page_number(request)
    rows, has_next = selectors.inbox_page(selectors.with_lead_viewer(qs, request.user), page_no, 50)
    pending = selectors.pending_leads(actor=request.user)
    return render(request, "cases/leads.html", {
        "rows": decorate_leads(rows, request.user, on),
        "has_next": has_next,
        "page_no": page_no,
        "filters": filters,
        "due_label": DUE_FILTERS.get(filters["due"], ""),
        "sources": LeadSource.choices,
        "statuses": LeadStatus.choices,
        "pending_count": pending.count(),
        "overdue_count": pending.filter(decision_due__lt=on).count(),
        "can_edit": can_edit(request.user),
        "today": on,
        "tab": "leads",
    })


def render_lead(request, lead, *, bound: dict | None = None, open_step: str = "", error=None, stale: bool = False,
                status: int = 200):
    on = today()
    case = Case.objects.filter(lead=lead).first()
    visible = selectors.may_see_personal(request.user, lead)
    return render(request, "cases/lead.html", {
        "lead": lead,
        "badge": LEAD_BADGE.get(lead.status, ""),
        "who": respondent(lead, visible),
        "clock": lead_clock(lead, on, due_soon_until(on), WorkingCalendar()),
        "source_url": source_url(lead.source_ref),
        "case": case,
        "documents": selectors.documents_of(lead),
        "steps": step_forms(request, lead, LEAD_STEPS, "cases:lead_act", bound),
        "open_step": open_step,
        "error": error,
        "stale": stale,
        "can_edit": can_edit(request.user),
        "today": on,
        "tab": "leads",
    }, status=status)


def lead_detail(request, pk: int):
    return render_lead(request, lead_or_404(request, pk))


def lead_new(request):
    """登记线索 by hand; complaints and inspections open theirs from their own pages."""
    if not can_edit(request.user):
        return render(request, "cases/lead_new.html", {"read_only": True, "tab": "leads"}, status=403)
    if request.method != "POST":
        # From a business's one-stop page: its code filled in.
        initial = {"received_on": today(), "respondent_uscc": request.GET.get("uscc", "").strip()[:18]}
        form = LeadForm(actor=request.user, initial=initial)
        return render(request, "cases/lead_new.html", {"form": form, "tab": "leads"})
    form = LeadForm(request.POST, actor=request.user)
    if not form.is_valid():
        return render(request, "cases/lead_new.html", {"form": form, "tab": "leads"}, status=400)
    data = dict(form.cleaned_data)
    business = Business.objects.filter(uscc=data["respondent_uscc"].strip().upper()).first() if data["respondent_uscc"] else None
    try:
        lead = lead_open(actor=request.user, ip=client_ip(request), business=business, **data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return render(request, "cases/lead_new.html", {"form": form, "error": exc, "tab": "leads"}, status=status_of(exc))
    messages.success(request, f"已登记线索，立案决定期限 {lead.decision_due:%Y-%m-%d}{'（暂定）' if lead.decision_due_provisional else ''}。")
    return redirect(reverse("cases:lead", args=[lead.pk]))
