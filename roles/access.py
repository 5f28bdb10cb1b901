"""Who sees what (DESIGN.md section 6): the one place access rules live.

Views load objects through the ``get_*_or_404`` helpers; hidden objects are 404, never 403,
so a URL does not reveal that something exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from roles.models import Framework, FrameworkVersion, Visibility

HR_GROUP = "HR"
LEADS_GROUP = "Leads"
User = AbstractBaseUser | AnonymousUser


def _in_group(user: User, name: str) -> bool:
    if not user.is_authenticated:
        return False
    cache = getattr(user, "_careerframe_groups", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._careerframe_groups = cache
    return name in cache


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def is_hr(user: User) -> bool:
    return is_admin(user) or _in_group(user, HR_GROUP)


def is_lead(user: User) -> bool:
    return _in_group(user, LEADS_GROUP)


def is_editor(user: User, framework: Framework) -> bool:
    if not user.is_authenticated:
        return False
    return is_admin(user) or framework.editors.filter(pk=user.pk).exists()


def can_read_published(user: User, framework: Framework) -> bool:
    """Anonymous users read public frameworks; every member reads every framework."""
    return framework.visibility == Visibility.PUBLIC or user.is_authenticated


def get_framework_or_404(user: User, slug: str) -> Framework:
    framework = Framework.objects.filter(slug=slug).first()
    if framework is None or not can_read_published(user, framework):
        raise Http404("No such framework.")
    return framework


def get_published_version_or_404(
    user: User, slug: str, number: int | None = None
) -> FrameworkVersion:
    """The current published version, or version ``number``, of a readable framework (one
    query: the version with its framework)."""
    found = FrameworkVersion.objects.filter(framework__slug=slug).select_related("framework")
    found = found.current() if number is None else found.published().filter(number=number)
    try:  # unique: one current version, one version per number
        version = found.get()
    except FrameworkVersion.DoesNotExist:
        raise Http404("No such version.") from None
    if not can_read_published(user, version.framework):
        raise Http404("No such version.")
    return version
