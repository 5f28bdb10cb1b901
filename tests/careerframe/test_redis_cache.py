"""The shared cache on a real Redis (careerframe/cache.py): one client per connection pool,
and the current-version lookup forgotten by every process when a change commits.

Needs ``redis-server`` (Debian: redis-server). Without it these tests are skipped, unless
CAREERFRAME_REQUIRE_REDIS=1 (CI sets it), which makes a missing Redis a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from careerframe.cache import RedisCache
from roles import lookup_cache
from roles.access import get_published_version_or_404
from roles.services import version_publish
from tests.factories import PublishedFrameworkFactory
from tests.pages import csrf_tokens, without_csrf_tokens

BACKEND = "careerframe.cache.RedisCache"


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server not installed: apt-get install redis-server"
        if os.environ.get("CAREERFRAME_REQUIRE_REDIS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(10)


@pytest.fixture
def redis_cache(settings, redis_url):
    """The settings a site with several processes uses: Redis, plus each process's memory."""
    settings.CACHES = {
        "default": {"BACKEND": BACKEND, "LOCATION": redis_url},
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.CAREERFRAME_VERSION_CACHE = None  # decided by the backend: shared, so on
    for name in ("default", "local"):
        caches[name].clear()
    yield caches["default"]
    for name in ("default", "local"):
        caches[name].clear()


def test_one_client_serves_every_operation(redis_cache):
    client = redis_cache._cache.get_client()
    redis_cache.set("a", {"x": 1})
    redis_cache.set_many({"b": 2, "c": 3})
    assert redis_cache.get("a") == {"x": 1}
    assert redis_cache.get_many(["a", "b", "c", "missing"]) == {"a": {"x": 1}, "b": 2, "c": 3}
    assert redis_cache.incr("b") == 3
    assert redis_cache.delete("c") is True
    assert redis_cache._cache.get_client(write=True) is client


def test_a_shared_cache_turns_the_lookup_cache_on(redis_cache):
    assert lookup_cache.enabled()


@pytest.mark.django_db
def test_a_publish_reaches_the_other_processes_at_once(
    redis_cache, redis_url, django_capture_on_commit_callbacks, monkeypatch
):
    """Another process has a cache client of its own, and its own memory; what the two share
    is the Redis server. (One database connection: the test's transaction.)"""
    with django_capture_on_commit_callbacks(execute=True):
        framework = PublishedFrameworkFactory(slug="design")
    other = RedisCache(redis_url, {})

    def in_other_process() -> int:
        with monkeypatch.context() as patch:
            patch.setattr(lookup_cache, "cache", other)
            return get_published_version_or_404(AnonymousUser(), "design").number

    assert in_other_process() == 1
    assert in_other_process() == 1  # now from the cache
    with django_capture_on_commit_callbacks(execute=True):
        version_publish(framework=framework)  # in this process
    assert in_other_process() == 2
    assert other._cache.get_client() is not redis_cache._cache.get_client()


@pytest.mark.django_db
def test_pages_are_served_from_redis_and_memory(
    redis_cache, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        PublishedFrameworkFactory(slug="design")
    page = reverse(
        "ladders:position-detail", kwargs={"slug": "design", "role": "role-1", "level": "l2"}
    )
    first = Client().get(page)
    assert first.status_code == 200
    caches["local"].clear()  # another process: nothing in its memory yet
    with django_assert_max_num_queries(0):
        second = Client().get(page)
    assert second.status_code == 200
    assert csrf_tokens(first) and csrf_tokens(second)
    assert without_csrf_tokens(second) == without_csrf_tokens(first)
