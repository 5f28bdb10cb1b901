"""Schemathesis against the API's own OpenAPI schema: 0 server errors, responses match it.

Every operation of /api/v1/schema/ is called in-process (WSGI) with generated path and query
parameters (hypothesis), over a public framework with tracks, specialisms and two published
versions; and once per operation with real keys, so that the 200 answers are checked against
the schema too, not only the 404s random keys mostly get.
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)

from careerframe.wsgi import application
from roles.models import FrameworkVersion
from roles.serialization import document_from_version
from roles.services import version_publish
from tests.factories import PublishedFrameworkFactory, make_tracked_document

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Called as a WSGI app, Django closes "old" database connections when a request starts
    and ends; the test client stops that, so must we: on PostgreSQL it would close the test's
    own connection, inside its transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def published(db):
    framework = PublishedFrameworkFactory(slug="t", name="Tracked", content=make_tracked_document())
    version_publish(framework=framework)  # v1 archived, v2 current
    return framework


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_generated_requests_never_fail_the_schema(case, published):
    case.call_and_validate(checks=CHECKS)


def _real_parameters(path: str, document: dict) -> dict[str, str]:
    """Path parameters that exist: the framework, version 1, and a key of the right kind."""
    kinds = {
        "expectations": "expectations",
        "levels": "levels",
        "path-steps": "path_steps",
        "positions": "positions",
        "roles": "roles",
        "tracks": "tracks",
        "competencies": "competencies",
    }
    params = {"slug": "t", "number": "1"}
    if "{key}" in path:
        kind = re.search(r"/([a-z-]+)/\{key\}/$", path).group(1)
        params["key"] = document[kinds[kind]][0]["key"]
    return {name: value for name, value in params.items() if "{" + name + "}" in path}


@pytest.mark.parametrize(
    "operation", [op.ok() for op in schema.get_all_operations()], ids=lambda op: op.path
)
def test_every_operation_answers_real_keys_as_the_schema_says(operation, published):
    version = FrameworkVersion.objects.get(framework=published, number=1)
    document = document_from_version(version)
    case = operation.Case(path_parameters=_real_parameters(operation.path, document))
    response = case.call()
    assert response.status_code == 200, (operation.path, response.text[:300])
    case.validate_response(response, checks=CHECKS)
