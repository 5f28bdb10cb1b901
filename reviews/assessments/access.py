"""Who sees and does what with assessments (DESIGN.md section 6).

- HR (and admins): every assessment; they decide submitted ones.
- A lead: the assessments of the people they lead (``Person.lead``); they start, edit while
  draft, ask for a self-assessment, submit.
- The person (``Person.user``): their own assessments once submitted or decided (read-only),
  and their self-assessment page while it is requested.
- Everyone else: 404, never 403, so a URL does not reveal that an assessment exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from ladders.models import Person
from reviews.models import Assessment, AssessmentQuerySet, AssessmentStatus
from roles.access import User, is_hr, is_lead

SHARED_WITH_PERSON = (AssessmentStatus.SUBMITTED, AssessmentStatus.DECIDED)


def can_start(user: User) -> bool:
    return is_hr(user) or is_lead(user)


def can_list(user: User) -> bool:
    """HR, leads, and anyone who is a person on a ladder or leads one (two queries at most)."""
    if not user.is_authenticated:
        return False
    if can_start(user):
        return True
    return Person.objects.filter(Q(user=user) | Q(lead=user)).exists()


def can_export(user: User) -> bool:
    return is_hr(user)


def startable_people(user: User):
    """People ``user`` may start an assessment for: HR everyone, a lead their own people."""
    people = Person.objects.active().select_related("framework")
    if is_hr(user):
        return people
    return people.filter(lead=user).exclude(user=user) if user.is_authenticated else people.none()


def visible_assessments(user: User) -> AssessmentQuerySet:
    if not user.is_authenticated:
        return Assessment.objects.none()
    # The person sees their own once shared with them, or once asked to rate themselves
    # (then linked to their self-assessment page). Even HR sees no more of their own.
    own = Q(person__user=user)
    own_visible = own & (Q(status__in=SHARED_WITH_PERSON) | Q(self_assessment=True))
    if is_hr(user):
        return Assessment.objects.filter(~own | own_visible)
    return Assessment.objects.filter((Q(person__lead=user) & ~own) | own_visible)


def is_writer(user: User, assessment: Assessment) -> bool:
    """HR or the person's lead — never the person themselves."""
    if not user.is_authenticated or assessment.person.user_id == user.pk:
        return False
    return is_hr(user) or assessment.person.lead_id == user.pk


def is_subject(user: User, assessment: Assessment) -> bool:
    return user.is_authenticated and assessment.person.user_id == user.pk


@dataclass(frozen=True)
class AssessmentAccess:
    """What one user may do with one assessment."""

    assessment: Assessment
    hr: bool
    writer: bool
    subject: bool

    @property
    def status(self) -> str:
        return self.assessment.status

    @property
    def can_read(self) -> bool:
        if self.subject:
            return self.status in SHARED_WITH_PERSON
        return self.hr or self.writer

    @property
    def can_edit(self) -> bool:
        return self.writer and self.status == AssessmentStatus.DRAFT

    @property
    def can_request_self(self) -> bool:
        a = self.assessment
        return self.can_edit and bool(a.person.user_id) and a.self_submitted_at is None

    @property
    def can_withdraw_self(self) -> bool:
        return self.writer and self.status == AssessmentStatus.SELF_REVIEW

    @property
    def can_self_assess(self) -> bool:
        return self.subject and self.status == AssessmentStatus.SELF_REVIEW

    @property
    def can_see_self_page(self) -> bool:
        return self.subject and self.assessment.self_assessment

    @property
    def can_repin(self) -> bool:
        return self.writer and self.assessment.is_open

    @property
    def can_delete(self) -> bool:
        return self.writer and self.assessment.is_open

    @property
    def can_decide(self) -> bool:
        return self.hr and not self.subject and self.status == AssessmentStatus.SUBMITTED

    @property
    def sees_self_ratings(self) -> bool:
        """The lead sees the person's own ratings only once they were handed in."""
        return self.assessment.self_submitted_at is not None and (
            self.writer or self.hr or self.subject
        )


def get_assessment_access_or_404(user: User, pk: int) -> AssessmentAccess:
    """The assessment and what ``user`` may do with it; 404 for anyone with no part in it."""
    if not user.is_authenticated:
        raise Http404("No such assessment.")
    assessment = (
        Assessment.objects.select_related(
            "person",
            "person__framework",
            "person__lead",
            "person__user",
            "version",
            "version__framework",
            "assessor",
            "decided_by",
        )
        .filter(pk=pk)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment.")
    hr = is_hr(user)
    access = AssessmentAccess(
        assessment=assessment,
        hr=hr,
        writer=is_writer(user, assessment),
        subject=is_subject(user, assessment),
    )
    if not (hr or access.writer or access.subject):
        raise Http404("No such assessment.")
    return access
