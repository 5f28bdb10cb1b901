"""Staff inspection of the review workflow (the admin is not the authoring UI), and the
members of the stakeholder groups, which are set here (or by single sign-on)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from reviews.models import (
    Activity,
    ApprovalRule,
    Assessment,
    Comment,
    CriterionRating,
    Decision,
    Reviewer,
    ReviewRound,
    Revision,
    StakeholderGroup,
)


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "member_count"]
    search_fields = ["name"]
    filter_horizontal = ["members"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_member_count=Count("members"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, obj: StakeholderGroup) -> int:
        return obj._member_count


@admin.register(ApprovalRule)
class ApprovalRuleAdmin(admin.ModelAdmin):
    list_display = ["framework", "group", "approvals", "lazy_consensus"]
    list_filter = ["framework", "group"]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["framework", "number", "summary", "author", "created_at"]
    list_filter = ["framework"]
    readonly_fields = [f.name for f in Revision._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # revisions are immutable


class ReviewerInline(admin.TabularInline):
    model = Reviewer
    extra = 0
    raw_id_fields = ["user", "delegate"]


@admin.register(ReviewRound)
class ReviewRoundAdmin(admin.ModelAdmin):
    list_display = ["framework", "revision", "status", "due_on", "opened_by", "opened_at"]
    list_filter = ["status", "framework"]
    inlines = [ReviewerInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["round", "reviewer", "revision", "verdict", "decided_by", "created_at"]
    list_filter = ["verdict"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["round", "anchor", "author", "created_at", "resolved_at"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["framework", "actor", "verb", "detail", "created_at"]
    list_filter = ["framework", "verb"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CriterionRatingInline(admin.TabularInline):
    model = CriterionRating
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["person", "assessor", "status", "decision", "updated_at"]
    list_filter = ["status", "decision"]
    raw_id_fields = ["person", "assessor", "decided_by"]
    inlines = [CriterionRatingInline]
