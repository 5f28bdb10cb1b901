"""The read-only REST API: published frameworks, their versions and content.

Access is the web pages' (``roles.access``): anonymous clients read public frameworks, every
member reads every published version, and whatever a client may not read is 404 — never 403.
Published versions never change, so version-scoped responses carry an ETag and Last-Modified
and answer conditional requests with 304 before touching the content.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, viewsets
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from ladders import selectors as ladder_selectors
from ladders.api import selectors, serializers
from ladders.api.filters import (
    KeyFilter,
    KeyFilterBackend,
    applies_to_role,
    for_sub_role,
    level_of_role,
)
from roles.access import get_published_version_or_404
from roles.document import canonical_bytes, document_sha256
from roles.models import FrameworkVersion, Visibility
from roles.serialization import document_from_version

# Part of every representation ETag: bump it when a response shape changes, so clients do
# not keep an old shape of an unchanged version.
REPRESENTATION = "careerframe.api/1"
SEARCH_QUERY_MAX = 200  # as the search page


class ApiMixin:
    """Every API view: GET and HEAD only; what a response holds depends on who asks (token
    or session)."""

    http_method_names = ["get", "head"]

    def finalize_response(self, request, response, *args, **kwargs) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Authorization"])
        return response


# --- frameworks --------------------------------------------------------------------------


@extend_schema(tags=["frameworks"])
class FrameworkViewSet(ApiMixin, viewsets.ReadOnlyModelViewSet):
    """Frameworks the client may read that have a published version."""

    serializer_class = serializers.FrameworkSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet:
        return ladder_selectors.framework_list(self.request.user)


@extend_schema(tags=["versions"])
class VersionList(ApiMixin, generics.ListAPIView):
    """Published versions of a framework, newest first."""

    serializer_class = serializers.VersionSerializer
    queryset = FrameworkVersion.objects.none()  # schema generation only

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        framework = selectors.readable_framework(self.request.user, self.kwargs["slug"])
        return selectors.published_versions(framework)


# --- one published version ---------------------------------------------------------------


class VersionScopedMixin(ApiMixin):
    """Loads ``self.version`` through ``roles.access`` (404 when hidden or unknown) before
    anything else, and answers conditional requests from the version alone."""

    version: FrameworkVersion
    # Content responses change only with the version; a version's own status does not.
    send_last_modified = True

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.version = get_published_version_or_404(
            request.user, kwargs["slug"], kwargs.get("number")
        )

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        if hasattr(self, "version"):
            context["version"] = self.version
        return context

    def etag(self, request: Request) -> str | None:
        """A strong ETag of the JSON representation: the version's number (links carry it, and
        ``latest`` may be a new version of the same content), content and status, and the exact
        URL (query and host included: links are absolute). None for other formats."""
        if request.accepted_renderer.format != "json" or not self.version.document_sha256:
            return None
        parts = [
            REPRESENTATION,
            str(self.version.number),
            self.version.document_sha256,
            self.version.status,
            request.build_absolute_uri(),
        ]
        return '"{}"'.format(hashlib.sha256("\n".join(parts).encode()).hexdigest())

    def conditional(self, request: Request, read: Callable[[], HttpResponseBase]):
        """304 when the client's copy is current; else ``read()`` with the validators set."""
        etag = self.etag(request)
        if etag is None:
            return read()
        last_modified = (
            int(self.version.published_at.timestamp()) if self.send_last_modified else None
        )
        response = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if response is None:
            response = read()
        if response.status_code in (200, 304):
            response["ETag"] = etag
            if last_modified is not None:
                response["Last-Modified"] = http_date(last_modified)
        return response

    def finalize_response(self, request, response, *args, **kwargs) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)
        version = getattr(self, "version", None)
        if version is not None and version.framework.visibility != Visibility.PUBLIC:
            patch_cache_control(response, private=True)
        return response


class VersionContentViewSet(VersionScopedMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail (by key) of one kind of element of a version. Subclasses give the
    serializer, ``read_shape`` (a selector) and ``key_filters``."""

    lookup_field = "key"
    filter_backends = [KeyFilterBackend]
    key_filters: dict[str, KeyFilter] = {}

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no version
            return self.get_serializer_class().Meta.model.objects.none()
        return self.read_shape(self.version)

    def read_shape(self, version: FrameworkVersion) -> QuerySet:
        raise NotImplementedError

    def list(self, request: Request, *args, **kwargs):
        read = super().list
        return self.conditional(request, lambda: read(request, *args, **kwargs))

    def retrieve(self, request: Request, *args, **kwargs):
        read = super().retrieve
        return self.conditional(request, lambda: read(request, *args, **kwargs))


@extend_schema(tags=["versions"])
class VersionDetail(VersionScopedMixin, generics.GenericAPIView):
    """One published version: its number, date, status, document hash and links."""

    serializer_class = serializers.VersionSerializer
    send_last_modified = False  # its status changes when the next version is published

    def get(self, request: Request, *args, **kwargs):
        return self.conditional(request, lambda: Response(self.get_serializer(self.version).data))


@extend_schema(
    tags=["versions"],
    responses={
        (200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description=(
                "The framework document (roles/schema/framework-document.schema.json) in "
                "canonical form: sorted keys, compact, UTF-8. Its SHA-256 is the strong ETag."
            ),
        ),
        304: OpenApiResponse(description="Not modified (`If-None-Match` matched)."),
    },
)
class VersionDocument(VersionScopedMixin, generics.GenericAPIView):
    """The framework document of a version in canonical form: the JSON export's content."""

    renderer_classes = [JSONRenderer]

    def etag(self, request: Request) -> str:
        return f'"{self.version.document_sha256}"'

    def get(self, request: Request, *args, **kwargs):
        if not self.version.document_sha256:  # only versions made outside version_publish
            self.version.document_sha256 = document_sha256(document_from_version(self.version))
        return self.conditional(request, self._document)

    def _document(self) -> HttpResponse:
        body = canonical_bytes(document_from_version(self.version))
        return HttpResponse(body, content_type="application/json")


@extend_schema(
    tags=["content"],
    parameters=[
        OpenApiParameter("q", str, description="Words to find in statements and titles."),
        OpenApiParameter("page", int, description="A page number within the statements."),
        OpenApiParameter("page_size", int, description="Statements per page (up to 500)."),
    ],
    responses=serializers.SearchResultsSerializer,
)
class Search(VersionScopedMixin, generics.GenericAPIView):
    """Statements and position titles matching ``q``, as the website's search finds them:
    full-text search on PostgreSQL, every word (any case) on SQLite."""

    serializer_class = serializers.ExpectationSerializer

    def get(self, request: Request, *args, **kwargs):
        return self.conditional(request, lambda: self._search(request))

    def _search(self, request: Request) -> Response:
        query = request.query_params.get("q", "")[:SEARCH_QUERY_MAX].strip()
        statements, titles = ladder_selectors.search_querysets(self.version, query)
        page = self.paginate_queryset(statements)
        context = self.get_serializer_context()
        data = self.get_paginated_response(self.get_serializer(page, many=True).data).data
        positions = serializers.PositionRefSerializer(titles[:10], many=True, context=context)
        return Response({"query": query, **data, "positions": positions.data})


# --- the elements of a version -----------------------------------------------------------


@extend_schema(tags=["content"])
class TrackViewSet(VersionContentViewSet):
    """Tracks (ladders) of the version, e.g. individual contributor and manager."""

    serializer_class = serializers.TrackSerializer
    read_shape = staticmethod(selectors.tracks)


@extend_schema(tags=["content"])
class RoleViewSet(VersionContentViewSet):
    """Roles with their sub-roles (specialisms)."""

    serializer_class = serializers.RoleSerializer
    read_shape = staticmethod(selectors.roles)


@extend_schema(tags=["content"])
class LevelViewSet(VersionContentViewSet):
    """Levels: shared by every role, or specific to one."""

    serializer_class = serializers.LevelSerializer
    read_shape = staticmethod(selectors.levels)
    key_filters = {
        "role": KeyFilter("Levels the role has a position at.", level_of_role),
        "track": KeyFilter("Key of a track.", "track__key"),
    }


@extend_schema(tags=["content"])
class CompetencyViewSet(VersionContentViewSet):
    """Competencies: shared by every role, or specific to one."""

    serializer_class = serializers.CompetencySerializer
    read_shape = staticmethod(selectors.competencies)
    key_filters = {
        "role": KeyFilter(
            "Competencies that apply to the role (shared ones too).", applies_to_role
        ),
        "category": KeyFilter("A category's name.", "category"),
    }


@extend_schema(
    tags=["content"],
    parameters=[
        OpenApiParameter(
            "competency", str, description="Only the statements of this competency (a key)."
        ),
        OpenApiParameter(
            "sub_role",
            str,
            description="Only statements for every sub-role plus this one's (a key).",
        ),
    ],
)
class PositionViewSet(VersionContentViewSet):
    """Positions (a role at a level) with their statements and promotion criteria."""

    serializer_class = serializers.PositionSerializer
    key_filters = {
        "role": KeyFilter("Key of a role.", "role__key"),
        "level": KeyFilter("Key of a level.", "level__key"),
        "track": KeyFilter("Key of the level's track.", "level__track__key"),
    }

    def read_shape(self, version: FrameworkVersion) -> QuerySet:
        params = self.request.query_params
        return selectors.positions(
            version,
            competency=params.get("competency") or None,
            sub_role=params.get("sub_role") or None,
        )


@extend_schema(tags=["content"])
class ExpectationViewSet(VersionContentViewSet):
    """Statements, each with its position and competency."""

    serializer_class = serializers.ExpectationSerializer
    read_shape = staticmethod(selectors.expectations)
    key_filters = {
        "competency": KeyFilter("Key of a competency.", "competency__key"),
        "role": KeyFilter("Key of the position's role.", "position__role__key"),
        "level": KeyFilter("Key of the position's level.", "position__level__key"),
        "track": KeyFilter("Key of the position's track.", "position__level__track__key"),
        "position": KeyFilter("Key of a position.", "position__key"),
        "sub_role": KeyFilter("Statements for every sub-role plus this one's.", for_sub_role),
    }


@extend_schema(tags=["content"])
class PathStepViewSet(VersionContentViewSet):
    """Career path steps: promotions, lateral moves and track switches."""

    serializer_class = serializers.PathStepSerializer
    read_shape = staticmethod(selectors.path_steps)
    key_filters = {
        "role": KeyFilter("Steps out of the role's positions.", "from_position__role__key"),
        "kind": KeyFilter("promotion, lateral or track_switch.", "kind"),
    }
