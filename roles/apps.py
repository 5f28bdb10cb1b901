from django.apps import AppConfig


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Framework content"

    def ready(self) -> None:
        # The <key:…> path converter is used by every app's URLconf; registering it here
        # makes it exist before any of them is imported, whichever comes first.
        from django.urls import register_converter

        from roles.converters import KeyConverter

        register_converter(KeyConverter, "key")
