"""Staff inspection of people (HR edits them in the app, not here)."""

from django.contrib import admin

from ladders.models import Person, PositionChange


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
