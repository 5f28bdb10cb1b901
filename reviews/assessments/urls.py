from django.urls import path

from reviews.assessments import views

# Included from reviews/urls.py under assessments/, in the reviews namespace.
urlpatterns = [
    path("", views.assessment_list, name="assessment-list"),
    path("new/", views.assessment_create, name="assessment-create"),
    path("export.csv", views.assessment_export, name="assessment-export"),
    path("<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("<int:pk>/edit/", views.assessment_edit, name="assessment-edit"),
    path("<int:pk>/submit/", views.assessment_submit, name="assessment-submit"),
    path("<int:pk>/decide/", views.assessment_decide, name="assessment-decide"),
    path("<int:pk>/repin/", views.assessment_repin, name="assessment-repin"),
    path("<int:pk>/self/", views.assessment_self, name="assessment-self"),
    path("<int:pk>/self/request/", views.assessment_self_request, name="assessment-self-request"),
    path(
        "<int:pk>/self/withdraw/", views.assessment_self_withdraw, name="assessment-self-withdraw"
    ),
    path("<int:pk>/delete/", views.assessment_delete, name="assessment-delete"),
]
