from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = _("Framework content")

    def ready(self) -> None:
        # The <key:…> path converter is used by every app's URLconf; registering it here
        # makes it exist before any of them is imported, whichever comes first.
        from django.urls import register_converter

        from roles.converters import KeyConverter

        register_converter(KeyConverter, "key")

        # Outdate the shared lookup of current versions whenever a framework or version
        # changes, however it is saved (admin, services, importer, cascades). Infrastructure,
        # not business logic, and within this app (STYLE.md: no signals across apps).
        from django.db.models.signals import post_delete, post_save

        from roles.lookup_cache import forget_on_commit
        from roles.models import Framework, FrameworkVersion

        for model in (Framework, FrameworkVersion):
            post_save.connect(forget_on_commit, sender=model, dispatch_uid=f"lookup-{model}")
            post_delete.connect(forget_on_commit, sender=model, dispatch_uid=f"lookup-{model}")
