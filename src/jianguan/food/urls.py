"""/food/: the staff pages of this app."""

app_name = "food"

urlpatterns = []
