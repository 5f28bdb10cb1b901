"""A shared cache of "which published version is framework ``slug``'s current (or number
``n``)" — the one query every read page of a framework makes (README "Caching").

Only worth it, and only correct, where every process sees the same cache: with Redis or
memcached (``CACHE_BACKEND``) the lookup is kept, and forgotten by all processes as soon as a
change commits. A cache in each process's memory could not be told of a publish handled by
another process, so then ``enabled()`` is false and the version is read from the database on
every request (unless ``CAREERFRAME_VERSION_CACHE`` says the site runs in one process).

**Invalidation.** Every entry carries the *generation* it was read in; the generation is a
random token under one key. Saving or deleting any framework or version (the admin, the
services, the importer, a cascade) replaces the token once the transaction commits — not
before, or a request in between could read the old rows and keep them under the new token.
An entry of an older generation is a miss. Entries also expire after
``CAREERFRAME_VERSION_CACHE_SECONDS``: the bound on staleness for writes that bypass the ORM
(raw SQL, restoring a backup into a running site); ``forget()`` is there for those.

The access check is never cached: callers apply it to the version they get, for each user.
Nothing is kept for a slug that does not exist (random URLs cannot fill the cache).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from roles.models import FrameworkVersion

GENERATION_KEY = "careerframe:versions:generation"
PER_PROCESS_BACKENDS = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


def enabled() -> bool:
    """``CAREERFRAME_VERSION_CACHE``: True or False as configured; None (the default) means
    on exactly when the cache is shared between processes."""
    configured = settings.CAREERFRAME_VERSION_CACHE
    if configured is not None:
        return bool(configured)
    return settings.CACHES["default"]["BACKEND"] not in PER_PROCESS_BACKENDS


def _key(slug: str, number: int | None) -> str:
    return f"careerframe:versions:{slug}:{'current' if number is None else number}"


def _new_generation() -> str:
    return uuid.uuid4().hex


def _first_generation() -> str | None:
    """Make the generation when there is none yet (first use, or evicted); whichever process
    adds it first wins, and every process then reads the same."""
    cache.add(GENERATION_KEY, _new_generation(), timeout=None)
    return cache.get(GENERATION_KEY)


def generation() -> str | None:
    """The current generation (one cache read; made on first use)."""
    return cache.get(GENERATION_KEY) or _first_generation()


def published_version(
    slug: str, number: int | None, load: Callable[[], FrameworkVersion | None]
) -> FrameworkVersion | None:
    """Framework ``slug``'s current version (``number`` None) or published version
    ``number``, with its framework: from the cache, else ``load()`` (and kept)."""
    if not enabled():
        return load()
    key = _key(slug, number)
    found = cache.get_many([GENERATION_KEY, key])  # one round trip
    generation = found.get(GENERATION_KEY)
    entry = found.get(key)
    if generation is not None and entry is not None and entry[0] == generation:
        return entry[1]
    if generation is None:
        generation = _first_generation()
    version = load()  # read after the generation: a change committed meanwhile outdates it
    if version is not None and generation is not None:
        cache.set(key, (generation, version), settings.CAREERFRAME_VERSION_CACHE_SECONDS)
    return version


def forget() -> None:
    """Outdate every kept lookup (all processes, as they share the cache)."""
    if enabled():
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)


def forget_on_commit(**_kwargs: object) -> None:
    """Signal receiver (post_save, post_delete of Framework and FrameworkVersion, connected
    in ``RolesConfig.ready``): forget once the change is committed."""
    if enabled():
        transaction.on_commit(forget)
