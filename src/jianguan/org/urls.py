from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
