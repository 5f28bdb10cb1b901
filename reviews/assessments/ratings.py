"""Ratings and evidence from a form, applied to an assessment's rows. Shared by the lead's
ratings and the person's self-assessment; the services lock and check status first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reviews.assessments.selectors import target_criteria
from reviews.models import Assessment, CriterionRating, EvidenceItem, EvidenceKind, Rating


@dataclass(frozen=True)
class EvidenceInput:
    kind: str
    title: str
    url: str = ""


@dataclass(frozen=True)
class RatingInput:
    """What one form row says about one criterion: the rating, the Markdown evidence,
    evidence items to add and the ids of items to remove."""

    rating: str = Rating.NOT_ASSESSED
    evidence: str = ""
    add: tuple[EvidenceInput, ...] = ()
    remove: frozenset[int] = field(default_factory=frozenset)


def apply_ratings(
    assessment: Assessment, ratings: Mapping[str, RatingInput], *, by_self: bool
) -> None:
    keys = set(
        target_criteria(
            assessment.version, assessment.target_role_key, assessment.target_level_key
        ).values_list("key", flat=True)
    )
    unknown = set(ratings) - keys
    if unknown:
        raise ValidationError(
            _(
                "Some criteria are no longer part of this assessment (it may have moved to a "
                "newer version); reload the page and try again."
            )
        )
    rows = {r.criterion_key: r for r in CriterionRating.objects.filter(assessment=assessment)}
    rating_field, evidence_field = (
        ("self_rating", "self_evidence") if by_self else ("rating", "evidence")
    )
    new_items: list[EvidenceItem] = []
    removed: set[int] = set()
    changed: list[CriterionRating] = []
    for key, given in ratings.items():
        if given.rating not in Rating.values:
            raise ValidationError(_("%(rating)s is not a rating.") % {"rating": repr(given.rating)})
        row = rows.get(key)
        if row is None:
            row = rows[key] = CriterionRating.objects.create(
                assessment=assessment, criterion_key=key
            )
        setattr(row, rating_field, given.rating)
        setattr(row, evidence_field, given.evidence.strip())
        changed.append(row)
        removed |= set(given.remove)
        for item in given.add:
            evidence = EvidenceItem(
                rating=row,
                kind=item.kind or EvidenceKind.LINK,
                title=item.title.strip(),
                url=item.url.strip(),
                by_self=by_self,
            )
            evidence.full_clean(exclude=["rating"])
            new_items.append(evidence)
    CriterionRating.objects.bulk_update(changed, [rating_field, evidence_field, "updated_at"])
    if removed:
        # Each side removes only its own evidence.
        EvidenceItem.objects.filter(
            pk__in=removed, rating__assessment=assessment, by_self=by_self
        ).delete()
    EvidenceItem.objects.bulk_create(new_items)
