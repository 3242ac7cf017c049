from django.shortcuts import render

from jianguan.businesses.selectors import business_counts


def home(request):
    return render(request, "core/home.html", {"counts": business_counts(actor=request.user)})
