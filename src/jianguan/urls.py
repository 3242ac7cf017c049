from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .api import api

urlpatterns = [
    path("", include("jianguan.core.urls")),
    path("login/", auth_views.LoginView.as_view(template_name="registration/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("businesses/", include("jianguan.businesses.urls")),
    path("imports/", include("jianguan.core.importing.urls")),
    path("equipment/", include("jianguan.equipment.urls")),
    path("inspections/", include("jianguan.inspections.urls")),
    path("spotchecks/", include("jianguan.spotchecks.urls")),
    path("complaints/", include("jianguan.complaints.urls")),
    path("cases/", include("jianguan.cases.urls")),
    path("sampling/", include("jianguan.sampling.urls")),
    path("credit/", include("jianguan.credit.urls")),
    path("licences/", include("jianguan.licences.urls")),
    path("food/", include("jianguan.food.urls")),
    path("canteens/", include("jianguan.canteens.urls")),
    path("baobao/", include("jianguan.baobao.urls")),
    path("org/", include("jianguan.org.urls")),
    path("reports/", include("jianguan.reports.urls")),
    path("public/spotchecks/", include("jianguan.spotchecks.public_urls")),
    path("public/complaints/", include("jianguan.complaints.public_urls")),
    path("public/penalties/", include("jianguan.cases.public_urls")),
    path("public/sampling/", include("jianguan.sampling.public_urls")),
    path("public/credit/", include("jianguan.credit.public_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
