"""/sso/: the two steps of an OpenID Connect login. Register /sso/callback/ at the provider."""

from django.urls import path

from sso import views

app_name = "sso"
urlpatterns = [
    path("login/", views.AuthenticateView.as_view(), name="login-start"),
    path("callback/", views.CallbackView.as_view(), name="login-callback"),
]
