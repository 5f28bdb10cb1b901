from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("read/", views.notification_read_all, name="notification-read-all"),
    path("<int:pk>/open/", views.notification_open, name="notification-open"),
    path("preferences/", views.preferences, name="preferences"),
]
