"""Benchmark: the app served by gunicorn under load (locust), against a bare Django view.

Run from the repository root, with DATABASE_URL naming a PostgreSQL database::

    DATABASE_URL=postgres://user@host/db .venv/bin/python bench/load.py \\
        [--users N] [--duration S] [--workers N] [--strict]

Never touches the database DATABASE_URL names: it creates a ``test_…_load`` database next to
it, loads the four real frameworks (published, public) and 1,000 people, collects the static
files into a temporary folder, and serves the production settings (DEBUG off, WhiteNoise)
with gunicorn on 127.0.0.1. Then locust runs with the same users: the realistic mix of
pages, then the position page alone and ``/bench/bare/`` (a fixed HttpResponse,
bench/urls.py) alternating in ``--rounds`` rounds. gunicorn is stopped and the database
dropped at the end, also on Ctrl-C. See bench/README.md for the targets.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
FRAMEWORKS = ("dropbox", "ft", "monzo", "snowflake")
TARGET_RATIO = 0.5  # position page throughput / bare view throughput
MIX_PAGES = ("overview", "role", "position", "compare", "search", "path map", "API document")


# --- locating the frameworks and the database --------------------------------------------------


def find_frameworks_dir() -> Path | None:
    """``$CAREERFRAME_FRAMEWORKS_DIR``, else ``shared/frameworks`` in the script's folder or
    the nearest folder above it (as ``import_dropbox.find_default_csv``)."""
    env_dir = os.environ.get("CAREERFRAME_FRAMEWORKS_DIR")
    if env_dir:
        return Path(env_dir)
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        candidate = folder / "shared" / "frameworks"
        if (candidate / "dropbox.csv").is_file():
            return candidate
    return None


def framework_csvs(parser: argparse.ArgumentParser, folder: Path | None) -> dict[str, Path]:
    if folder is None:
        parser.error(
            "cannot find shared/frameworks/ above bench/; "
            "pass --frameworks DIR or set CAREERFRAME_FRAMEWORKS_DIR"
        )
    paths = {name: folder / f"{name}.csv" for name in FRAMEWORKS}
    missing = [str(p) for p in paths.values() if not p.is_file()]
    if missing:
        parser.error("missing framework file(s): " + ", ".join(missing))
    return paths


def is_postgres_url(url: str) -> bool:
    return url.split(":", 1)[0].lower() in {"postgres", "postgresql", "pgsql", "postgis"}


def url_with_database(url: str, name: str) -> str:
    """``url`` naming the database ``name`` instead (same server, user, options)."""
    return urlunsplit(urlsplit(url)._replace(path="/" + quote(name)))


@contextlib.contextmanager
def throwaway_postgres(label: str) -> Iterator[str]:
    """Create (and at the end drop) ``test_<name>_<label>`` next to DATABASE_URL's database,
    migrated; yields its URL for other processes. Django must be set up."""
    from django.db import connection

    original_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})
    connection.settings_dict["TEST"]["NAME"] = f"test_{original_name}_{label}"
    test_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=False
    )
    try:
        yield url_with_database(os.environ["DATABASE_URL"], test_name)
    finally:
        close_other_connections()
        connection.close()
        connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)


def close_other_connections(wait: float = 10) -> None:
    """Wait for the server's other sessions on the throwaway database to end (a stopped
    gunicorn's backends take a moment), then end any left: DROP DATABASE refuses otherwise."""
    from django.db import connection

    others = (
        "SELECT pid FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    deadline = time.monotonic() + wait
    # Best effort: if this fails, the DROP says what is left.
    with contextlib.suppress(Exception), connection.cursor() as cursor:
        while True:
            cursor.execute(others)
            pids = [row[0] for row in cursor.fetchall()]
            if not pids:
                return
            if time.monotonic() > deadline:
                for pid in pids:
                    cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                return
            time.sleep(0.2)


# --- content: the four frameworks and the people ------------------------------------------------

WORD = re.compile(r"[a-z]{6,}")


def frequent_words(document: dict, n: int = 12) -> list[str]:
    """The most frequent long words of a framework's statements: realistic search terms."""
    counts = collections.Counter(
        w for exp in document["expectations"] for w in WORD.findall(exp["text"].lower())
    )
    return [w for w, _ in counts.most_common(n)]


def load_frameworks(csvs: dict[str, Path], *, visibility: str) -> dict[str, dict]:
    """Import and publish each framework as ``manage.py import_framework --publish`` does;
    returns the parsed documents by slug."""
    from roles.formats.long_csv import parse_long_csv
    from roles.models import Framework
    from roles.services import framework_import

    documents = {}
    for slug, path in csvs.items():
        document = parse_long_csv(path.read_bytes())
        framework_import(slug=slug, document=document, publish=True)
        documents[slug] = document
    Framework.objects.filter(slug__in=list(csvs)).update(visibility=visibility)
    return documents


def current_positions(slug: str) -> list:
    from roles.models import FrameworkVersion, Position

    version = FrameworkVersion.objects.current().get(framework__slug=slug)
    return list(
        Position.objects.filter(version=version)
        .select_related("role", "level")
        .order_by("role__order", "role__pk", "level__rank", "level__pk")
    )


def person_rows(placements: Iterable[tuple[str, Any]]) -> list:
    """People import rows for ``placements`` (framework slug, position), one person each,
    named Bench Person 0001, 0002, … with matching emails (so a second import moves them)."""
    from ladders.people.csvfile import PersonRow

    return [
        PersonRow(
            line=i + 2,
            name=f"Bench Person {i + 1:04d}",
            email=f"bench.person{i + 1:04d}@example.com",
            lead_email="",
            framework=slug,
            role=position.role.key,
            level=position.level.key,
            sub_role="",
        )
        for i, (slug, position) in enumerate(placements)
    ]


def load_people(slugs: list[str], count: int) -> int:
    """``count`` people spread round-robin over every position of the frameworks, through
    the people import service (as ``manage.py import_people``)."""
    from ladders.people.services import people_import

    slots = [(slug, p) for slug in slugs for p in current_positions(slug)]
    rows = person_rows(slots[i % len(slots)] for i in range(count))
    return people_import(rows=rows, user=None).created


def targets(documents: dict[str, dict]) -> dict[str, Any]:
    """What the locust users read, per framework (the JSON of BENCH_TARGETS)."""
    frameworks = []
    for slug, document in documents.items():
        positions = current_positions(slug)
        by_role: dict[int, list] = collections.defaultdict(list)
        for p in positions:
            by_role[p.role_id].append(p)
        comparisons = [
            [a.key, b.key]
            for ladder in by_role.values()
            for a, b in zip(ladder, ladder[1:], strict=False)
        ] or [[positions[0].key, positions[0].key]]
        frameworks.append(
            {
                "slug": slug,
                "roles": sorted({p.role.key for p in positions}),
                "positions": [[p.role.key, p.level.key] for p in positions],
                "comparisons": comparisons,
                "words": frequent_words(document),
            }
        )
    return {"frameworks": frameworks}


def content_counts() -> dict[str, int]:
    """Rows that must survive anything the server goes through."""
    from ladders.models import Person, PositionChange
    from roles.models import Expectation, Framework, FrameworkVersion, Position

    return {
        "frameworks": Framework.objects.count(),
        "versions": FrameworkVersion.objects.count(),
        "positions": Position.objects.count(),
        "statements": Expectation.objects.count(),
        "people": Person.objects.count(),
        "position changes": PositionChange.objects.count(),
    }


def version_hashes() -> dict[str, str]:
    from roles.models import FrameworkVersion

    return {
        f"{v.framework.slug}#{v.status}{v.number or ''}": v.document_sha256
        for v in FrameworkVersion.objects.select_related("framework")
    }


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


UNCOMPRESSED_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def server_environment(
    database_url: str,
    static_root: Path,
    extra_static: Path | None = None,
    *,
    compress_static: bool = False,
) -> dict[str, str]:
    """The production configuration, on plain HTTP on localhost."""
    pythonpath = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": pythonpath,
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on localhost, no TLS proxy in front
        "SECURE_COOKIES": "false",
        "BENCH_STATIC_ROOT": str(static_root),
        "BENCH_EXTRA_STATIC": str(extra_static or ""),
        "BENCH_STATIC_STORAGE": "" if compress_static else UNCOMPRESSED_STORAGE,
    }


SOURCE_MAP = re.compile(rb"[#@] sourceMappingURL=([^\s*'\"]+)")
EMPTY_SOURCE_MAP = '{"version": 3, "sources": [], "names": [], "mappings": ""}\n'


def missing_source_maps(static_dir: Path) -> list[str]:
    """Source maps that built assets name but that are not there (relative to static/).

    The manifest storage of the production settings rewrites every ``sourceMappingURL`` to
    the hashed name, and so fails on a map the build did not copy."""
    missing = []
    for path in sorted(static_dir.rglob("*")):
        if path.suffix not in {".js", ".css"} or not path.is_file():
            continue
        for match in SOURCE_MAP.finditer(path.read_bytes()):
            name = match.group(1).decode("utf-8", "replace")
            if "://" in name or name.startswith("data:"):
                continue
            target = (path.parent / name).resolve()
            if not target.is_file():
                missing.append(target.relative_to(static_dir.resolve()).as_posix())
    return missing


def collectstatic(env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        result = subprocess.run(
            [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if result.returncode != 0:
        raise RuntimeError(f"collectstatic failed ({result.returncode}):\n{tail(log)}")


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log: Path


def start_gunicorn(env: dict[str, str], workers: int, log: Path) -> Server:
    port = free_port()
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "careerframe.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--chdir",
                str(ROOT),
                "--timeout",
                "60",
                "--graceful-timeout",
                "10",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches this script only; it stops the server
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{tail(log)}")
        try:
            with urllib.request.urlopen(server.base_url + "/bench/bare/", timeout=5) as r:
                if r.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            stop_process(process)
            raise RuntimeError(f"gunicorn did not answer within 60 s:\n{tail(log)}")
        time.sleep(0.25)


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """SIGTERM, then SIGKILL to the process group it leads (it was started in a session of
    its own, so the group is this process and its children only)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, 0)  # workers left behind by a killed master
        os.killpg(process.pid, signal.SIGKILL)


REDIS_CACHE = "careerframe.cache.RedisCache"


@contextlib.contextmanager
def shared_cache(kind: str, workdir: Path, echo=print) -> Iterator[dict[str, str]]:
    """The cache settings the server runs with. ``memory``: each gunicorn worker keeps its
    own (the default of the settings). ``redis``: one ``redis-server`` on 127.0.0.1 shared by
    the workers (no persistence), as a production site with several workers would use, which
    also lets the app keep the current-version lookup (roles/lookup_cache.py)."""
    if kind == "memory":
        yield {}
        return
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("--cache redis needs redis-server on PATH (Debian: redis-server)")
    port = free_port()
    log = workdir / "redis.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start:\n{tail(log)}")
            time.sleep(0.1)
        echo(f"cache           : redis-server on 127.0.0.1:{port}, shared by the workers")
        yield {"CACHE_BACKEND": REDIS_CACHE, "CACHE_LOCATION": f"redis://127.0.0.1:{port}/0"}
    finally:
        stop_process(process)


def default_cache() -> str:
    return "redis" if shutil.which("redis-server") else "memory"


def add_cache_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--cache",
        choices=("redis", "memory"),
        default=default_cache(),
        help="the server's cache: one redis-server shared by the workers, or each worker's "
        f"own memory (default here: {default_cache()})",
    )


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def check_pages(base_url: str, site: dict[str, Any]) -> list[str]:
    """One GET of every kind of page of every framework: the URLs must answer 200."""
    problems = []
    for fw in site["frameworks"]:
        slug = fw["slug"]
        role, level = fw["positions"][len(fw["positions"]) // 2]
        a, b = fw["comparisons"][0]
        for url in (
            f"/frameworks/{slug}/",
            f"/frameworks/{slug}/roles/{role}/",
            f"/frameworks/{slug}/roles/{role}/levels/{level}/",
            f"/frameworks/{slug}/compare/?from={a}&to={b}",
            f"/frameworks/{slug}/search/?q={fw['words'][0]}",
            f"/frameworks/{slug}/paths/",
            f"/api/v1/frameworks/{slug}/versions/latest/document/",
        ):
            try:
                with urllib.request.urlopen(base_url + url, timeout=60) as r:
                    r.read()
            except urllib.error.HTTPError as exc:
                problems.append(f"{url}: HTTP {exc.code}")
            except (urllib.error.URLError, OSError) as exc:
                problems.append(f"{url}: {exc}")
    return problems


@dataclass
class Site:
    """A served throwaway copy of the app with its content."""

    server: Server
    targets_file: Path
    targets: dict[str, Any]
    workdir: Path
    workers: int
    people: int
    counts: dict[str, int] = field(default_factory=dict)
    setup_seconds: float = 0.0


@contextlib.contextmanager
def served_site(
    csvs: dict[str, Path],
    *,
    people: int,
    workers: int,
    label: str,
    compress_static: bool = False,
    cache: str = "memory",
    echo=print,
) -> Iterator[Site]:
    """Throwaway database with the frameworks and people, static files, gunicorn; all
    removed at the end. DATABASE_URL must name a PostgreSQL database; Django is set up here."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "careerframe.settings"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from roles.models import Visibility

    workdir = Path(tempfile.mkdtemp(prefix=f"careerframe-{label}-"))
    server = None
    try:
        started = time.perf_counter()
        with (
            throwaway_postgres(label) as database_url,
            shared_cache(cache, workdir, echo) as cache_env,
        ):
            echo(f"database        : {database_url.rsplit('/', 1)[-1]} (throwaway)")
            documents = load_frameworks(csvs, visibility=Visibility.PUBLIC)
            created = load_people(list(csvs), people)
            site_targets = targets(documents)
            targets_file = workdir / "targets.json"
            targets_file.write_text(json.dumps(site_targets), encoding="utf-8")
            counts = content_counts()
            extra_static = None
            maps = missing_source_maps(ROOT / "static")
            if maps:
                extra_static = workdir / "extra-static"
                for name in maps:
                    (extra_static / name).parent.mkdir(parents=True, exist_ok=True)
                    (extra_static / name).write_text(EMPTY_SOURCE_MAP, encoding="utf-8")
            env = server_environment(
                database_url, workdir / "static", extra_static, compress_static=compress_static
            )
            env.update(cache_env)
            log = workdir / "server.log"
            echo(
                "collectstatic   : into a temporary STATIC_ROOT ("
                + ("manifest, compressed)" if compress_static else "manifest, not compressed)")
            )
            if maps:
                echo(
                    "note            : the build does not copy "
                    + ", ".join(maps)
                    + ", which the assets name (collectstatic fails on it): empty stand-ins"
                )
            collectstatic(env, log)
            server = start_gunicorn(env, workers, log)
            problems = check_pages(server.base_url, site_targets)
            if problems:
                raise RuntimeError(
                    "pages do not answer 200:\n  " + "\n  ".join(problems) + "\n" + tail(log)
                )
            site = Site(
                server=server,
                targets_file=targets_file,
                targets=site_targets,
                workdir=workdir,
                workers=workers,
                people=created,
                counts=counts,
                setup_seconds=time.perf_counter() - started,
            )
            try:
                yield site
            finally:
                stop_process(server.process)
                server = None
    finally:
        if server is not None:
            stop_process(server.process)
        shutil.rmtree(workdir, ignore_errors=True)


# --- locust --------------------------------------------------------------------------------------


@dataclass
class PageStats:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float | None
    p95: float | None
    p99: float | None
    max: float | None

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class RunResult:
    label: str
    pages: list[PageStats]
    total: PageStats
    errors: list[str]
    cpu_warning: bool
    seconds: float


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_locust_csv(prefix: Path) -> tuple[list[PageStats], PageStats, list[str]]:
    pages, total = [], None
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            stats = PageStats(
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                rps=float(row["Requests/s"]),
                p50=_number(row["50%"]),
                p95=_number(row["95%"]),
                p99=_number(row["99%"]),
                max=_number(row["Max Response Time"]),
            )
            if row["Name"] == "Aggregated":
                total = stats
            else:
                pages.append(stats)
    if total is None:
        total = PageStats("Aggregated", 0, 0, 0.0, None, None, None, None)
    errors = []
    failures_csv = Path(f"{prefix}_failures.csv")
    if failures_csv.is_file():
        with failures_csv.open(newline="", encoding="utf-8") as f:
            errors = [
                f"{row['Occurrences']} x {row['Name']}: {row['Error']}" for row in csv.DictReader(f)
            ]
    return pages, total, errors


def run_locust(
    site: Site,
    user_class: str,
    label: str,
    *,
    users: int,
    duration: float,
    max_requests: int,
    request_log: Path | None = None,
) -> RunResult:
    prefix = site.workdir / f"locust-{label}"
    log = site.workdir / f"locust-{label}.log"
    env = {
        **os.environ,
        "BENCH_TARGETS": str(site.targets_file),
        "BENCH_MAX_REQUESTS": str(max_requests),
        "BENCH_REQUEST_LOG": str(request_log or ""),
    }
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(BENCH / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),  # all users at once
        "--reset-stats",  # ...and the statistics start once they all run
        "--run-time",
        f"{max(1, round(duration))}s",
        "--stop-timeout",
        "10",
        "--host",
        site.server.base_url,
        "--csv",
        str(prefix),
        "--only-summary",
        "--exit-code-on-error",
        "0",
        user_class,
    ]
    started = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            code = process.wait(timeout=duration + 120)
        finally:
            stop_process(process)
    seconds = time.perf_counter() - started
    if code != 0 or not Path(f"{prefix}_stats.csv").is_file():
        raise RuntimeError(f"locust failed ({code}):\n{tail(log)}")
    pages, total, errors = read_locust_csv(prefix)
    cpu_warning = "CPU usage" in log.read_text(errors="replace")
    return RunResult(label, pages, total, errors, cpu_warning, seconds)


def merge_runs(label: str, runs: list[RunResult]) -> RunResult:
    """Runs of the same page as one: requests and errors added up, throughput averaged
    (the runs are equally long), the median p50 and the worst p95, p99 and max."""

    def merged(name: str, parts: list[PageStats]) -> PageStats:
        def worst(values: list[float | None]) -> float | None:
            known = [v for v in values if v is not None]
            return max(known) if known else None

        p50s = [p.p50 for p in parts if p.p50 is not None]
        return PageStats(
            name=name,
            requests=sum(p.requests for p in parts),
            failures=sum(p.failures for p in parts),
            rps=statistics.fmean(p.rps for p in parts),
            p50=statistics.median(p50s) if p50s else None,
            p95=worst([p.p95 for p in parts]),
            p99=worst([p.p99 for p in parts]),
            max=worst([p.max for p in parts]),
        )

    names = sorted({page.name for run in runs for page in run.pages})
    return RunResult(
        label=label,
        pages=[merged(n, [p for run in runs for p in run.pages if p.name == n]) for n in names],
        total=merged("Aggregated", [run.total for run in runs]),
        errors=[line for run in runs for line in run.errors],
        cpu_warning=any(run.cpu_warning for run in runs),
        seconds=sum(run.seconds for run in runs),
    )


# --- report --------------------------------------------------------------------------------------


def fmt_ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def print_runs(runs: list[RunResult]) -> None:
    print(
        f"{'run':<10}{'page':<14}{'requests':>9}{'req/s':>9}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'errors':>8}"
    )
    for run in runs:
        order = {name: i for i, name in enumerate(MIX_PAGES)}
        rows = sorted(run.pages, key=lambda s: order.get(s.name, 99))
        if len(rows) > 1:
            rows.append(run.total)
        for stats in rows:
            name = "(all)" if stats.name == "Aggregated" else stats.name
            print(
                f"{run.label:<10}{name:<14}{stats.requests:>9,}{stats.rps:>9.1f}"
                f"{fmt_ms(stats.p50):>8}{fmt_ms(stats.p95):>8}{fmt_ms(stats.p99):>8}"
                f"{fmt_ms(stats.max):>8}{stats.failures:>8}"
            )


def write_results(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def finish(name: str, payload: dict[str, Any], *, ok: bool, strict: bool) -> int:
    """Write the results file, say where and whether the targets were met; the exit code
    (1 on a miss only with ``--strict``)."""
    path = write_results(name, payload)
    print(f"results         : {path.relative_to(ROOT)}")
    print("result: " + ("PASS" if ok else "FAIL"))
    return 1 if strict and not ok else 0


def machine_description() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{os.cpu_count()} cores, load average {load:.2f} at the start"


def postgres_description() -> str:
    from django.db import connection

    connection.ensure_connection()
    major, rest = divmod(connection.pg_version, 10000)
    return f"postgresql {major}.{rest}"


# --- main ----------------------------------------------------------------------------------------


def add_server_options(parser: argparse.ArgumentParser, *, users: int) -> None:
    """The options of every served benchmark: locust users, gunicorn workers, people."""
    parser.add_argument("--users", type=int, default=users, help=f"locust users (default {users})")
    parser.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help=f"gunicorn workers (default 2 x cores + 1 = {default_workers()})",
    )
    parser.add_argument("--people", type=int, default=1000, help="people loaded (default 1000)")


def add_compress_static(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--compress-static",
        action="store_true",
        help="collect the static files with the production storage (WhiteNoise's compressed "
        "manifest: minutes on 2 cores); default: the same manifest, uncompressed",
    )


def exit_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C (SystemExit): the server is stopped, the database dropped."""

    def handler(signum, frame) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_server_options(parser, users=20)
    parser.add_argument(
        "--duration", type=float, default=60, help="seconds of each run (default 60)"
    )
    parser.add_argument(
        "--max-requests",
        type=int,
        default=200_000,
        help="stop a run after this many requests (default 200,000)",
    )
    parser.add_argument(
        "--warmup", type=float, default=10, help="seconds of mix before measuring (default 10)"
    )
    parser.add_argument("--frameworks", type=Path, help="folder of the four long CSVs")
    add_compress_static(parser)
    add_cache_option(parser)
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="position and bare alternate in this many rounds, sharing --duration (default 3)",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    for name in ("users", "workers", "max_requests", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be 1 or more")
    if args.duration <= 0 or args.warmup < 0 or args.people < 0:
        parser.error("--duration must be positive, --warmup and --people not negative")
    args.csvs = framework_csvs(parser, args.frameworks or find_frameworks_dir())
    if not is_postgres_url(os.environ.get("DATABASE_URL", "")):
        parser.error(
            "bench/load.py serves the production configuration, which needs PostgreSQL: set "
            "DATABASE_URL=postgres://user@host/db (a throwaway test_…_load database is created "
            "next to it; the named database itself is never touched)"
        )
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    machine = machine_description()
    print(f"careerframe load benchmark: gunicorn ({args.workers} sync workers) + locust")
    print(f"machine         : {machine}")
    with served_site(
        args.csvs,
        people=args.people,
        workers=args.workers,
        label="load",
        compress_static=args.compress_static,
        cache=args.cache,
    ) as site:
        print(
            f"server          : {postgres_description()}, DEBUG off, WhiteNoise, "
            f"{site.server.base_url}"
        )
        print(
            "content         : "
            + ", ".join(f"{n:,} {what}" for what, n in site.counts.items())
            + f"  (set up in {site.setup_seconds:.0f} s)"
        )
        print(
            f"runs            : {args.users} users each, no wait, {args.duration:g} s "
            f"(or {args.max_requests:,} requests); warm-up {args.warmup:g} s of the mix"
        )
        print()
        common = {"users": args.users, "max_requests": args.max_requests}
        if args.warmup:
            run_locust(site, "MixUser", "warmup", duration=args.warmup, **common)
        mix = run_locust(site, "MixUser", "mix", duration=args.duration, **common)
        # Position and bare alternate in rounds: a slow spell of a shared machine then
        # weighs on both sides of the ratio, not on one.
        rounds = []
        for i in range(args.rounds):
            part = args.duration / args.rounds
            rounds.append(
                (
                    run_locust(site, "PositionUser", f"position-{i + 1}", duration=part, **common),
                    run_locust(site, "BareUser", f"bare-{i + 1}", duration=part, **common),
                )
            )
    # The site is down and its database dropped from here on.
    position = merge_runs("position", [p for p, _ in rounds])
    bare = merge_runs("bare", [b for _, b in rounds])
    runs = [mix, position, bare]
    ratios = [p.total.rps / b.total.rps if b.total.rps else 0.0 for p, b in rounds]
    ratio = statistics.median(ratios)
    errors = sum(run.total.failures for run in runs)
    ratio_ok = ratio >= TARGET_RATIO
    errors_ok = errors == 0
    print_runs(runs)
    print()
    print(
        f"position / bare : {ratio:6.2f}  median of {len(ratios)} rounds: "
        + ", ".join(
            f"{p.total.rps:.0f}/{b.total.rps:.0f} = {r:.2f}"
            for (p, b), r in zip(rounds, ratios, strict=True)
        )
        + f"  target >= {TARGET_RATIO}  {'PASS' if ratio_ok else 'FAIL'}"
    )
    print(f"errors          : {errors:6d}  target 0  {'PASS' if errors_ok else 'FAIL'}")
    for run in runs:
        for line in run.errors[:10]:
            print(f"  {run.label}: {line}")
    if any(run.cpu_warning for run in runs):
        print(
            "note            : locust reported its CPU above 90% (client-bound: the bare view's "
            "throughput, and so the ratio, is then a floor)"
        )
    ok = ratio_ok and errors_ok
    return finish(
        "load",
        {
            "benchmark": "load",
            "machine": machine,
            "options": {
                "users": args.users,
                "duration": args.duration,
                "max_requests": args.max_requests,
                "warmup": args.warmup,
                "workers": args.workers,
                "people": args.people,
                "cache": args.cache,
                "rounds": args.rounds,
            },
            "content": site.counts,
            "runs": {
                run.label: {
                    "pages": [s.as_dict() for s in run.pages],
                    "total": run.total.as_dict(),
                    "errors": run.errors,
                    "locust_cpu_warning": run.cpu_warning,
                }
                for run in runs
            },
            "ratio_position_bare": ratio,
            "ratios_by_round": ratios,
            "target_ratio": TARGET_RATIO,
            "errors": errors,
            "pass": ok,
        },
        ok=ok,
        strict=args.strict,
    )


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print(
            "interrupted: the server is stopped and the throwaway database dropped", file=sys.stderr
        )
        sys.exit(130)
