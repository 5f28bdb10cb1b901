"""Who sees what (DESIGN.md section 6): the one place access rules live.

Views load objects through the ``get_*_or_404`` helpers; hidden objects are 404, never 403,
so a URL does not reveal that something exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import Http404

from roles import lookup_cache
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
    """One query per framework, then kept on the user for the rest of the request (a page's
    ETag and its edit link both ask)."""
    if not user.is_authenticated:
        return False
    if is_admin(user):
        return True
    known = getattr(user, "_careerframe_edits", None)
    if known is None:
        known = user._careerframe_edits = {}
    if framework.pk not in known:
        known[framework.pk] = framework.editors.filter(pk=user.pk).exists()
    return known[framework.pk]


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
    query: the version with its framework; none when the shared cache has it)."""

    def load() -> FrameworkVersion | None:
        found = FrameworkVersion.objects.filter(framework__slug=slug).select_related("framework")
        found = found.current() if number is None else found.published().filter(number=number)
        return found.first()  # unique: one current version, one version per number

    version = lookup_cache.published_version(slug, number, load)
    if version is None or not can_read_published(user, version.framework):
        raise Http404("No such version.")
    return version
