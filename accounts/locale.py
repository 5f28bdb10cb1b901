"""Which language and time zone to use for a user, in requests and in emails sent to them."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import translation

from accounts.models import Profile


def _profile(user: AbstractBaseUser | AnonymousUser) -> Profile | None:
    if not user.is_authenticated:
        return None
    try:
        # One query at most: Django caches the profile, or its absence, on the user.
        return user.profile
    except Profile.DoesNotExist:
        return None


def chosen_language(user: AbstractBaseUser | AnonymousUser) -> str:
    """The interface language the user picked, or "" when they follow their browser."""
    profile = _profile(user)
    if profile is None or not profile.language:
        return ""
    try:
        return translation.get_supported_language_variant(profile.language)
    except LookupError:  # a language no longer in LANGUAGES
        return ""


def language_for(user: AbstractBaseUser | AnonymousUser) -> str:
    """The user's chosen language, else the installation's default."""
    profile = _profile(user)
    return (profile and profile.language) or settings.LANGUAGE_CODE


def timezone_for(user: AbstractBaseUser | AnonymousUser) -> zoneinfo.ZoneInfo:
    """The user's time zone, else the installation's (TIME_ZONE)."""
    profile = _profile(user)
    name = (profile and profile.timezone) or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)
