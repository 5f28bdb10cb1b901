"""Writes about people: add or edit one, move them on the ladder, import many from CSV."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ladders.models import Person, PositionChange
from ladders.people.csvfile import PersonRow
from roles.formats import FormatError, ImportFailed
from roles.models import Framework, FrameworkVersion, Position, SubRole


@dataclass(frozen=True)
class Placement:
    framework: Framework
    position: Position
    sub_role: SubRole | None


@dataclass(frozen=True)
class CurrentContent:
    """The positions and specialisms of a framework's current version (two queries)."""

    framework: Framework
    positions: list[Position]
    sub_roles: list[SubRole]


def current_content(framework: Framework) -> CurrentContent:
    version = FrameworkVersion.objects.current().filter(framework=framework).first()
    if version is None:
        raise ValidationError(
            {
                "framework": _("%(framework)s has no published version yet.")
                % {"framework": framework.name}
            }
        )
    positions = list(Position.objects.filter(version=version).select_related("role", "level"))
    return CurrentContent(framework, positions, list(SubRole.objects.filter(version=version)))


def placement_for(
    *,
    framework: Framework,
    role: str,
    level: str,
    sub_role: str = "",
    content: CurrentContent | None = None,
) -> Placement:
    """The current published position named by keys or names (case-insensitive).

    Pass ``content`` (from ``current_content``) to place many people without querying again.
    """
    content = content or current_content(framework)
    role_l, level_l = role.strip().lower(), level.strip().lower()
    in_role = [p for p in content.positions if role_l in (p.role.key, p.role.name.lower())]
    if not in_role:
        raise ValidationError(
            {
                "role": _("%(framework)s has no role %(role)s.")
                % {"framework": framework.name, "role": repr(role)}
            }
        )
    position = next(
        (p for p in in_role if level_l in (p.level.key, p.level.name.lower(), p.title.lower())),
        None,
    )
    if position is None:
        raise ValidationError(
            {
                "level": _("%(role)s has no level %(level)s.")
                % {"role": in_role[0].role.name, "level": repr(level)}
            }
        )
    found_sub = None
    if sub_role.strip():
        sub_l = sub_role.strip().lower()
        found_sub = next(
            (
                s
                for s in content.sub_roles
                if s.role_id == position.role_id and sub_l in (s.key, s.name.lower())
            ),
            None,
        )
        if found_sub is None:
            raise ValidationError(
                {
                    "sub_role": _("%(role)s has no specialism %(sub_role)s.")
                    % {"role": position.role.name, "sub_role": repr(sub_role)}
                }
            )
    return Placement(framework, position, found_sub)


def _record(person: Person, placement: Placement, *, on: datetime.date, reason: str, user) -> None:
    PositionChange.objects.create(
        person=person,
        role_key=person.role_key,
        level_key=person.level_key,
        sub_role_key=person.sub_role_key,
        title=placement.position.title,
        changed_on=on,
        reason=reason,
        recorded_by=user if user is not None and user.is_authenticated else None,
    )


def person_save(
    *,
    user: AbstractBaseUser | None,
    placement: Placement,
    name: str,
    email: str = "",
    lead: AbstractBaseUser | None = None,
    login: AbstractBaseUser | None = None,
    person: Person | None = None,
    since: datetime.date | None = None,
    reason: str = "",
) -> Person:
    """Create or update a person; a change of position is recorded in their history."""
    since = since or timezone.localdate()
    with transaction.atomic():
        creating = person is None
        person = person or Person()
        old = (person.framework_id, person.role_key, person.level_key, person.sub_role_key)
        person.name, person.email = name.strip(), email.strip().lower()
        person.lead, person.user = lead, login
        person.framework = placement.framework
        person.role_key = placement.position.role.key
        person.level_key = placement.position.level.key
        person.sub_role_key = placement.sub_role.key if placement.sub_role else ""
        new = (person.framework_id, person.role_key, person.level_key, person.sub_role_key)
        moved = creating or new != old
        if moved:
            person.position_since = since
        person.full_clean(exclude=["user", "lead", "framework"])
        person.save()
        if moved:
            _record(
                person,
                placement,
                on=since,
                reason=reason or ("Added to careerframe" if creating else "Position changed"),
                user=user,
            )
    return person


@dataclass(frozen=True)
class PeopleImportResult:
    created: int
    updated: int
    unchanged: int


def people_import(*, rows: list[PersonRow], user: AbstractBaseUser | None) -> PeopleImportResult:
    """Create or update (by email) every row, all or nothing. Raises ImportFailed with the
    line and column of every problem; nothing is written then."""
    users_by_email = {
        u.email.lower(): u
        for u in get_user_model().objects.filter(
            email__in={r.lead_email.lower() for r in rows if r.lead_email}
            | {r.email for r in rows if r.email}
        )
    }
    frameworks = list(Framework.objects.all())
    errors: list[FormatError] = []
    resolved: list[tuple[PersonRow, Placement]] = []
    contents: dict[int, CurrentContent] = {}  # one load per framework, not per row
    for row in rows:
        framework = next(
            (f for f in frameworks if row.framework.lower() in (f.slug, f.name.lower())), None
        )
        if framework is None:
            message = _("no framework %(framework)s") % {"framework": repr(row.framework)}
            errors.append(FormatError(row.line, "framework", message))
            continue
        if row.lead_email and row.lead_email.lower() not in users_by_email:
            message = _("no user with email %(email)s") % {"email": row.lead_email}
            errors.append(FormatError(row.line, "lead_email", message))
        try:
            if framework.pk not in contents:
                contents[framework.pk] = current_content(framework)
            placement = placement_for(
                framework=framework,
                role=row.role,
                level=row.level,
                sub_role=row.sub_role,
                content=contents[framework.pk],
            )
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                errors.extend(FormatError(row.line, column, m) for m in messages)
            continue
        resolved.append((row, placement))
    if errors:
        raise ImportFailed(errors)
    existing = {
        p.email: p for p in Person.objects.filter(email__in=[r.email for r in rows if r.email])
    }
    created = updated = unchanged = 0
    with transaction.atomic():
        for row, placement in resolved:
            person = existing.get(row.email) if row.email else None
            lead = users_by_email.get(row.lead_email.lower()) if row.lead_email else None
            login = users_by_email.get(row.email) if row.email else None
            if person is not None and _same(person, row, placement, lead):
                unchanged += 1
                continue
            person_save(
                user=user,
                placement=placement,
                name=row.name,
                email=row.email,
                lead=lead,
                login=person.user if person is not None and person.user else login,
                person=person,
                reason="Imported from CSV",
            )
            if person is None:
                created += 1
            else:
                updated += 1
    return PeopleImportResult(created, updated, unchanged)


def _same(person: Person, row: PersonRow, placement: Placement, lead) -> bool:
    return (
        person.name == row.name
        and person.framework_id == placement.framework.pk
        and person.role_key == placement.position.role.key
        and person.level_key == placement.position.level.key
        and person.sub_role_key == (placement.sub_role.key if placement.sub_role else "")
        and person.lead_id == (lead.pk if lead else None)
    )
