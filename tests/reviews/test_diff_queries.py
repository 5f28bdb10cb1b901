"""The diff page of two revisions costs the same queries for a small framework and for the
Dropbox framework with a few hundred statements changed."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.services import revision_save
from roles.services import draft_replace
from tests.factories import FrameworkFactory, UserFactory, make_document
from tests.frameworks import framework_document


def _two_revisions(document, editor, slug: str, every: int = 10):
    framework = FrameworkFactory(slug=slug, editors=[editor])
    draft_replace(framework=framework, document=document)
    revision_save(framework=framework, user=editor, summary="as imported")
    changed = copy.deepcopy(document)
    for i, exp in enumerate(changed["expectations"]):
        if i % every == 0:
            exp["text"] += " With evidence."
    del changed["expectations"][1]
    draft_replace(framework=framework, document=changed)
    revision_save(framework=framework, user=editor, summary="sharpened")
    return framework, sum(1 for i in range(len(document["expectations"])) if i % every == 0)


def _diff_queries(client, framework) -> tuple[int, str]:
    url = reverse("reviews:revision-diff", kwargs={"slug": framework.slug}) + "?from=r1&to=r2"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.slow
@pytest.mark.django_db
def test_diff_of_dropbox_revisions_costs_as_many_queries_as_a_small_one(client):
    editor = UserFactory(username="editor")
    client.force_login(editor)
    small, _ = _two_revisions(make_document(roles=1, levels=2), editor, "small", every=2)
    big, changed = _two_revisions(framework_document("dropbox"), editor, "dropbox")
    assert changed >= 250  # "a few hundred statements changed"

    small_count, _ = _diff_queries(client, small)
    big_count, html = _diff_queries(client, big)
    # session + user, framework, editor check, open round, both revisions, the pickers'
    # revisions and versions: the same for both, and small.
    assert big_count == small_count
    assert big_count <= 15
    assert f"{changed} changed" in html and "1 removed" in html
    assert f"({changed + 1})" in html  # the Statements section lists each of them
