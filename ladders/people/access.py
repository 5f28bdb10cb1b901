"""Who sees which people (DESIGN.md section 6): HR everyone, a lead their own people, a
person themselves. Anyone else gets 404."""

from __future__ import annotations

from django.http import Http404

from ladders.models import Person, PersonQuerySet
from roles.access import User, is_hr, is_lead


def can_list_people(user: User) -> bool:
    return is_hr(user) or is_lead(user)


def visible_people(user: User) -> PersonQuerySet:
    if is_hr(user):
        return Person.objects.all()
    if is_lead(user):
        return Person.objects.led_by(user)
    return Person.objects.none()


def get_person_or_404(user: User, pk: int) -> Person:
    if not user.is_authenticated:
        raise Http404("No such person.")
    person = Person.objects.select_related("framework", "lead", "user").filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    if is_hr(user) or person.lead_id == user.pk or person.user_id == user.pk:
        return person
    raise Http404("No such person.")
