"""Submitting a step of a sample. Every form POSTs the version the page was drawn from; the service decides,
and its DomainError comes back next to the field it names with the service's status (400/403/404/409), the
typed values kept, never a 500."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from jianguan.core.errors import DomainError
from jianguan.core.middleware import client_ip

from .common import sample_or_404, status_of
from .samples import render_sample
from .steps import STEP


@require_POST
def sample_act(request, pk: int, step: str):
    spec = STEP.get(step)
    if spec is None:
        raise Http404("没有这个办理环节")
    sample = sample_or_404(request, pk)
    form = spec.form(request.POST, actor=request.user, record=sample, auto_id=f"{spec.name}_%s")
    if not form.is_valid():
        return render_sample(request, sample, bound={spec.name: form}, open_step=spec.name, status=400)
    data = dict(form.cleaned_data)
    version = data.pop("version", None)
    for name in list(data):
        if name.startswith("item_"):
            data.pop(name)  # the result's rows: read through form.items()
    try:
        result = spec.run(request.user, sample, version, data, client_ip(request), form)
    except DomainError as exc:
        form.add_domain_error(exc)
        stale = exc.code == "concurrent_edit"
        if stale:
            sample = sample_or_404(request, pk)
            form.data = form.data.copy()
            form.data["version"] = str(sample.version)  # resubmitting now applies to the current record
        return render_sample(request, sample, bound={spec.name: form}, open_step=spec.name, error=exc, stale=stale,
                             status=status_of(exc))
    messages.success(request, spec.done(result))
    return redirect(reverse("sampling:detail", args=[pk]))
