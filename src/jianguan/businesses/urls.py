from django.urls import include, path

from . import views

app_name = "businesses"
urlpatterns = [
    path("", views.business_list, name="list"),
    path("<int:pk>/", views.business_detail, name="detail"),
    path("import/", include("jianguan.businesses.import_urls")),
]
