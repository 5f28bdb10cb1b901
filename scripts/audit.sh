#!/usr/bin/env bash
# Security audit (`make audit`, run by .ci/run): bandit on our code and pip-audit on the
# installed packages. Fails on any finding of medium severity or higher. Each finding that
# is accepted carries a `# nosec <id>` comment with its reason next to the code.
set -euo pipefail
BIN=${BIN:-.venv/bin}

echo "== bandit (medium and high severity)"
"$BIN/bandit" -q -r careerframe accounts notifications roles ladders reviews sso \
  -x '*/migrations/*' --severity-level medium

echo "== pip-audit (known vulnerabilities in the installed packages)"
# pip-audit asks PyPI's JSON API for each installed version's advisories. Some networks reach
# only a package mirror and PyPI's per-project JSON: then pip-audit could audit nothing, and
# saying "no known vulnerabilities" would be a lie. scripts/pypi_audit.py then audits what can
# be audited (packages at their latest release, whose advisories the per-project JSON lists)
# and names every package it could not audit.
probe="https://pypi.org/pypi/django/$("$BIN/python" -c 'import django; print(django.__version__)')/json"
if curl -fsS -m 10 -o /dev/null "$probe" 2>/dev/null; then
  "$BIN/pip-audit" --strict --skip-editable --progress-spinner off
else
  echo "pip-audit cannot run: $probe is unreachable from here." >&2
  echo "Falling back to PyPI's per-project JSON (scripts/pypi_audit.py)." >&2
  require=()
  if [ "${CAREERFRAME_REQUIRE_AUDIT:-0}" = 1 ]; then require=(--require-all); fi
  "$BIN/python" scripts/pypi_audit.py --skip careerframe "${require[@]}"
fi
