"""The production static files build: collectstatic with the manifest storage.

With DEBUG off, the manifest storage (WhiteNoise's compressed one in production) rewrites
every reference between static files (url() in CSS, sourceMappingURL in JS) and refuses a
reference to a missing file, which would stop a deployment. Run the manifest step into a
temporary folder; the compression WhiteNoise adds on top (minutes of Brotli) is left out.
"""

from __future__ import annotations

import io
import json

from django.core.management import call_command


def test_collectstatic_with_the_manifest_storage_succeeds(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", stdout=io.StringIO())
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("dist/app.css", "dist/htmx.min.js", "js/app.js", "dist/chart.umd.min.js"):
        assert (tmp_path / manifest[name]).is_file()
