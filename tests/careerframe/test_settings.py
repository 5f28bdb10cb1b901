"""Production settings pass Django's deployment checks; bad environment values are refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean environment: no DATABASE_URL, nor what other tests set for themselves.
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(DATABASE_URL="sqlite:////tmp/careerframe-settings-check.sqlite3", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        ALLOWED_HOSTS="careers.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start():
    result = _manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_a_malformed_boolean_is_refused_with_its_name():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def _caches(**env: str) -> list[str]:
    code = "from django.conf import settings; print(','.join(sorted(settings.CACHES)))"
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1].split(",")


def test_a_shared_cache_gets_a_memory_tier_and_a_dummy_cache_caches_nothing():
    assert _caches() == ["default"]
    redis = {"CACHE_BACKEND": "careerframe.cache.RedisCache", "CACHE_LOCATION": "redis://x:1/0"}
    assert _caches(**redis) == ["default", "local"]
    dummy = "django.core.cache.backends.dummy.DummyCache"
    assert _caches(CACHE_BACKEND=dummy) == ["default"]
