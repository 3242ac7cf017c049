"""Submitting a step of a lead or a case. Every form POSTs the version the page was drawn from; the
service decides, and its DomainError comes back next to the field it names with the service's status
(400/403/404/409), the typed values kept, never a 500."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip

from ..models import Case
from .case_pages import render_case
from .case_steps import CASE_STEPS
from .common import case_or_404, lead_or_404, status_of
from .leads import render_lead
from .steps import LEAD_STEPS, by_name

LEAD_STEP = by_name(LEAD_STEPS)
CASE_STEP = by_name(CASE_STEPS)


def _submit(request, record, spec, render_page, refetch):
    form = spec.form(request.POST, actor=request.user, record=record, auto_id=f"{spec.name}_%s")
    if not form.is_valid():
        return render_page(request, record, bound={spec.name: form}, open_step=spec.name, status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    try:
        result = spec.run(request.user, record, version, data, client_ip(request))
    except DomainError as exc:
        form.add_domain_error(exc)
        stale = exc.code == "concurrent_edit"
        if stale:
            record = refetch()
            form.data = form.data.copy()
            form.data["version"] = str(record.version)  # resubmitting now applies to the current record
        return render_page(request, record, bound={spec.name: form}, open_step=spec.name, error=exc, stale=stale,
                           status=status_of(exc))
    messages.success(request, spec.done(result))
    return result


@require_POST
def lead_act(request, pk: int, step: str):
    spec = LEAD_STEP.get(step)
    if spec is None:
        raise Http404("没有这个办理环节")
    lead = lead_or_404(request, pk)
    result = _submit(request, lead, spec, render_lead, lambda: lead_or_404(request, pk))
    if hasattr(result, "status_code"):
        return result  # the page again, with the form's errors
    if isinstance(result, Case):
        return redirect(reverse("cases:detail", args=[result.pk]))
    return redirect(reverse("cases:lead", args=[pk]))


@require_POST
def case_act(request, pk: int, step: str):
    spec = CASE_STEP.get(step)
    if spec is None:
        raise Http404("没有这个办理环节")
    case = case_or_404(request, pk)
    result = _submit(request, case, spec, render_case, lambda: case_or_404(request, pk))
    if hasattr(result, "status_code"):
        return result
    return redirect(reverse("cases:detail", args=[pk]) + (f"#{spec.anchor}" if spec.anchor else ""))
