"""/licences/: the staff pages of this app (the register, a licence, its form and 注销/吊销)."""

from .views import urlpatterns as pages

app_name = "licences"

urlpatterns = [*pages]
