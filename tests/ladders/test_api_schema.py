"""The OpenAPI schema is valid and warning-free, and the docs page serves Swagger UI from the
installed drf-spectacular-sidecar package: no CDN."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.validation import validate_schema


def test_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn: any view or field drf-spectacular cannot describe fails the test.
    out = tmp_path / "schema.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    schema = json.loads(out.read_text())
    validate_schema(schema)
    paths = schema["paths"]
    assert "/api/v1/frameworks/{slug}/versions/{number}/positions/{key}/" in paths
    assert "/api/v1/frameworks/{slug}/versions/latest/document/" in paths
    assert all(list(item) == ["get"] for item in paths.values())
    positions = paths["/api/v1/frameworks/{slug}/versions/{number}/positions/"]["get"]
    params = {p["name"] for p in positions["parameters"]}
    assert {"page", "page_size", "role", "level", "track", "competency", "sub_role"} <= params
    assert set(schema["components"]["securitySchemes"]) == {"tokenAuth", "cookieAuth"}


@pytest.mark.django_db
def test_schema_endpoint_serves_it_to_anyone(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    validate_schema(response.json())


@pytest.mark.django_db
def test_docs_page_loads_swagger_ui_from_the_sidecar_package(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    for outside in ("cdn.", "jsdelivr", "unpkg", "googleapis", "http://", "https://"):
        assert outside not in html
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert {
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
    } <= set(assets)
    for asset in assets:
        assert finders.find(asset), asset
    # The page's script is served by the same view (no inline script: the CSP refuses them).
    (script_url,) = re.findall(r'<script src="(/api/v1/docs/\?[^"]*)"', html)
    script = client.get(script_url.replace("&amp;", "&")).content.decode()
    assert "/api/v1/schema/" in script
    # Swagger UI would otherwise send the schema to an outside validator.
    assert '"validatorUrl": null' in script
