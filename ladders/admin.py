"""Staff inspection of people (HR edits them in the app, not here)."""

from django.contrib import admin

from ladders.models import PayBand, PaySettings, Person, PositionChange, Salary


class PositionChangeInline(admin.TabularInline):
    model = PositionChange
    extra = 0
    readonly_fields = ["role_key", "level_key", "sub_role_key", "title", "changed_on", "reason"]
    can_delete = False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "framework", "role_key", "level_key", "lead", "active"]
    list_filter = ["framework", "active"]
    search_fields = ["name", "email"]
    raw_id_fields = ["user", "lead"]
    inlines = [PositionChangeInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Pay history is inspected here, never changed: HR adds rows in the app."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PaySettings)
class PaySettingsAdmin(ReadOnlyAdmin):
    list_display = ["framework", "enabled", "visible_to_people", "updated_by", "updated_at"]


@admin.register(PayBand)
class PayBandAdmin(ReadOnlyAdmin):
    list_display = [
        "framework",
        "role_key",
        "level_key",
        "sub_role_key",
        "region",
        "currency",
        "minimum",
        "midpoint",
        "maximum",
        "effective_on",
        "created_by",
    ]
    list_filter = ["framework", "currency"]
    search_fields = ["role_key", "level_key", "region"]


@admin.register(Salary)
class SalaryAdmin(ReadOnlyAdmin):
    list_display = ["person", "amount", "currency", "region", "effective_on", "created_by"]
    list_filter = ["currency"]
    search_fields = ["person__name"]
