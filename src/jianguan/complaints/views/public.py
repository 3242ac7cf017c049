"""Public pages of 投诉举报 (placeholder until the pages land)."""

from django.http import HttpResponse


def submit(request):
    return HttpResponse("投诉举报网上登记（建设中）")
