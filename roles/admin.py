"""Staff inspection of framework content (the authoring UI is the draft editor)."""

from django.contrib import admin

from roles.models import (
    Competency,
    Expectation,
    Framework,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
)


class VersionInline(admin.TabularInline):
    model = FrameworkVersion
    fields = ["number", "status", "published_at", "published_by", "lock_version"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "visibility", "updated_at"]
    list_filter = ["visibility"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["editors"]
    inlines = [VersionInline]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "status", "published_at", "lock_version"]
    list_filter = ["status", "framework"]
    list_select_related = ["framework"]
    readonly_fields = ["document_sha256", "created_at"]


class ContentAdmin(admin.ModelAdmin):
    """Content rows are written by the import and editing services; the admin reads them."""

    list_filter = ["version__framework", "version__status"]
    search_fields = ["key"]
    list_select_related = ["version__framework"]
    list_per_page = 50

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Track)
class TrackAdmin(ContentAdmin):
    list_display = ["key", "name", "forks_from", "version"]


@admin.register(Role)
class RoleAdmin(ContentAdmin):
    list_display = ["key", "name", "version"]
    search_fields = ["key", "name"]


@admin.register(SubRole)
class SubRoleAdmin(ContentAdmin):
    list_display = ["key", "name", "role", "version"]
    list_select_related = ["version__framework", "role"]


@admin.register(Level)
class LevelAdmin(ContentAdmin):
    list_display = ["key", "name", "rank", "track", "role", "version"]
    list_select_related = ["version__framework", "track", "role"]


@admin.register(Position)
class PositionAdmin(ContentAdmin):
    list_display = ["key", "title", "role", "level", "version"]
    list_select_related = ["version__framework", "role", "level"]
    search_fields = ["key", "title"]


@admin.register(Competency)
class CompetencyAdmin(ContentAdmin):
    list_display = ["key", "name", "category", "version"]
    search_fields = ["key", "name"]


@admin.register(Expectation)
class ExpectationAdmin(ContentAdmin):
    list_display = ["key", "position", "competency", "version"]
    list_select_related = ["version__framework", "position", "competency"]
    search_fields = ["key", "text"]


@admin.register(PromotionCriterion)
class PromotionCriterionAdmin(ContentAdmin):
    list_display = ["key", "position", "required", "version"]
    list_select_related = ["version__framework", "position"]


@admin.register(PathStep)
class PathStepAdmin(ContentAdmin):
    list_display = ["key", "kind", "from_position", "to_position", "version"]
    list_select_related = ["version__framework", "from_position", "to_position"]
