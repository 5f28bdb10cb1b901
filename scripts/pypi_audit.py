"""Known vulnerabilities of the installed packages, from PyPI's project JSON — the fallback
of ``make audit`` (scripts/audit.sh) where pip-audit can't run.

pip-audit asks ``pypi.org/pypi/<name>/<version>/json`` for each installed version. Some
networks (this project's CI among them) reach only ``pypi.org/pypi/<name>/json``, which lists
the advisories (``vulnerabilities``) of the project's *latest* release. So a package whose
installed version is its latest is audited for real; any other is listed as not audited,
never passed over in silence.

Exit status: 1 if an audited package has a known vulnerability (or, with ``--require-all``,
if any package could not be audited), else 0.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import importlib.metadata
import json
import sys
import urllib.error
import urllib.request

INDEX = "https://pypi.org/pypi"


def installed() -> dict[str, str]:
    found = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[name.lower()] = dist.version
    return found


def latest_release(name: str) -> tuple[str | None, list[dict], str]:
    """The project's latest version and that release's advisories, or (None, [], why)."""
    try:
        with urllib.request.urlopen(f"{INDEX}/{name}/json", timeout=30) as response:
            data = json.load(response)
    except urllib.error.HTTPError as error:
        return None, [], f"HTTP {error.code}"
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        return None, [], str(error)
    return data["info"]["version"], data.get("vulnerabilities") or [], ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip", action="append", default=[], help="a package not to audit")
    parser.add_argument(
        "--require-all", action="store_true", help="fail when a package cannot be audited"
    )
    args = parser.parse_args(argv)
    packages = {n: v for n, v in installed().items() if n not in {s.lower() for s in args.skip}}
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        answers = dict(zip(packages, pool.map(latest_release, packages), strict=True))
    audited, not_audited, findings = 0, [], []
    for name, version in sorted(packages.items()):
        latest, advisories, why = answers[name]
        if latest is None:
            not_audited.append(f"{name} {version}: PyPI answered {why}")
        elif latest != version:
            not_audited.append(f"{name} {version}: not the latest release ({latest})")
        else:
            audited += 1
            for advisory in advisories:
                if advisory.get("withdrawn"):
                    continue
                fixed = ", ".join(advisory.get("fixed_in") or []) or "no fix yet"
                findings.append(f"{name} {version}: {advisory.get('id')} (fixed in {fixed})")
    print(f"{audited} of {len(packages)} installed packages audited (their latest release).")
    for line in findings:
        print(f"VULNERABLE  {line}")
    if not_audited:
        print(
            f"Not audited here ({len(not_audited)}): advisories only reachable for a latest release"
        )
        for line in not_audited:
            print(f"  {line}")
    if findings:
        return 1
    print("No known vulnerabilities in the audited packages.")
    return 1 if args.require_all and not_audited else 0


if __name__ == "__main__":
    sys.exit(main())
