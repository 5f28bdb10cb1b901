"""The reviewer's path in a real browser: log in from the inbox link, read the diff,
comment on a statement, approve."""

from __future__ import annotations

import copy
import datetime
import re

import pytest

from reviews.models import Comment, Decision, StakeholderGroup
from reviews.services import revision_save, round_open
from roles.serialization import document_from_version
from roles.services import draft_get, draft_replace
from tests.factories import PASSWORD, PublishedFrameworkFactory, UserFactory


@pytest.fixture
def review(transactional_db):
    editor = UserFactory(username="editor")
    reviewer = UserFactory(username="lena", first_name="Lena")
    framework = PublishedFrameworkFactory(slug="design", name="Design careers", editors=[editor])
    document = copy.deepcopy(document_from_version(draft_get(framework=framework)))
    document["expectations"][0]["text"] = "Frames problems with evidence from interviews."
    draft_replace(framework=framework, document=document)
    revision = revision_save(framework=framework, user=editor, summary="Evidence").revision
    round_open(
        revision=revision,
        user=editor,
        reviewers=[(reviewer, StakeholderGroup.objects.get_or_create(name="Design leads")[0])],
        due_on=datetime.date.today() + datetime.timedelta(days=3),
    )
    return reviewer, document["expectations"][0]["key"]


@pytest.mark.browser
def test_reviewer_reads_the_diff_comments_on_a_statement_and_approves(live_server, page, review):
    reviewer, key = review
    page.goto(f"{live_server.url}/reviews/")
    # Not logged in: the inbox asks for a login first and comes back.
    page.get_by_label("Username").fill("lena")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.get_by_role("heading", name="My reviews").wait_for()

    page.get_by_role("link", name=re.compile("Design careers")).click()
    page.get_by_role("heading", name=re.compile("What changed")).wait_for()
    changed = page.locator(".cf-diff-changed").first
    assert "interviews" in changed.inner_text()

    changed.get_by_text("Comment on this").click()
    changed.get_by_label(re.compile("Your comment")).fill("Which interviews count?")
    changed.get_by_role("button", name="Add comment").click()
    page.get_by_text("Comment added.").wait_for()
    assert page.locator(".cf-thread").first.inner_text().count("Which interviews count?") == 1

    page.get_by_role("button", name=re.compile("Approve r1")).click()
    page.get_by_text("Recorded: approve on r1.").wait_for()

    comment = Comment.objects.get()
    assert comment.anchor == f"expectations:{key}" and comment.author == reviewer
    assert Decision.objects.get().verdict == "approve"
