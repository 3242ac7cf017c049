"""Submitting a step. Every step POSTs the version the page was drawn from; the service decides, and
its DomainError comes back next to the field it names with the service's status (400/403/404/409),
never as a 500."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError

from .common import complaint_or_404, status_of, visible
from .detail import render_detail
from .staff import render_triage
from .steps import STEP_BY_NAME, Step


@require_POST
def act(request, pk: int, step: str):
    spec = STEP_BY_NAME.get(step)
    if spec is None:
        raise Http404("没有这个办理环节")
    complaint = complaint_or_404(request, pk)
    from_triage = request.POST.get("from") == "triage"
    form = spec.form(request.POST, auto_id=f"t{pk}_%s" if from_triage else f"{spec.name}_%s")
    if not form.is_valid():
        return _failed(request, complaint, spec, form, None, from_triage)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        complaint = spec.run(request.user, complaint.pk, version, data)
    except DomainError as exc:
        form.add_domain_error(exc)
        return _failed(request, complaint, spec, form, exc, from_triage)
    messages.success(request, f"{complaint.number}：{spec.done(complaint)}")
    if from_triage:
        return redirect("complaints:triage")
    if not visible(request.user, complaint):
        return redirect("complaints:queue")  # returned, re-assigned elsewhere: no longer this user's
    return redirect(reverse("complaints:detail", args=[complaint.pk]))


def _failed(request, complaint, spec: Step, form, exc: DomainError | None, from_triage: bool):
    stale = exc is not None and exc.code == "concurrent_edit"
    if stale:
        complaint = complaint_or_404(request, complaint.pk)
        form.data = form.data.copy()
        form.data["version"] = str(complaint.version)  # resubmitting now applies to the current record
    status = status_of(exc) if exc is not None else 400
    if from_triage:
        return render_triage(request, failed={complaint.pk: form}, error=exc, status=status)
    return render_detail(request, complaint, bound={spec.name: form}, open_step=spec.name, error=exc, stale=stale, status=status)
