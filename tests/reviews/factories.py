"""Review test data. Revisions and rounds are made through the services, never by hand, so
they always hold what the services would store (a real document, its hash, the log)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import factory
from django.contrib.auth.models import AbstractBaseUser

from reviews.models import Reviewer, ReviewRound, Revision, StakeholderGroup
from reviews.services import revision_save
from roles.document import Document
from roles.models import Framework
from roles.serialization import document_from_version
from roles.services import draft_get, draft_replace

# Seeded by the migration reviews/0002_default_stakeholder_groups.
DESIGN_LEADS, DELIVERY_LEAD, HR, MANAGEMENT = "Design leads", "Delivery lead", "HR", "Management"
SEEDED_GROUPS = (DESIGN_LEADS, DELIVERY_LEAD, HR, MANAGEMENT)

# Elements of tests.factories.make_document() (1 role x 3 levels, 2 competencies, 2 statements).
STATEMENT = "role-1.l1.comp-1.1"  # "Competency 1 statement 1 at Level 1."
SAME_CELL_STATEMENT = "role-1.l1.comp-1.2"
OTHER_STATEMENT = "role-1.l2.comp-2.1"  # "Competency 2 statement 1 at Level 2."


class StakeholderGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderGroup
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Stakeholders {n}")
    description = ""


def save_revision(
    framework: Framework, user: AbstractBaseUser, summary: str = "Reworded statements"
) -> Revision:
    """The draft as a new revision (or the existing one with the same content)."""
    return revision_save(framework=framework, user=user, summary=summary).revision


def draft_document(framework: Framework) -> Document:
    return document_from_version(draft_get(framework=framework))


def edit_draft(framework: Framework, change: Callable[[Document], Any]) -> Document:
    """Apply ``change`` to a copy of the draft's document and store it as the draft."""
    document = copy.deepcopy(draft_document(framework))
    change(document)
    draft_replace(framework=framework, document=document)
    return document


def reword(key: str, text: str) -> Callable[[Document], None]:
    """A draft change: the statement ``key`` gets ``text``."""

    def change(document: Document) -> None:
        (item,) = [e for e in document["expectations"] if e["key"] == key]
        item["text"] = text

    return change


def remove_statement(key: str) -> Callable[[Document], None]:
    def change(document: Document) -> None:
        document["expectations"] = [e for e in document["expectations"] if e["key"] != key]

    return change


def seat_of(round: ReviewRound, user: AbstractBaseUser) -> Reviewer:
    return Reviewer.objects.select_related("round", "group", "user").get(round=round, user=user)
