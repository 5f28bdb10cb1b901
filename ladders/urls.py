from django.urls import include, path

from ladders import exports, views
from ladders.pay import views as pay
from ladders.people import views as people

app_name = "ladders"

# Pages of one framework version; mounted twice: the current version and /v<N>/.
version_patterns = [
    path("", views.framework_detail, name="framework-detail"),
    path("roles/<key:role>/", views.role_detail, name="role-detail"),
    path("roles/<key:role>/levels/<key:level>/", views.position_detail, name="position-detail"),
    path("compare/", views.position_compare, name="position-compare"),
    path("paths/", views.path_map, name="path-map"),
    path("search/", views.search, name="search"),
    # Downloads (?format=csv|json|xlsx|md|pdf) of the version, a role, a position.
    path("export/", exports.framework_export, name="framework-export"),
    path("roles/<key:role>/export/", exports.role_export, name="role-export"),
    path(
        "roles/<key:role>/levels/<key:level>/export/",
        exports.position_export,
        name="position-export",
    ),
]

# People on the ladder (HR, leads, the person themselves)
people_patterns = [
    path("", people.person_list, name="person-list"),
    path("new/", people.person_form, name="person-create"),
    path("import/", people.person_import, name="person-import"),
    path("distribution/", people.person_distribution, name="person-distribution"),
    path("<int:pk>/", people.person_detail, name="person-detail"),
    path("<int:pk>/edit/", people.person_form, name="person-edit"),
    path("<int:pk>/salary/", pay.salary_create, name="salary-create"),
]

# Pay bands of one framework (HR only), always against its current version
pay_patterns = [
    path("", pay.pay_band_list, name="pay-band-list"),
    path("new/", pay.pay_band_create, name="pay-band-create"),
    path("settings/", pay.pay_settings_edit, name="pay-settings-edit"),
    path("roles/<key:role>/levels/<key:level>/", pay.pay_band_history, name="pay-band-history"),
]

urlpatterns = [
    path("", views.framework_list, name="framework-list"),
    path("people/", include(people_patterns)),
    path("frameworks/<slug:slug>/pay/", include(pay_patterns)),
    path("frameworks/<slug:slug>/", include(version_patterns)),
    path("frameworks/<slug:slug>/v<int:number>/", include(version_patterns)),
]
