"""URLs of pages within a framework version: the short form for the current version."""

from __future__ import annotations

from django.urls import reverse

from roles.models import FrameworkVersion


def version_url(version: FrameworkVersion, name: str, **kwargs: str) -> str:
    kwargs["slug"] = version.framework.slug
    if not version.is_current:
        kwargs["number"] = version.number
    return reverse(name, kwargs=kwargs)
