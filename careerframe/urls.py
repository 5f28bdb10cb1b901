from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sso import views as sso_views

urlpatterns = [
    # Before the admin's own: sends people to our login page when LOCAL_LOGIN is off.
    path("admin/login/", sso_views.admin_login),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ladders.api.urls")),
    path("login/", sso_views.LoginView.as_view(), name="login"),
    path("sso/", include("sso.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the footer's switch
    path("", include("reviews.urls")),
    path("frameworks/<slug:slug>/draft/", include("roles.urls")),
    path("", include("ladders.urls")),
]
