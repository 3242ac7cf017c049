from django.http import Http404
from django.shortcuts import render

from jianguan.core.errors import NotFound

from . import selectors


def business_list(request):
    qs = selectors.business_list(actor=request.user, filters=request.GET.dict())
    return render(request, "businesses/list.html", {"businesses": qs[:50]})


def business_detail(request, pk: int):
    try:
        business = selectors.business_get(actor=request.user, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(request, "businesses/detail.html", {"business": business})
