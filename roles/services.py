"""Writes to framework content: create, replace the draft, publish (STYLE.md section 2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from roles.document import Document, document_sha256
from roles.models import Framework, FrameworkVersion, VersionStatus, Visibility
from roles.serialization import create_rows, delete_rows, document_from_version


class PublishError(Exception):
    """The draft cannot be published (e.g. it is empty)."""


def framework_create(
    *,
    slug: str,
    name: str,
    description: str = "",
    visibility: str = Visibility.MEMBERS,
) -> Framework:
    """A new framework with an empty draft."""
    with transaction.atomic():
        framework = Framework.objects.create(
            slug=slug, name=name, description=description, visibility=visibility
        )
        FrameworkVersion.objects.create(framework=framework, status=VersionStatus.DRAFT)
    return framework


def draft_get(*, framework: Framework, for_update: bool = False) -> FrameworkVersion:
    """The framework's draft, created empty if it is missing."""
    qs = FrameworkVersion.objects.drafts().filter(framework=framework)
    if for_update:
        qs = qs.select_for_update()
    draft = qs.first()
    if draft is None:
        draft = FrameworkVersion.objects.create(framework=framework, status=VersionStatus.DRAFT)
    return draft


def draft_replace(*, framework: Framework, document: Document) -> FrameworkVersion:
    """Replace the draft's whole content with ``document`` (already validated)."""
    with transaction.atomic():
        draft = draft_get(framework=framework, for_update=True)
        delete_rows(draft)
        create_rows(draft, document)
        FrameworkVersion.objects.filter(pk=draft.pk).update(
            lock_version=F("lock_version") + 1, document_sha256=document_sha256(document)
        )
        draft.refresh_from_db()
    return draft


def version_publish(
    *,
    framework: Framework,
    user: AbstractBaseUser | None = None,
    from_revision: int | None = None,
) -> FrameworkVersion:
    """Freeze the draft's content as the next numbered version; the previous one is archived.

    The draft stays as it is, so editing continues from what was published.
    """
    with transaction.atomic():
        # Lock the framework row: two publishes at once get consecutive numbers, never a clash.
        Framework.objects.select_for_update().get(pk=framework.pk)
        draft = draft_get(framework=framework, for_update=True)
        document = document_from_version(draft)
        if not document["positions"]:
            raise PublishError(
                gettext("The draft has no positions yet; there is nothing to publish.")
            )
        last = (
            FrameworkVersion.objects.published()
            .filter(framework=framework)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        FrameworkVersion.objects.current().filter(framework=framework).update(
            status=VersionStatus.ARCHIVED
        )
        version = FrameworkVersion.objects.create(
            framework=framework,
            number=(last or 0) + 1,
            status=VersionStatus.PUBLISHED,
            published_at=timezone.now(),
            published_by=user if user and user.is_authenticated else None,
            from_revision=from_revision,
            document_sha256=document_sha256(document),
        )
        create_rows(version, document)
    return version


@dataclass(frozen=True)
class ImportResult:
    framework: Framework
    draft: FrameworkVersion
    created: bool
    published: FrameworkVersion | None


def framework_import(
    *,
    slug: str,
    document: Document,
    name: str | None = None,
    publish: bool = False,
    user: AbstractBaseUser | None = None,
) -> ImportResult:
    """Create the framework if needed, replace its draft, optionally publish — all or nothing."""
    with transaction.atomic():
        framework = Framework.objects.filter(slug=slug).first()
        created = framework is None
        if framework is None:
            framework = framework_create(slug=slug, name=name or slug.replace("-", " ").title())
        elif name and name != framework.name:
            framework.name = name
            framework.save(update_fields=["name", "updated_at"])
        draft = draft_replace(framework=framework, document=document)
        published = version_publish(framework=framework, user=user) if publish else None
    return ImportResult(framework, draft, created, published)
