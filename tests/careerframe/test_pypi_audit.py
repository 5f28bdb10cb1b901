"""scripts/pypi_audit.py, the fallback of ``make audit``: audits what PyPI's per-project JSON
can tell (packages at their latest release) and names everything else."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pypi_audit.py"


@pytest.fixture
def audit(monkeypatch):
    spec = importlib.util.spec_from_file_location("pypi_audit", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(
        module, "installed", lambda: {"django": "5.2.19", "nh3": "0.3.2", "requests": "2.0.0"}
    )
    return module


def answers(module, monkeypatch, table):
    monkeypatch.setattr(module, "latest_release", lambda name: table[name])


def test_packages_at_their_latest_release_are_audited_the_rest_named(audit, monkeypatch, capsys):
    answers(
        audit,
        monkeypatch,
        {
            "django": ("6.1.3", [], ""),
            "nh3": ("0.3.2", [], ""),
            "requests": (None, [], "HTTP 404"),
        },
    )
    assert audit.main([]) == 0
    out = capsys.readouterr().out
    assert "1 of 3 installed packages audited" in out
    assert "django 5.2.19: not the latest release (6.1.3)" in out
    assert "requests 2.0.0: PyPI answered HTTP 404" in out
    assert "No known vulnerabilities in the audited packages." in out
    assert audit.main(["--require-all"]) == 1


def test_a_known_vulnerability_fails_the_audit(audit, monkeypatch, capsys):
    advisory = {"id": "GHSA-xxxx", "fixed_in": ["0.3.3"], "withdrawn": None}
    withdrawn = {"id": "PYSEC-old", "fixed_in": [], "withdrawn": "2026-01-01T00:00:00Z"}
    answers(
        audit,
        monkeypatch,
        {
            "django": ("5.2.19", [withdrawn], ""),
            "nh3": ("0.3.2", [advisory], ""),
            "requests": ("2.0.0", [], ""),
        },
    )
    assert audit.main([]) == 1
    out = capsys.readouterr().out
    assert "VULNERABLE  nh3 0.3.2: GHSA-xxxx (fixed in 0.3.3)" in out
    assert "PYSEC-old" not in out


def test_skipped_packages_are_left_out(audit, monkeypatch, capsys):
    answers(audit, monkeypatch, {"nh3": ("0.3.2", [], ""), "requests": ("2.0.0", [], "")})
    assert audit.main(["--skip", "Django"]) == 0
    assert "2 of 2 installed packages audited" in capsys.readouterr().out
