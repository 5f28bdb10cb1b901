"""Fixtures for the accounts tests: pages render in a known installation language and zone."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _installation_defaults(settings):
    """English, UTC: what the tests compare against when nobody chose anything."""
    settings.LANGUAGE_CODE = "en-gb"
    settings.TIME_ZONE = "UTC"
