"""Lighthouse scores of the main read pages, served as in production.

Run from the repository root (after ``npm ci``; Lighthouse is an npm dev dependency and uses
the system's Chromium, ``apt-get install chromium``)::

    .venv/bin/python bench/lighthouse.py [--strict] [--preset desktop|mobile]

Builds a throwaway SQLite database with the demo data (``load_demo``: the public Customer
Success Design framework), collects the static files, serves the production settings
(DEBUG off, WhiteNoise, compressed manifest storage) with gunicorn on 127.0.0.1, and runs
Lighthouse on each page as an anonymous reader. Prints accessibility, performance and best
practices per page and writes bench/results/lighthouse.json. Targets: accessibility 100,
performance >= 95, best practices >= 95 (``--strict`` exits 1 on a miss).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
SLUG = "customer-success-design"
PAGES = {
    "home": "/",
    "overview": f"/frameworks/{SLUG}/",
    "role": f"/frameworks/{SLUG}/roles/design/",
    "position": f"/frameworks/{SLUG}/roles/design/levels/senior/",
    "compare": f"/frameworks/{SLUG}/compare/?from=design.mid&to=design.senior",
    "path map": f"/frameworks/{SLUG}/paths/",
    "search": f"/frameworks/{SLUG}/search/?q=research",
    "login": "/login/",
}
TARGETS = {"accessibility": 100, "performance": 95, "best-practices": 95}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium() -> str:
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser"):
        if name and (found := shutil.which(name)):
            return found
    sys.exit("no Chromium found (Debian/Ubuntu: sudo apt-get install chromium)")


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url} within {timeout:.0f} s")


def lighthouse(url: str, browser: str, preset: str, out: Path) -> dict[str, int]:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        "--only-categories=accessibility,performance,best-practices",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, env={**os.environ, "CHROME_PATH": browser}, check=True)
    report = json.loads(out.read_text())
    return {k: round(v["score"] * 100) for k, v in report["categories"].items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--preset", choices=["desktop", "mobile"], default="desktop")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        parser.error(f"{LIGHTHOUSE} is missing: run `npm ci` first")
    browser = chromium()

    with tempfile.TemporaryDirectory(prefix="careerframe-lighthouse-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "lighthouse-" + os.urandom(16).hex(),
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_COOKIES": "false",
            "STATIC_ROOT": f"{tmp}/static",
        }
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--no-input", "-v", "0")
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "careerframe.wsgi",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/")
            scores = {}
            for name, path in PAGES.items():
                scores[name] = lighthouse(base + path, browser, args.preset, Path(tmp) / "r.json")
                print(f"{name:10} " + "  ".join(f"{k} {v:3}" for k, v in scores[name].items()))
        finally:
            server.terminate()
            server.wait(timeout=10)

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "lighthouse.json").write_text(json.dumps(scores, indent=1))
    misses = [
        f"{page}: {category} {score} < {TARGETS[category]}"
        for page, categories in scores.items()
        for category, score in categories.items()
        if score < TARGETS[category]
    ]
    print("\n".join(misses) if misses else "every page meets every target")
    return 1 if misses and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
