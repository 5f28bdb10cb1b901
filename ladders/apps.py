from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LaddersConfig(AppConfig):
    name = "ladders"
    verbose_name = _("Career ladders")

    def ready(self) -> None:
        # The daily digest leaves out what a person may no longer open (notifications.links).
        from notifications import links
        from roles.access import get_published_version_or_404

        links.register("ladders:framework-detail", get_published_version_or_404)
