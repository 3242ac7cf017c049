"""/licences/: the staff pages of this app."""

app_name = "licences"

urlpatterns = []
