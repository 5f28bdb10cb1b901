"""Fixtures for the notifications tests: English and UTC unless a test says otherwise, and
absolute links on a known base URL."""

from __future__ import annotations

import pytest

BASE_URL = "https://careers.example.com"


@pytest.fixture(autouse=True)
def _installation_defaults(settings):
    settings.LANGUAGE_CODE = "en-gb"
    settings.TIME_ZONE = "UTC"
    settings.CAREERFRAME_BASE_URL = BASE_URL
