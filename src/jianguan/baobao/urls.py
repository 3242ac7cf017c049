"""/baobao/: the staff pages of this app."""

app_name = "baobao"

urlpatterns = []
