"""``manage.py clear_cache``: empty every configured cache (after restoring a backup)."""

from django.core.cache import caches
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Empty every configured cache: rendered pages and fragments, and the lookup of each "
        "framework's current version. Run it after restoring a backup into a running site "
        "with a shared cache (Redis, memcached); a per-process cache empties when the app "
        "restarts."
    )

    def handle(self, *args, **options) -> None:
        for name in caches.settings:
            caches[name].clear()
            self.stdout.write(f"Cleared the {name!r} cache.")
