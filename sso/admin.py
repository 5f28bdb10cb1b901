"""Group mappings are set here; identities and grants are there to inspect (README "Single
sign-on")."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from sso.models import Grant, GroupMapping, Identity


@admin.register(GroupMapping)
class GroupMappingAdmin(admin.ModelAdmin):
    list_display = ["claim_value", "target", "framework", "stakeholder_group"]
    list_display_links = ["claim_value", "target"]
    list_filter = ["target"]
    list_select_related = ["framework", "stakeholder_group"]
    search_fields = ["claim_value", "framework__name", "stakeholder_group__name"]
    autocomplete_fields = ["framework", "stakeholder_group"]
    fieldsets = [
        (
            None,
            {
                "fields": ["claim_value", "target", "framework", "stakeholder_group"],
                "description": _(
                    "At every single sign-on login, people whose groups claim holds this value "
                    "get what it grants; a grant whose value they no longer have is taken back. "
                    "Memberships given by hand are never taken back. Changes apply at each "
                    "person's next login."
                ),
            },
        )
    ]


@admin.register(Identity)
class IdentityAdmin(admin.ModelAdmin):
    """Add one by hand to let an existing account log in with single sign-on."""

    list_display = ["subject", "issuer", "user", "created_at", "last_login_at"]
    list_filter = ["issuer"]
    list_select_related = ["user"]
    search_fields = ["subject", "user__username", "user__email"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at", "last_login_at"]


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    """What single sign-on granted. Deleting a record keeps the membership for good: the next
    login then treats it as given by hand."""

    list_display = ["user", "target", "framework", "stakeholder_group", "granted_at"]
    list_filter = ["target"]
    list_select_related = ["user", "framework", "stakeholder_group"]
    search_fields = ["user__username", "user__email"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
