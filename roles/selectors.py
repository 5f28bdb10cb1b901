"""Read shapes of framework content."""

from __future__ import annotations

from django.http import Http404

from roles.models import Framework, FrameworkVersion


def version_for_export(*, framework: Framework, version: str) -> FrameworkVersion:
    """``version`` is a number, ``latest`` (the current published one) or ``draft``."""
    versions = FrameworkVersion.objects.filter(framework=framework)
    if version == "draft":
        found = versions.drafts().first()
    elif version == "latest":
        found = versions.current().first()
    elif version.isdigit():
        found = versions.published().filter(number=int(version)).first()
    else:
        raise ValueError(f"version must be a number, 'latest' or 'draft', not {version!r}")
    if found is None:
        raise FrameworkVersion.DoesNotExist(f"{framework.slug} has no version {version!r}")
    return found


def current_version(framework: Framework) -> FrameworkVersion:
    version = FrameworkVersion.objects.current().filter(framework=framework).first()
    if version is None:
        raise Http404("This framework has not been published yet.")
    return version
