from django.apps import AppConfig


class SsoConfig(AppConfig):
    """OpenID Connect login and the mapping of identity-provider groups to careerframe roles."""

    name = "sso"
    verbose_name = "Single sign-on"
