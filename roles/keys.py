"""Stable element keys: lowercase slugs, with dots to join a parent's key to a child's."""

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext

KEY_MAX_LENGTH = 200
KEY_PATTERN = r"[a-z0-9][a-z0-9._-]*"
_KEY_RE = re.compile(rf"^{KEY_PATTERN}$")
_PART_MAX = 60


def is_valid_key(value: object) -> bool:
    return isinstance(value, str) and len(value) <= KEY_MAX_LENGTH and bool(_KEY_RE.match(value))


def validate_key(value: str) -> None:
    if not is_valid_key(value):
        raise ValidationError(
            gettext(
                "%(value)r is not a valid key: use lowercase letters, digits, '.', '-' or '_'."
            ),
            params={"value": value},
        )


def key_part(name: str, fallback: str = "item") -> str:
    """A slug for one part of a key; names without any ASCII letters fall back."""
    slug = slugify(name)[:_PART_MAX].strip("-_")
    return slug or fallback


class KeyAllocator:
    """Hands out unique keys for one element kind, suffixing ``-2``, ``-3``… on clashes."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def allocate(self, base: str) -> str:
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self._taken.add(candidate)
        return candidate
