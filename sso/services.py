"""Single sign-on logins: find or create the user, refresh their profile, apply group mappings.

Users are found by the provider's (issuer, subject) only. An email address is never enough:
matching on it would let whoever controls an address at the provider take over the account
that uses it here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.models import StakeholderGroup
from roles.access import HR_GROUP, LEADS_GROUP
from roles.models import Framework
from sso.models import Grant, GroupMapping, Identity, TargetKind

_GROUP_NAMES = {TargetKind.HR: HR_GROUP, TargetKind.LEADS: LEADS_GROUP}
_NAME_LENGTH = 150  # User.first_name, last_name and username


@dataclass(frozen=True, order=True)
class Target:
    """What a mapping grants: a kind, and for a framework editor the framework, for a member
    of a stakeholder group the group."""

    kind: str
    framework_id: int | None = None
    stakeholder_group_id: int | None = None


@dataclass
class GrantChanges:
    granted: list[Target] = field(default_factory=list)
    revoked: list[Target] = field(default_factory=list)


def claim_values(claims: Mapping[str, Any], name: str) -> set[str]:
    """The values of the groups claim ``name``: a list of strings, or one string."""
    value = claims.get(name)
    if isinstance(value, str):
        return {value}
    if isinstance(value, list | tuple):
        return {item for item in value if isinstance(item, str)}
    return set()


def identity_login(
    *, issuer: str, claims: Mapping[str, Any], groups_claim: str
) -> AbstractBaseUser:
    """The user of (``issuer``, ``claims["sub"]``), created at their first login.

    Name and email follow the claims at every login, and so do the memberships the group
    mappings grant (``grants_apply``). An inactive user is returned untouched.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise ValidationError(_("The identity provider sent no subject."))
    with transaction.atomic():
        identity = _identity_get_or_create(issuer=issuer, subject=subject, claims=claims)
        user = identity.user
        if not user.is_active:
            return user
        _profile_update(user, claims)
        identity.last_login_at = timezone.now()
        identity.save(update_fields=["last_login_at"])
        grants_apply(user=user, claim_values=claim_values(claims, groups_claim))
    return user


def _identity_get_or_create(*, issuer: str, subject: str, claims: Mapping[str, Any]) -> Identity:
    identities = Identity.objects.select_related("user").filter(issuer=issuer, subject=subject)
    identity = identities.first()
    if identity is not None:
        return identity
    try:
        with transaction.atomic():
            User = get_user_model()
            user = User.objects.create_user(
                _unique_username(_username_base(claims)), email=_email(claims) or ""
            )
            return Identity.objects.create(user=user, issuer=issuer, subject=subject)
    except IntegrityError:
        # The same person's login in another tab created it a moment ago.
        identity = identities.first()
        if identity is None:
            raise
        return identity


def _username_base(claims: Mapping[str, Any]) -> str:
    for name in ("preferred_username", "email"):
        value = claims.get(name)
        if isinstance(value, str):
            # The characters Django's username validator accepts.
            cleaned = re.sub(r"[^\w.@+-]", "", value.strip())[:_NAME_LENGTH]
            if cleaned:
                return cleaned
    return "user"


def _unique_username(base: str) -> str:
    """``base``, or ``base-2``, ``base-3``…: never an existing username in any letter case."""
    users = get_user_model().objects
    candidate, number = base, 2
    while users.filter(username__iexact=candidate).exists():
        suffix = f"-{number}"
        candidate = base[: _NAME_LENGTH - len(suffix)] + suffix
        number += 1
    return candidate


def _email(claims: Mapping[str, Any]) -> str | None:
    email = claims.get("email")
    return email.strip() if isinstance(email, str) and email.strip() else None


def _names(claims: Mapping[str, Any]) -> tuple[str, str] | None:
    given, family = claims.get("given_name"), claims.get("family_name")
    if isinstance(given, str) or isinstance(family, str):
        return (given if isinstance(given, str) else "", family if isinstance(family, str) else "")
    name = claims.get("name")
    if isinstance(name, str) and name.strip():
        first, _space, last = name.strip().partition(" ")
        return first, last.strip()
    return None


def _profile_update(user: AbstractBaseUser, claims: Mapping[str, Any]) -> None:
    """Name and email from the claims the provider sent; absent claims change nothing."""
    changed = []
    names = _names(claims)
    if names is not None:
        first, last = (part.strip()[:_NAME_LENGTH] for part in names)
        if (first, last) != (user.first_name, user.last_name):
            user.first_name, user.last_name = first, last
            changed += ["first_name", "last_name"]
    email = _email(claims)
    if email is not None and email != user.email:
        user.email = email
        changed.append("email")
    if changed:
        user.save(update_fields=changed)


def grants_apply(*, user: AbstractBaseUser, claim_values: Iterable[str]) -> GrantChanges:
    """Grant what ``claim_values`` map to; revoke what single sign-on granted before and they
    no longer map to.

    A membership the user already had by other means (given by hand) is left alone and not
    recorded as a grant, so it is never revoked here.
    """
    changes = GrantChanges()
    with transaction.atomic():
        mappings = GroupMapping.objects.filter(claim_value__in=set(claim_values))
        wanted = {Target(m.target, m.framework_id, m.stakeholder_group_id) for m in mappings}
        recorded = {
            Target(g.target, g.framework_id, g.stakeholder_group_id): g
            for g in Grant.objects.select_for_update().filter(user=user)
        }
        for target in sorted(wanted):
            if target in recorded:
                if not _has(user, target):
                    # Removed by hand since, but the claims still grant it.
                    _add(user, target)
                    changes.granted.append(target)
            elif not _has(user, target):
                _add(user, target)
                Grant.objects.create(
                    user=user,
                    target=target.kind,
                    framework_id=target.framework_id,
                    stakeholder_group_id=target.stakeholder_group_id,
                )
                changes.granted.append(target)
        for target in sorted(recorded.keys() - wanted):
            _remove(user, target)
            recorded[target].delete()
            changes.revoked.append(target)
    return changes


def _group(target: Target) -> Group:
    return Group.objects.get_or_create(name=_GROUP_NAMES[target.kind])[0]


_Editor = Framework.editors.through
_Member = StakeholderGroup.members.through


def _membership(user: AbstractBaseUser, target: Target):
    """The row of a framework editor or stakeholder group member; None for a Django group."""
    if target.kind == TargetKind.FRAMEWORK_EDITOR:
        return _Editor.objects.filter(framework_id=target.framework_id, user_id=user.pk)
    if target.kind == TargetKind.STAKEHOLDER_GROUP:
        return _Member.objects.filter(
            stakeholdergroup_id=target.stakeholder_group_id, user_id=user.pk
        )
    return None


def _has(user: AbstractBaseUser, target: Target) -> bool:
    rows = _membership(user, target)
    if rows is not None:
        return rows.exists()
    return user.groups.filter(name=_GROUP_NAMES[target.kind]).exists()


def _add(user: AbstractBaseUser, target: Target) -> None:
    if target.kind == TargetKind.FRAMEWORK_EDITOR:
        _Editor.objects.create(framework_id=target.framework_id, user_id=user.pk)
    elif target.kind == TargetKind.STAKEHOLDER_GROUP:
        _Member.objects.create(stakeholdergroup_id=target.stakeholder_group_id, user_id=user.pk)
    else:
        user.groups.add(_group(target))


def _remove(user: AbstractBaseUser, target: Target) -> None:
    rows = _membership(user, target)
    if rows is not None:
        rows.delete()
    else:
        user.groups.remove(*Group.objects.filter(name=_GROUP_NAMES[target.kind]))
