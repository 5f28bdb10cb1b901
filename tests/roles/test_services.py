"""Services: import a framework, replace its draft, publish numbered versions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from roles.document import document_sha256
from roles.models import Framework, FrameworkVersion, VersionStatus
from roles.serialization import document_from_version
from roles.services import (
    PublishError,
    draft_get,
    draft_replace,
    framework_create,
    framework_import,
    version_publish,
)
from tests.factories import (
    FrameworkFactory,
    PublishedFrameworkFactory,
    UserFactory,
    make_document,
    make_tracked_document,
)

pytestmark = pytest.mark.django_db


def versions_of(framework: Framework) -> list[tuple[int | None, str]]:
    return list(
        FrameworkVersion.objects.filter(framework=framework)
        .order_by("pk")
        .values_list("number", "status")
    )


def test_framework_create_makes_a_framework_with_an_empty_draft():
    framework = framework_create(slug="design", name="Design")
    draft = draft_get(framework=framework)
    assert versions_of(framework) == [(None, "draft")]
    assert document_from_version(draft)["positions"] == []


def test_framework_import_creates_the_framework_with_the_document_as_its_draft():
    document = make_tracked_document()
    result = framework_import(slug="design-team", document=document)
    assert result.created is True
    assert result.published is None
    assert result.framework.name == "Design Team"
    assert versions_of(result.framework) == [(None, "draft")]
    assert document_from_version(result.draft) == document
    assert result.draft.document_sha256 == document_sha256(document)


def test_framework_import_into_an_existing_framework_replaces_only_the_draft():
    framework = PublishedFrameworkFactory(slug="design", name="Design")
    v1 = FrameworkVersion.objects.get(framework=framework, number=1)
    v1_document = document_from_version(v1)
    document = make_tracked_document()
    result = framework_import(slug="design", document=document)
    assert result.created is False
    assert result.framework == framework
    assert result.framework.name == "Design"
    assert document_from_version(result.draft) == document
    assert document_from_version(v1) == v1_document
    assert versions_of(framework) == [(None, "draft"), (1, "published")]


def test_framework_import_renames_the_framework_when_given_a_name():
    PublishedFrameworkFactory(slug="design", name="Design")
    framework_import(slug="design", document=make_document(), name="Product Design")
    assert Framework.objects.get(slug="design").name == "Product Design"


def test_framework_import_with_publish_publishes_the_imported_content():
    document = make_tracked_document()
    result = framework_import(slug="design", document=document, publish=True)
    assert result.published.number == 1
    assert result.published.status == VersionStatus.PUBLISHED
    assert document_from_version(result.published) == document
    assert result.published.document_sha256 == document_sha256(document)


def test_framework_import_that_cannot_publish_leaves_nothing_behind():
    framework = PublishedFrameworkFactory(slug="design")
    draft = draft_get(framework=framework)
    before = (document_from_version(draft), draft.lock_version, versions_of(framework))
    empty = make_document(roles=0, levels=0, competencies=0)
    with pytest.raises(PublishError):
        framework_import(slug="design", document=empty, publish=True)
    with pytest.raises(PublishError):
        framework_import(slug="new", document=empty, publish=True)
    draft.refresh_from_db()
    assert (document_from_version(draft), draft.lock_version, versions_of(framework)) == before
    assert not Framework.objects.filter(slug="new").exists()


def test_draft_replace_replaces_the_content_and_bumps_the_lock_version():
    framework = FrameworkFactory()
    first = draft_replace(framework=framework, document=make_document(roles=3))
    assert first.lock_version == 1
    document = make_tracked_document()
    second = draft_replace(framework=framework, document=document)
    assert second.pk == first.pk
    assert second.lock_version == 2
    assert document_from_version(second) == document
    assert second.document_sha256 == document_sha256(document)
    assert versions_of(framework) == [(None, "draft")]


def test_draft_replace_creates_the_draft_when_it_is_missing():
    framework = FrameworkFactory()
    FrameworkVersion.objects.filter(framework=framework).delete()
    draft = draft_replace(framework=framework, document=make_document())
    assert draft.is_draft
    assert document_from_version(draft) == make_document()


def test_draft_replace_does_not_touch_published_versions_or_other_frameworks():
    framework = PublishedFrameworkFactory(content=make_document(roles=1))
    other = PublishedFrameworkFactory(content=make_document(roles=2))
    v1 = FrameworkVersion.objects.get(framework=framework, number=1)
    draft_replace(framework=framework, document=make_tracked_document())
    assert document_from_version(v1) == make_document(roles=1)
    assert document_from_version(draft_get(framework=other)) == make_document(roles=2)


def test_version_publish_numbers_versions_and_archives_the_previous_one():
    framework = FrameworkFactory()
    draft_replace(framework=framework, document=make_document())
    numbers = [version_publish(framework=framework).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert versions_of(framework) == [
        (None, "draft"),
        (1, "archived"),
        (2, "archived"),
        (3, "published"),
    ]
    assert FrameworkVersion.objects.current().get(framework=framework).number == 3


def test_version_publish_numbers_each_framework_separately():
    one, two = FrameworkFactory(), FrameworkFactory()
    for framework in (one, two):
        draft_replace(framework=framework, document=make_document())
    assert version_publish(framework=one).number == 1
    assert version_publish(framework=one).number == 2
    assert version_publish(framework=two).number == 1


def test_published_version_holds_the_draft_s_document_and_its_hash():
    framework = FrameworkFactory()
    document = make_tracked_document()
    draft = draft_replace(framework=framework, document=document)
    version = version_publish(framework=framework, from_revision=7)
    assert document_from_version(version) == document
    assert version.document_sha256 == document_sha256(document) == draft.document_sha256
    assert version.published_at is not None
    assert version.from_revision == 7


def test_the_draft_stays_after_publishing_and_later_edits_do_not_change_the_version():
    framework = FrameworkFactory()
    document = make_document()
    draft = draft_replace(framework=framework, document=document)
    version = version_publish(framework=framework)
    kept = draft_get(framework=framework)
    assert (kept.pk, kept.lock_version) == (draft.pk, draft.lock_version)
    assert document_from_version(kept) == document
    draft_replace(framework=framework, document=make_tracked_document())
    assert document_from_version(version) == document


def test_version_publish_records_the_publisher_if_logged_in():
    framework = FrameworkFactory()
    draft_replace(framework=framework, document=make_document())
    user = UserFactory()
    assert version_publish(framework=framework, user=user).published_by == user
    assert version_publish(framework=framework, user=AnonymousUser()).published_by is None
    assert version_publish(framework=framework).published_by is None


def test_version_publish_refuses_an_empty_draft():
    framework = FrameworkFactory()
    with pytest.raises(PublishError, match="no positions"):
        version_publish(framework=framework)
    assert versions_of(framework) == [(None, "draft")]


def test_version_publish_refuses_a_draft_emptied_after_a_publish():
    framework = PublishedFrameworkFactory()
    draft_replace(framework=framework, document=make_document(roles=0, levels=0, competencies=0))
    with pytest.raises(PublishError):
        version_publish(framework=framework)
    assert versions_of(framework) == [(None, "draft"), (1, "published")]
