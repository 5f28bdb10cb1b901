from django.urls import include, path

from reviews import views

app_name = "reviews"

# Revisions and diffs of one framework
revision_patterns = [
    path("revisions/", views.revision_list, name="revision-list"),
    path("revisions/<int:number>/", views.revision_detail, name="revision-detail"),
    path("revisions/<int:number>/restore/", views.revision_restore, name="revision-restore"),
    path("diff/", views.revision_diff, name="revision-diff"),
    path("diff.json", views.revision_diff_json, name="revision-diff-json"),
]

# Review rounds, decisions and comments
round_patterns = [
    path("rounds/", views.round_list, name="round-list"),
    path("rounds/new/", views.round_create, name="round-create"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/decision/", views.decision_create, name="decision-create"),
    path("rounds/<int:pk>/delegate/", views.reviewer_delegate, name="reviewer-delegate"),
    path("rounds/<int:pk>/advance/", views.round_advance, name="round-advance"),
    path("rounds/<int:pk>/close/", views.round_close, name="round-close"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round-publish"),
    path("rounds/<int:pk>/comments/new/", views.comment_create, name="comment-create"),
    path(
        "rounds/<int:pk>/comments/<int:comment>/resolve/",
        views.comment_resolve,
        name="comment-resolve",
    ),
]

urlpatterns = [
    path("reviews/", views.inbox, name="inbox"),
    path("assessments/", include("reviews.assessments.urls")),
    path(
        "frameworks/<slug:slug>/",
        include(
            [
                *revision_patterns,
                *round_patterns,
                path("policy/", views.policy_edit, name="policy-edit"),
                path("activity/", views.activity_list, name="activity-list"),
            ]
        ),
    ),
]
