from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("drill/<str:key>/", views.drill, name="drill"),
]
