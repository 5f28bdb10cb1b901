"""Django's password backend, loading each person's profile with them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import backends, get_user_model


class ModelBackend(backends.ModelBackend):
    """As Django's, but the user of a session comes with their profile (language, time zone)
    in the same query: every page reads it (``UserLocaleMiddleware``), so this saves a query
    on each request of a logged-in person."""

    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            user = model._default_manager.select_related("profile").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
