from django.urls import include, path

from ladders import views

app_name = "ladders"

# Pages of one framework version; mounted twice: the current version and /v<N>/.
version_patterns = [
    path("", views.framework_detail, name="framework-detail"),
    path("roles/<key:role>/", views.role_detail, name="role-detail"),
    path("roles/<key:role>/levels/<key:level>/", views.position_detail, name="position-detail"),
    path("compare/", views.position_compare, name="position-compare"),
    path("paths/", views.path_map, name="path-map"),
    path("search/", views.search, name="search"),
]

urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("frameworks/<slug:slug>/", include(version_patterns)),
    path("frameworks/<slug:slug>/v<int:number>/", include(version_patterns)),
]
