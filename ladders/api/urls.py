"""/api/v1/: the read-only REST API, its OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ladders.api import views

app_name = "api"


def _content(viewset, name: str, plural: str) -> list:
    """List and by-key detail routes of one kind of element: ``<name>-list``, ``<name>-detail``."""
    return [
        path(f"{plural}/", viewset.as_view({"get": "list"}), name=f"{name}-list"),
        path(f"{plural}/<key:key>/", viewset.as_view({"get": "retrieve"}), name=f"{name}-detail"),
    ]


# One published version; mounted twice: /versions/<number>/ and /versions/latest/.
version_patterns = [
    path("", views.VersionDetail.as_view(), name="version-detail"),
    path("document/", views.VersionDocument.as_view(), name="version-document"),
    path("search/", views.Search.as_view(), name="search"),
    *_content(views.TrackViewSet, "track", "tracks"),
    *_content(views.RoleViewSet, "role", "roles"),
    *_content(views.LevelViewSet, "level", "levels"),
    *_content(views.PositionViewSet, "position", "positions"),
    *_content(views.ExpectationViewSet, "expectation", "expectations"),
    *_content(views.CompetencyViewSet, "competency", "competencies"),
    *_content(views.PathStepViewSet, "path-step", "path-steps"),
]

framework_patterns = [
    path("", views.FrameworkViewSet.as_view({"get": "list"}), name="framework-list"),
    path(
        "<slug:slug>/", views.FrameworkViewSet.as_view({"get": "retrieve"}), name="framework-detail"
    ),
    path("<slug:slug>/versions/", views.VersionList.as_view(), name="version-list"),
    path("<slug:slug>/versions/<int:number>/", include(version_patterns)),
    path("<slug:slug>/versions/latest/", include(version_patterns)),
]

urlpatterns = [
    path("frameworks/", include(framework_patterns)),
    # The OpenAPI schema, and Swagger UI with its assets from drf-spectacular-sidecar.
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
