"""JSON shapes of the API. References to other elements are by key (with a name or title),
and every resource links to itself with an absolute URL of its numbered version."""

from __future__ import annotations

from typing import Any

from django.urls import reverse as django_reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from roles.models import (
    Competency,
    Expectation,
    Framework,
    FrameworkVersion,
    Level,
    PathKind,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
    VersionStatus,
    Visibility,
)


def _absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


def version_link(context: dict[str, Any], name: str, version: FrameworkVersion, **kwargs) -> str:
    """Absolute URL of API resource ``name`` in ``version`` (by number, never ``latest``)."""
    kwargs.update(slug=version.framework.slug, number=version.number)
    return reverse(f"api:{name}", kwargs=kwargs, request=context.get("request"))


@extend_schema_field(OpenApiTypes.URI)
class VersionLink(serializers.Field):
    """Link to the detail resource ``name`` of the serialized element (looked up by key)."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        self.name = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> str:
        return version_link(self.context, self.name, self.context["version"], key=value.key)


@extend_schema_field(OpenApiTypes.URI)
class PositionPage(serializers.Field):
    """The position's page on the website."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Position) -> str:
        version = self.context["version"]
        path = django_reverse(
            "ladders:position-detail",
            kwargs={
                "slug": version.framework.slug,
                "number": version.number,
                "role": value.role.key,
                "level": value.level.key,
            },
        )
        return _absolute(self.context, path)


@extend_schema_field(OpenApiTypes.URI)
class VersionResource(serializers.Field):
    """Link to the resource ``name`` of the serialized version."""

    def __init__(self, name: str, **kwargs: Any) -> None:
        self.name = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: FrameworkVersion) -> str:
        return version_link(self.context, self.name, value)


@extend_schema_field(OpenApiTypes.URI)
class VersionPage(serializers.Field):
    """The serialized version's overview page on the website."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: FrameworkVersion) -> str:
        kwargs = {"slug": value.framework.slug, "number": value.number}
        return _absolute(self.context, django_reverse("ladders:framework-detail", kwargs=kwargs))


# --- references --------------------------------------------------------------------------


class NamedRefSerializer(serializers.Serializer):
    """Another element, by key and name."""

    key = serializers.CharField()
    name = serializers.CharField()


class CompetencyRefSerializer(NamedRefSerializer):
    """A competency, by key and name, with its category."""

    category = serializers.CharField()
    url = VersionLink("competency-detail")


class PositionRefSerializer(serializers.Serializer):
    """A position, by key and title, with its role and level."""

    key = serializers.CharField()
    title = serializers.CharField()
    role = NamedRefSerializer()
    level = NamedRefSerializer()
    url = VersionLink("position-detail")
    web_url = PositionPage()


class LevelRefSerializer(NamedRefSerializer):
    """A level, by key and name, with its code, rank and track."""

    code = serializers.CharField()
    rank = serializers.IntegerField()
    track = NamedRefSerializer(allow_null=True)


class ReadSerializer(serializers.ModelSerializer):
    """Output only: every field is read-only, so the schema marks each one required."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


# --- framework content -------------------------------------------------------------------


class TrackSerializer(ReadSerializer):
    forks_from = NamedRefSerializer(allow_null=True, read_only=True)

    class Meta:
        model = Track
        fields = ["key", "name", "order", "forks_from"]


class SubRoleSerializer(ReadSerializer):
    class Meta:
        model = SubRole
        fields = ["key", "name", "description"]


class RoleSerializer(ReadSerializer):
    url = VersionLink("role-detail")
    sub_roles = SubRoleSerializer(many=True, read_only=True)

    class Meta:
        model = Role
        fields = ["key", "name", "description", "order", "url", "sub_roles"]


class LevelSerializer(ReadSerializer):
    url = VersionLink("level-detail")
    track = NamedRefSerializer(allow_null=True, read_only=True)
    role = NamedRefSerializer(
        allow_null=True, read_only=True, help_text="Empty when every role shares the level."
    )

    class Meta:
        model = Level
        fields = ["key", "code", "name", "rank", "summary", "order", "url", "track", "role"]


class CompetencySerializer(ReadSerializer):
    url = VersionLink("competency-detail")
    role = NamedRefSerializer(
        allow_null=True, read_only=True, help_text="Empty when the competency is shared."
    )

    class Meta:
        model = Competency
        fields = ["key", "name", "category", "description", "order", "url", "role"]


class PositionExpectationSerializer(ReadSerializer):
    competency = CompetencyRefSerializer(read_only=True)
    sub_role = NamedRefSerializer(
        allow_null=True, read_only=True, help_text="Empty when it applies to every sub-role."
    )

    class Meta:
        model = Expectation
        fields = ["key", "text", "order", "competency", "sub_role"]


class CriterionSerializer(ReadSerializer):
    class Meta:
        model = PromotionCriterion
        fields = ["key", "text", "required", "evidence_hint", "order"]


class PositionSerializer(ReadSerializer):
    url = VersionLink("position-detail")
    web_url = PositionPage()
    role = NamedRefSerializer(read_only=True)
    level = LevelRefSerializer(read_only=True)
    expectations = PositionExpectationSerializer(many=True, read_only=True)
    criteria = CriterionSerializer(
        many=True, read_only=True, help_text="What must be shown to be promoted to this position."
    )

    class Meta:
        model = Position
        fields = [
            *["key", "title", "summary", "order", "url", "web_url", "role", "level"],
            *["expectations", "criteria"],
        ]


class ExpectationSerializer(PositionExpectationSerializer):
    """A statement with the position it belongs to (also a search hit)."""

    position = PositionRefSerializer(read_only=True)

    class Meta(PositionExpectationSerializer.Meta):
        fields = ["key", "text", "order", "position", "competency", "sub_role"]


class PathStepSerializer(ReadSerializer):
    url = VersionLink("path-step-detail")
    kind = serializers.ChoiceField(choices=PathKind.choices, read_only=True)
    from_position = PositionRefSerializer(read_only=True)
    to_position = PositionRefSerializer(read_only=True)

    class Meta:
        model = PathStep
        fields = ["key", "kind", "note", "order", "url", "from_position", "to_position"]


class SearchResultsSerializer(serializers.Serializer):
    """One page of matching statements, and the positions whose title matches (first ten)."""

    query = serializers.CharField()
    count = serializers.IntegerField(help_text="Matching statements in all pages.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ExpectationSerializer(many=True)
    positions = PositionRefSerializer(many=True)


# --- frameworks and versions -------------------------------------------------------------


class VersionLinksSerializer(serializers.Serializer):
    """The resources of a version, and its page on the website."""

    tracks = VersionResource("track-list")
    roles = VersionResource("role-list")
    levels = VersionResource("level-list")
    positions = VersionResource("position-list")
    expectations = VersionResource("expectation-list")
    competencies = VersionResource("competency-list")
    path_steps = VersionResource("path-step-list")
    search = VersionResource("search")
    web = VersionPage()


class VersionSerializer(ReadSerializer):
    status = serializers.ChoiceField(
        choices=VersionStatus.choices,
        read_only=True,
        help_text="`published` for the current version, `archived` once superseded.",
    )
    is_current = serializers.BooleanField(read_only=True)
    document_sha256 = serializers.CharField(
        read_only=True, help_text="SHA-256 of the framework document: the document's ETag."
    )
    url = VersionResource("version-detail")
    document_url = VersionResource("version-document")
    links = VersionLinksSerializer(source="*", read_only=True)

    class Meta:
        model = FrameworkVersion
        fields = [
            *["number", "status", "is_current", "published_at", "from_revision"],
            *["document_sha256", "url", "document_url", "links"],
        ]


class CurrentVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField(source="current_number")
    published_at = serializers.DateTimeField(source="current_published_at")
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, framework: Framework) -> str:
        kwargs = {"slug": framework.slug, "number": framework.current_number}
        return reverse("api:version-detail", kwargs=kwargs, request=self.context.get("request"))


class FrameworkSerializer(ReadSerializer):
    """A framework, with its current published version."""

    visibility = serializers.ChoiceField(choices=Visibility.choices, read_only=True)
    current_version = CurrentVersionSerializer(source="*", read_only=True)
    role_count = serializers.IntegerField(read_only=True, help_text="In the current version.")
    position_count = serializers.IntegerField(read_only=True, help_text="In the current version.")
    url = serializers.HyperlinkedIdentityField(
        view_name="api:framework-detail", lookup_field="slug"
    )
    versions_url = serializers.HyperlinkedIdentityField(
        view_name="api:version-list", lookup_field="slug"
    )

    class Meta:
        model = Framework
        fields = [
            *["slug", "name", "description", "visibility", "current_version"],
            *["role_count", "position_count", "url", "versions_url"],
        ]
