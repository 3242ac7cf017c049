"""/credit/: staff pages of credit supervision; each part keeps its own routes (the public look-up is
public_urls.py)."""

from .views import annual, lists, repairs, risk

app_name = "credit"

urlpatterns = [*annual.urlpatterns, *lists.urlpatterns, *repairs.urlpatterns, *risk.urlpatterns]
