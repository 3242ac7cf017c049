"""Staff pages of 投诉举报 (placeholder until the pages land)."""

from django.shortcuts import render

from ..selectors import queue as queue_of


def queue(request):
    from django.utils import timezone

    items = queue_of(request.user, today=timezone.localdate())[:200]
    return render(request, "complaints/queue.html", {"items": items})
