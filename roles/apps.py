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
