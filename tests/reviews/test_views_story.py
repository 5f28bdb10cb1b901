"""The whole review story through the test client (issue: drafting and review).

draft → revision → round with four stakeholder groups → comments → changes requested →
new revision → approvals → publish → the new version is what designers see.
"""

from __future__ import annotations

import copy
import re

import pytest
from django.urls import reverse

from reviews.models import Decision, ReviewRound, Revision, RoundStatus, StakeholderGroup
from roles.models import FrameworkVersion
from roles.serialization import document_from_version
from roles.services import draft_get, draft_replace
from tests.factories import PublishedFrameworkFactory, UserFactory, make_document

GROUPS = ["Design leads", "Delivery lead", "HR", "Management"]


def _text(response) -> str:
    """The page as a reader sees it: tags stripped (word diffs wrap each word)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def story(db):
    editor = UserFactory(username="editor")
    framework = PublishedFrameworkFactory(slug="design", editors=[editor])
    reviewers = {name: UserFactory(username=name.lower().replace(" ", "-")) for name in GROUPS}
    return framework, editor, reviewers


def _change_a_statement(framework, new_text: str) -> str:
    document = document_from_version(draft_get(framework=framework))
    changed = copy.deepcopy(document)
    changed["expectations"][0]["text"] = new_text
    draft_replace(framework=framework, document=changed)
    return changed["expectations"][0]["key"]


@pytest.mark.django_db
def test_the_whole_review_story(client, story, mailoutbox, django_capture_on_commit_callbacks):
    framework, editor, reviewers = story
    slug = framework.slug
    _login(client, editor)

    # The editor changes the draft and saves it as r1.
    key = _change_a_statement(framework, "Frames problems with evidence from research.")
    response = client.post(
        reverse("reviews:revision-list", kwargs={"slug": slug}), {"summary": "Sharper framing"}
    )
    assert response.status_code == 302
    r1 = Revision.objects.get(framework=framework, number=1)

    # ...and opens a round with one reviewer from each of four groups.
    data = {
        "revision": r1.pk,
        "due_on": "2099-01-31",
        "message": "Please look at problem framing.",
        "seats-TOTAL_FORMS": "6",
        "seats-INITIAL_FORMS": "0",
    }
    for i, name in enumerate(GROUPS):
        data[f"seats-{i}-user"] = reviewers[name].pk
        data[f"seats-{i}-group"] = StakeholderGroup.objects.get(name=name).pk
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:round-create", kwargs={"slug": slug}), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    round = ReviewRound.objects.get(framework=framework)
    assert len(mailoutbox) == 4
    assert "Please look at problem framing." in mailoutbox[0].body
    assert reverse("reviews:decision-create", kwargs={"slug": slug, "pk": round.pk}) in (
        mailoutbox[0].body
    )

    round_url = reverse("reviews:round-detail", kwargs={"slug": slug, "pk": round.pk})
    decide_url = reverse("reviews:decision-create", kwargs={"slug": slug, "pk": round.pk})
    comment_url = reverse("reviews:comment-create", kwargs={"slug": slug, "pk": round.pk})

    # A design lead reads the change, comments on the exact statement, requests changes.
    lead = reviewers["Design leads"]
    _login(client, lead)
    page = _text(client.get(round_url))
    assert "Frames problems with evidence from research." in page
    assert "Sharper framing" in page
    response = client.post(
        comment_url, {"anchor": f"expectations:{key}", "body": "Say which evidence counts."}
    )
    assert response.status_code == 302
    response = client.post(
        decide_url, {"verdict": "request_changes", "note": "Needs an example of evidence."}
    )
    assert response.status_code == 302
    assert Decision.objects.get(reviewer__user=lead).verdict == "request_changes"

    # The editor revises: r2, moves the round to it.
    _login(client, editor)
    _change_a_statement(framework, "Frames problems with evidence such as interviews or data.")
    client.post(
        reverse("reviews:revision-list", kwargs={"slug": slug}), {"summary": "Evidence examples"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:round-advance", kwargs={"slug": slug, "pk": round.pk}))
    round.refresh_from_db()
    assert round.revision.number == 2
    # Blocked: nobody has approved r2 yet.
    response = client.post(reverse("reviews:round-publish", kwargs={"slug": slug, "pk": round.pk}))
    assert FrameworkVersion.objects.published().filter(framework=framework).count() == 1

    # The lead sees only what changed since r1, with their comment marked as changed.
    _login(client, lead)
    page = _text(client.get(round_url))
    assert "since you last looked (r1)" in page
    assert "element changed since" in page

    # Everyone approves r2.
    for user in reviewers.values():
        _login(client, user)
        assert client.post(decide_url, {"verdict": "approve"}).status_code == 302

    # The editor publishes: v2 exists and designers read the new text.
    _login(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviews:round-publish", kwargs={"slug": slug, "pk": round.pk})
        )
    assert response.status_code == 302
    round.refresh_from_db()
    assert round.status == RoundStatus.PUBLISHED
    current = FrameworkVersion.objects.current().get(framework=framework)
    assert current.number == 2 and current.from_revision == 2

    client.logout()
    position = reverse(
        "ladders:position-detail", kwargs={"slug": slug, "role": "role-1", "level": "l1"}
    )
    assert "evidence such as interviews or data" in client.get(position).content.decode()

    # The activity log tells the story.
    _login(client, editor)
    log = client.get(reverse("reviews:activity-list", kwargs={"slug": slug})).content.decode()
    for words in ["saved revision", "opened a review round", "requested changes", "published"]:
        assert words in log


@pytest.mark.django_db
def test_reviewer_inbox_lists_rounds_by_due_date(client, story):
    framework, editor, reviewers = story
    make_document  # noqa: B018 - the fixture framework already holds make_document()
    _login(client, reviewers["HR"])
    assert "Nothing to review" in client.get(reverse("reviews:inbox")).content.decode()
