"""Fixtures for the review tests: a published framework whose draft is under review, its
editor, one reviewer per seeded stakeholder group, and an open round on revision r1."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from reviews.models import ReviewRound, Revision, StakeholderGroup
from reviews.services import decision_record, round_open
from roles.models import Framework
from tests.factories import PublishedFrameworkFactory, UserFactory
from tests.reviews.factories import (
    DELIVERY_LEAD,
    DESIGN_LEADS,
    HR,
    MANAGEMENT,
    SEEDED_GROUPS,
    StakeholderGroupFactory,
    save_revision,
    seat_of,
)

Pairs = list[tuple[AbstractBaseUser, StakeholderGroup]]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test here makes several users; the default PBKDF2 costs ~0.1 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def groups(db) -> dict[str, StakeholderGroup]:
    """The stakeholder groups seeded by the migration, by name. Made again when missing: a
    transactional test (``transaction=True``) run earlier flushes the seeded rows."""
    return {name: StakeholderGroupFactory(name=name) for name in SEEDED_GROUPS}


@pytest.fixture
def editor(db) -> AbstractBaseUser:
    return UserFactory(username="editor", first_name="Edith", last_name="Editor")


@pytest.fixture
def stranger(db) -> AbstractBaseUser:
    """Logged in, but neither an editor nor a reviewer."""
    return UserFactory(username="stranger")


@pytest.fixture
def framework(editor) -> Framework:
    """Published as v1; its draft holds ``make_document()``."""
    return PublishedFrameworkFactory(name="Product Design", editors=[editor])


@pytest.fixture
def revision(framework, editor) -> Revision:
    return save_revision(framework, editor, "First draft for review")


@pytest.fixture
def designer(db) -> AbstractBaseUser:
    return UserFactory(username="designer", first_name="Dana", last_name="Designer")


@pytest.fixture
def delivery(db) -> AbstractBaseUser:
    return UserFactory(username="delivery", first_name="Del", last_name="Ivery")


@pytest.fixture
def people(db) -> AbstractBaseUser:
    return UserFactory(username="people", first_name="Pat", last_name="People")


@pytest.fixture
def manager(db) -> AbstractBaseUser:
    return UserFactory(username="manager", first_name="Max", last_name="Manager")


@pytest.fixture
def reviewers(designer, delivery, people, manager, groups) -> Pairs:
    """One reviewer per seeded stakeholder group."""
    return [
        (designer, groups[DESIGN_LEADS]),
        (delivery, groups[DELIVERY_LEAD]),
        (people, groups[HR]),
        (manager, groups[MANAGEMENT]),
    ]


@pytest.fixture
def due_on(today) -> datetime.date:
    return today + datetime.timedelta(days=7)


@pytest.fixture
def review_round(revision, editor, reviewers, due_on) -> ReviewRound:
    """Open on r1 with the four reviewers, due in a week, no approval policy (so each
    group present needs one approval). Its emails are not sent: nothing commits."""
    return round_open(
        revision=revision, user=editor, reviewers=reviewers, due_on=due_on, message="Please look"
    )


@pytest.fixture
def approve_all(reviewers) -> Callable[[ReviewRound], None]:
    """Every reviewer approves the round's current revision."""

    def approve(round: ReviewRound) -> None:
        for user, _ in reviewers:
            decision_record(round=round, seat=seat_of(round, user), user=user, verdict="approve")

    return approve
