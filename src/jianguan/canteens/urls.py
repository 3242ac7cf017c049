"""/canteens/: the staff pages of this app."""

app_name = "canteens"

urlpatterns = []
