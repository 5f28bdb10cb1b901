"""Test data factories (STYLE.md section 8). Defaults build valid objects."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from roles.document import FORMAT, with_defaults
from roles.models import (
    Competency,
    Expectation,
    Framework,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
    VersionStatus,
    Visibility,
)
from roles.services import draft_replace, version_publish

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.Faker("first_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create: bool, names: list[str] | None, **kwargs: Any) -> None:
        for name in names or []:
            self.groups.add(Group.objects.get_or_create(name=name)[0])


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"framework-{n}")
    name = factory.Sequence(lambda n: f"Framework {n}")
    description = "A career framework for testing."
    visibility = Visibility.PUBLIC

    class Params:
        members_only = factory.Trait(visibility=Visibility.MEMBERS)

    @factory.post_generation
    def draft(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        FrameworkVersion.objects.create(framework=self, status=VersionStatus.DRAFT)

    @factory.post_generation
    def editors(self, create: bool, users: list | None, **kwargs: Any) -> None:
        for user in users or []:
            self.editors.add(user)


class FrameworkVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FrameworkVersion

    framework = factory.SubFactory(FrameworkFactory)
    status = VersionStatus.PUBLISHED
    number = factory.Sequence(lambda n: n + 1)
    published_at = factory.LazyFunction(timezone.now)

    class Params:
        draft = factory.Trait(status=VersionStatus.DRAFT, number=None, published_at=None)
        archived = factory.Trait(status=VersionStatus.ARCHIVED)


class _Content(factory.django.DjangoModelFactory):
    version = factory.SubFactory(FrameworkVersionFactory)
    key = factory.Sequence(lambda n: f"item-{n}")
    order = factory.Sequence(lambda n: n)


class TrackFactory(_Content):
    class Meta:
        model = Track

    name = factory.Sequence(lambda n: f"Track {n}")


class RoleFactory(_Content):
    class Meta:
        model = Role

    name = factory.Sequence(lambda n: f"Role {n}")


class SubRoleFactory(_Content):
    class Meta:
        model = SubRole

    role = factory.SubFactory(RoleFactory, version=factory.SelfAttribute("..version"))
    name = factory.Sequence(lambda n: f"Specialism {n}")


class LevelFactory(_Content):
    class Meta:
        model = Level

    name = factory.Sequence(lambda n: f"Level {n}")
    rank = factory.Sequence(lambda n: n + 1)


class PositionFactory(_Content):
    class Meta:
        model = Position

    role = factory.SubFactory(RoleFactory, version=factory.SelfAttribute("..version"))
    level = factory.SubFactory(LevelFactory, version=factory.SelfAttribute("..version"))
    title = factory.LazyAttribute(lambda p: f"{p.level.name} {p.role.name}")


class CompetencyFactory(_Content):
    class Meta:
        model = Competency

    name = factory.Sequence(lambda n: f"Competency {n}")
    category = "Craft"


class ExpectationFactory(_Content):
    class Meta:
        model = Expectation

    position = factory.SubFactory(PositionFactory, version=factory.SelfAttribute("..version"))
    competency = factory.SubFactory(CompetencyFactory, version=factory.SelfAttribute("..version"))
    text = factory.Sequence(lambda n: f"Does thing number {n} well.")


class PromotionCriterionFactory(_Content):
    class Meta:
        model = PromotionCriterion

    position = factory.SubFactory(PositionFactory, version=factory.SelfAttribute("..version"))
    text = factory.Sequence(lambda n: f"Has shown criterion {n}.")


class PathStepFactory(_Content):
    class Meta:
        model = PathStep

    from_position = factory.SubFactory(PositionFactory, version=factory.SelfAttribute("..version"))
    to_position = factory.SubFactory(PositionFactory, version=factory.SelfAttribute("..version"))
    kind = "promotion"


def make_document(
    roles: int = 1, levels: int = 3, competencies: int = 2, statements: int = 2, sub_roles: int = 0
) -> dict[str, Any]:
    """A valid framework document: ``roles`` x ``levels`` positions on shared levels,
    competencies in two categories, ``statements`` per cell, one criterion per position
    above the first, and promotion steps up each ladder."""
    return {
        "format": FORMAT,
        "tracks": [],
        **_document_content(roles, levels, competencies, statements, sub_roles),
    }


class PublishedFrameworkFactory(FrameworkFactory):
    """A framework whose draft holds ``content`` (a document) and is published as v1."""

    @factory.post_generation
    def content(self, create: bool, document: dict[str, Any] | None, **kwargs: Any) -> None:
        draft_replace(framework=self, document=document or make_document())
        version_publish(framework=self)


def _document_content(
    n_roles: int, n_levels: int, n_comps: int, n_statements: int, n_subs: int
) -> dict[str, list[dict[str, Any]]]:
    roles = [
        {"key": f"role-{r}", "name": f"Role {r}", "description": f"What role {r} does."}
        for r in range(1, n_roles + 1)
    ]
    sub_roles = [
        {"key": f"role-{r}.sub-{s}", "role": f"role-{r}", "name": f"Sub {s}", "description": ""}
        for r in range(1, n_roles + 1)
        for s in range(1, n_subs + 1)
    ]
    levels = [
        {
            "key": f"l{lv}",
            "track": None,
            "role": None,
            "code": f"L{lv}",
            "name": f"Level {lv}",
            "rank": lv,
            "summary": f"Summary of level {lv}.",
        }
        for lv in range(1, n_levels + 1)
    ]
    competencies = [
        {
            "key": f"comp-{c}",
            "name": f"Competency {c}",
            "category": "Project execution" if c % 2 else "Internal collaboration",
            "description": "",
            "role": None,
        }
        for c in range(1, n_comps + 1)
    ]
    positions, expectations, criteria, steps = [], [], [], []
    for role in roles:
        previous = None
        for level in levels:
            key = f"{role['key']}.{level['key']}"
            positions.append(
                {
                    "key": key,
                    "role": role["key"],
                    "level": level["key"],
                    "title": f"{level['name']} {role['name']}",
                    "summary": "",
                }
            )
            for comp in competencies:
                for s in range(1, n_statements + 1):
                    expectations.append(
                        {
                            "key": f"{key}.{comp['key']}.{s}",
                            "position": key,
                            "sub_role": None,
                            "competency": comp["key"],
                            "text": f"{comp['name']} statement {s} at {level['name']}.",
                        }
                    )
            if previous:
                criteria.append(
                    {
                        "key": f"{key}.c1",
                        "position": key,
                        "text": f"Consistently works at {level['name']}.",
                        "required": True,
                        "evidence_hint": "Two projects.",
                    }
                )
                steps.append(
                    {
                        "key": f"{previous}--{key}",
                        "from": previous,
                        "to": key,
                        "kind": "promotion",
                        "note": "",
                    }
                )
            previous = key
    return {
        "roles": roles,
        "sub_roles": sub_roles,
        "levels": levels,
        "competencies": competencies,
        "positions": positions,
        "expectations": expectations,
        "criteria": criteria,
        "path_steps": steps,
    }


def make_tracked_document() -> dict[str, Any]:
    """A valid document using every field: forking tracks, a role-specific level and
    competency, sub-roles, a statement for one sub-role, an optional criterion, and
    promotion, track-switch and lateral steps. Texts carry Markdown and non-ASCII."""

    def position(role: str, level: str, title: str) -> dict[str, Any]:
        return {"key": f"{role}.{level}", "role": role, "level": level, "title": title}

    def level(key: str, track: str, rank: int, role: str | None = None) -> dict[str, Any]:
        return {
            "key": key,
            "track": track,
            "role": role,
            "code": key.upper()[:20],
            "name": key.replace("-", " ").title(),
            "rank": rank,
            "summary": f"Works at {key}.",
        }

    def step(source: str, target: str, kind: str = "promotion", note: str = "") -> dict[str, Any]:
        return {
            "key": f"{source}--{target}",
            "from": source,
            "to": target,
            "kind": kind,
            "note": note,
        }

    positions = [
        position("design", "junior", "Junior Designer"),
        position("design", "mid", "Designer"),
        position("design", "lead-ic", "Lead Designer"),
        position("design", "lead-mgr", "Design Manager"),
        position("content", "junior", "Junior Content Designer"),
        position("content", "mid", "Content Designer"),
        position("content", "content-lead", "Lead Content Designer"),
    ]
    expectations = []
    for pos in positions:
        comps = ["craft", "collab"] if pos["role"] == "design" else ["writing", "collab"]
        for comp in comps:
            expectations.append(
                {
                    "key": f"{pos['key']}.{comp}.1",
                    "position": pos["key"],
                    "sub_role": None,
                    "competency": comp,
                    "text": f"**{pos['title']}**: {comp} — “done well”, see [guide](guide.html).",
                }
            )
    expectations.append(
        {
            "key": "design.mid.craft.2",
            "position": "design.mid",
            "sub_role": "design.research",
            "competency": "craft",
            "text": "Plans studies with several méthodes.",
        }
    )
    return with_defaults(
        {
            "format": FORMAT,
            "tracks": [
                {"key": "common", "name": "Common", "forks_from": None},
                {"key": "ic", "name": "Individual Contributor", "forks_from": "common"},
                {"key": "mgr", "name": "People Manager", "forks_from": "common"},
            ],
            "roles": [
                {"key": "design", "name": "Design", "description": "Designs things."},
                {"key": "content", "name": "Content Design"},
            ],
            "sub_roles": [
                {"key": "design.interaction", "role": "design", "name": "Interaction"},
                {
                    "key": "design.research",
                    "role": "design",
                    "name": "Research",
                    "description": "UX",
                },
            ],
            "levels": [
                level("junior", "common", 1),
                level("mid", "common", 2),
                level("lead-ic", "ic", 3),
                level("lead-mgr", "mgr", 3),
                level("content-lead", "ic", 3, role="content"),
            ],
            "competencies": [
                {"key": "craft", "name": "Craft", "category": "Project execution"},
                {"key": "collab", "name": "Collaboration", "category": "Internal collaboration"},
                {"key": "writing", "name": "Writing", "role": "content", "description": "Words."},
            ],
            "positions": positions,
            "expectations": expectations,
            "criteria": [
                {"key": "design.mid.c1", "position": "design.mid", "text": "Ships alone."},
                {
                    "key": "design.lead-ic.c1",
                    "position": "design.lead-ic",
                    "text": "Leads a project.",
                    "required": False,
                    "evidence_hint": "One project write-up.",
                },
            ],
            "path_steps": [
                step("design.junior", "design.mid"),
                step("design.mid", "design.lead-ic"),
                step("design.mid", "design.lead-mgr"),
                step("design.lead-ic", "design.lead-mgr", "track_switch"),
                step("design.mid", "content.mid", "lateral", "After a writing project."),
                step("content.junior", "content.mid"),
                step("content.mid", "content.content-lead"),
            ],
        }
    )


class DraftFrameworkFactory(FrameworkFactory):
    """A framework whose draft holds ``content`` (a document; ``make_document()`` by default),
    never published — the draft editor's starting point."""

    @factory.post_generation
    def content(self, create: bool, document: dict[str, Any] | None, **kwargs: Any) -> None:
        draft_replace(framework=self, document=document or make_document())


# --- people and assessments -------------------------------------------------------------------


class PersonFactory(factory.django.DjangoModelFactory):
    """Somebody on ``role-1`` at ``l1`` of a framework published from ``make_document()``,
    with no lead and no login (pass ``lead=`` / ``user=``)."""

    class Meta:
        model = "ladders.Person"

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.com")
    framework = factory.SubFactory(PublishedFrameworkFactory)
    role_key = "role-1"
    level_key = "l1"


def rate_all(assessment, user, rating: str = "met") -> None:
    """The lead rates every criterion of ``assessment`` and recommends promotion."""
    from reviews.assessments.ratings import RatingInput
    from reviews.assessments.services import ratings_save
    from reviews.models import CriterionRating

    keys = CriterionRating.objects.filter(assessment=assessment).values_list(
        "criterion_key", flat=True
    )
    ratings_save(
        assessment=assessment,
        user=user,
        ratings={key: RatingInput(rating=rating, evidence="Shipped it.") for key in keys},
        recommendation="promote",
    )


def assessment_in_state(state: str, *, person, lead, hr=None, target=None):
    """An assessment of ``person`` by ``lead`` walked through the services to ``state``:
    draft, self_review, submitted, promoted or not_yet (the last two need ``hr``)."""
    from reviews.assessments.services import (
        assessment_decide,
        assessment_start,
        assessment_submit,
    )

    assessment = assessment_start(
        lead=lead, person=person, target=target, self_assessment=state == "self_review"
    )
    if state in ("draft", "self_review"):
        return assessment
    rate_all(assessment, lead)
    assessment_submit(assessment=assessment, user=lead)
    if state == "submitted":
        return assessment
    decision = "promote" if state == "promoted" else "not_yet"
    return assessment_decide(assessment=assessment, user=hr, decision=decision, note="Keep going.")


def make_assessment_document() -> dict[str, Any]:
    """``make_document(roles=2, levels=3)`` where ``role-1.l2`` has three promotion criteria
    (``c1`` and ``c2`` required, ``c3`` optional) and ``role-1.l1`` has a lateral step to
    ``role-2.l1``."""
    document = make_document(roles=2, levels=3)
    document["criteria"] = [c for c in document["criteria"] if c["position"] != "role-1.l2"]
    document["criteria"][:0] = [
        {
            "key": f"role-1.l2.c{n}",
            "position": "role-1.l2",
            "text": text,
            "required": n < 3,
            "evidence_hint": "",
        }
        for n, text in (
            (1, "Ships features **on their own**."),
            (2, "Reviews the work of others."),
            (3, "Speaks at a meetup."),
        )
    ]
    document["path_steps"].append(
        {
            "key": "role-1.l1--role-2.l1",
            "from": "role-1.l1",
            "to": "role-2.l1",
            "kind": "lateral",
            "note": "",
        }
    )
    return document


# --- pay (HR only) ----------------------------------------------------------------------------


class PayBandFactory(factory.django.DjangoModelFactory):
    """A band of ``role-1`` at ``l1`` for every specialism and region, in force since 2020."""

    class Meta:
        model = "ladders.PayBand"

    framework = factory.SubFactory(PublishedFrameworkFactory)
    role_key = "role-1"
    level_key = "l1"
    currency = "EUR"
    minimum = 40000
    midpoint = 50000
    maximum = 60000
    effective_on = datetime.date(2020, 1, 1)


class SalaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "ladders.Salary"

    person = factory.SubFactory(PersonFactory)
    amount = 50000
    currency = "EUR"
    effective_on = datetime.date(2020, 1, 1)
