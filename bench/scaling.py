"""Benchmark: page time and queries with 1, 10 and 100 frameworks' worth of content.

Run from the repository root::

    .venv/bin/python bench/scaling.py [--sizes 1,10,100] [--repeat N] [--people N] [--strict]

Uses a throwaway database (never the one DATABASE_URL points at): a fresh ``test_…_scaling``
database on PostgreSQL, a temporary SQLite file otherwise. Content grows by copies of the
four real frameworks under new slugs (dropbox-001, ft-002, monzo-003, snowflake-004,
dropbox-005, …), each imported and published through ``roles.services.framework_import``
from a document parsed once. At each size the same pages of the first framework, the
framework list and the people directory are read in-process with the Django test client as
a logged-in HR member: median time of ``--repeat`` requests, and the query count. See
bench/README.md for the targets.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_dropbox import prepare_environment  # noqa: E402
from load import (  # noqa: E402
    FRAMEWORKS,
    current_positions,
    exit_on_sigterm,
    find_frameworks_dir,
    finish,
    framework_csvs,
    machine_description,
    person_rows,
    targets,
    throwaway_postgres,
)

TARGET_TIME_RATIO = 1.5  # largest size / smallest size, pages about one framework
DEFAULT_SIZES = (1, 10, 100)


@dataclass(frozen=True)
class Page:
    name: str
    kind: str  # "framework": about one framework; "list": lists across frameworks
    url: str


@dataclass
class Measure:
    ms: float
    min_ms: float
    max_ms: float
    queries: int
    bytes: int


@dataclass
class SizeResult:
    size: int
    load_seconds: float
    statements: int
    people: int
    pages: dict[str, Measure] = field(default_factory=dict)


def parse_sizes(text: str) -> list[int]:
    sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes are numbers of frameworks, 1 or more")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="numbers of frameworks, comma-separated (default 1,10,100)",
    )
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page (7)")
    parser.add_argument(
        "--people", type=int, default=100, help="people, spread over the frameworks (100)"
    )
    parser.add_argument(
        "--framework",
        choices=FRAMEWORKS,
        default="dropbox",
        help="the framework whose pages are read (default dropbox; the others follow it)",
    )
    parser.add_argument("--frameworks", type=Path, help="folder of the four long CSVs")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.people < 1:
        parser.error("--repeat and --people must be 1 or more")
    args.csvs = framework_csvs(parser, args.frameworks or find_frameworks_dir())
    return args


@contextmanager
def database(kind: str):
    if kind == "postgresql":
        with throwaway_postgres("scaling"):
            yield
    else:
        from import_dropbox import throwaway_database

        with throwaway_database(kind):
            yield


# --- content ---------------------------------------------------------------------------------


class Content:
    """Frameworks copied from the four real ones, cycling, the first one ``first``."""

    def __init__(self, csvs: dict[str, Path], first: str) -> None:
        from roles.formats.long_csv import parse_long_csv

        self.order = [first, *(name for name in FRAMEWORKS if name != first)]
        self.documents = {name: parse_long_csv(csvs[name].read_bytes()) for name in self.order}
        self.slugs: list[str] = []

    def grow(self, size: int) -> None:
        from roles.services import framework_import

        while len(self.slugs) < size:
            i = len(self.slugs)
            name = self.order[i % len(self.order)]
            slug = f"{name}-{i + 1:03d}"
            framework_import(slug=slug, document=self.documents[name], publish=True)
            self.slugs.append(slug)

    def place_people(self, count: int) -> None:
        """``count`` people, the same at every size, spread over the frameworks loaded so far
        (round-robin, then over each framework's positions); moved by the people import
        service (matched by email), which records each move in their history."""
        from ladders.people.services import people_import

        positions = {slug: current_positions(slug) for slug in self.slugs}

        def placement(j: int) -> tuple[str, Any]:
            slug = self.slugs[j % len(self.slugs)]
            return slug, positions[slug][(j // len(self.slugs)) % len(positions[slug])]

        rows = person_rows(placement(j) for j in range(count))
        people_import(rows=rows, user=None)


def hr_member():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from roles.access import HR_GROUP

    user = get_user_model().objects.create_user("bench-hr", "bench-hr@example.com", "x")
    user.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    return user


def pages_of(slug: str, document: dict) -> list[Page]:
    fw = targets({slug: document})["frameworks"][0]
    role, level = fw["positions"][len(fw["positions"]) // 2]
    a, b = fw["comparisons"][len(fw["comparisons"]) // 2]
    base = f"/frameworks/{slug}"
    return [
        Page("home", "list", "/"),
        Page("overview", "framework", f"{base}/"),
        Page("role", "framework", f"{base}/roles/{role}/"),
        Page("position", "framework", f"{base}/roles/{role}/levels/{level}/"),
        Page("compare", "framework", f"{base}/compare/?from={a}&to={b}"),
        Page("search", "framework", f"{base}/search/?q={fw['words'][0]}"),
        Page("path map", "framework", f"{base}/paths/"),
        Page("API document", "framework", f"/api/v1/frameworks/{slug}/versions/latest/document/"),
        Page("people", "list", "/people/"),
    ]


# --- measurement -----------------------------------------------------------------------------


def measure(client, pages: list[Page], repeat: int) -> dict[str, Measure]:
    """A warm-up request of each page, one counting its queries, then ``repeat`` timed
    rounds over all pages (interleaved, so that noise spreads over every page)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries, sizes = {}, {}
    for page in pages:
        response = client.get(page.url)
        if response.status_code != 200:
            raise RuntimeError(f"{page.url}: HTTP {response.status_code}")
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page.url)
        queries[page.name] = len(ctx.captured_queries)
        sizes[page.name] = len(response.content)
    samples: dict[str, list[float]] = {page.name: [] for page in pages}
    for _ in range(repeat):
        for page in pages:
            start = time.perf_counter()
            client.get(page.url)
            samples[page.name].append(time.perf_counter() - start)
    return {
        name: Measure(
            ms=statistics.median(values) * 1000,
            min_ms=min(values) * 1000,
            max_ms=max(values) * 1000,
            queries=queries[name],
            bytes=sizes[name],
        )
        for name, values in samples.items()
    }


def statement_count() -> int:
    from roles.models import Expectation

    return Expectation.objects.count()


def vendor() -> str:
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)
        return f"postgresql {major}.{rest} ({connection.settings_dict['NAME']})"
    import sqlite3

    return f"sqlite {sqlite3.sqlite_version} (temporary file)"


# --- report ------------------------------------------------------------------------------------


@dataclass
class Verdict:
    page: Page
    time_ratio: float
    queries_equal: bool

    @property
    def ok(self) -> bool:
        if not self.queries_equal:
            return False
        return self.page.kind != "framework" or self.time_ratio <= TARGET_TIME_RATIO


def verdicts(pages: list[Page], results: list[SizeResult]) -> list[Verdict]:
    first, last = results[0].pages, results[-1].pages
    out = []
    for page in pages:
        ratio = last[page.name].ms / first[page.name].ms if first[page.name].ms else 0.0
        same = len({r.pages[page.name].queries for r in results}) == 1
        out.append(Verdict(page, ratio, same))
    return out


def print_report(pages: list[Page], results: list[SizeResult], found: list[Verdict]) -> None:
    head = f"{'page':<14}"
    for r in results:
        head += f"{f'{r.size} fw: ms':>13}{'q':>5}"
    head += f"{'time x':>9}{'queries':>9}  target"
    print(head)
    for verdict in found:
        page = verdict.page
        line = f"{page.name:<14}"
        for r in results:
            m = r.pages[page.name]
            line += f"{m.ms:>13.1f}{m.queries:>5}"
        if page.kind == "framework":
            target = f"queries equal, time <= {TARGET_TIME_RATIO}"
        else:
            target = "queries equal (lists: time reported)"
        verdict_text = "PASS" if verdict.ok else "FAIL"
        queries = "equal" if verdict.queries_equal else "GROW"
        line += f"{verdict.time_ratio:>9.2f}{queries:>9}  {target}  {verdict_text}"
        print(line)
    print()
    print(
        "response sizes (kB): "
        + "; ".join(
            f"{p.name} " + " -> ".join(f"{r.pages[p.name].bytes / 1024:.0f}" for r in results)
            for p in pages
            if p.kind == "list"
        )
    )


def run(args: argparse.Namespace) -> tuple[bool, dict[str, Any]]:
    from django.conf import settings
    from django.test import Client

    # In-process requests: the test client's host, plain HTTP whatever the environment says.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False

    content = Content(args.csvs, args.framework)
    client = Client()
    client.force_login(hr_member())
    results: list[SizeResult] = []
    pages: list[Page] = []
    print(f"careerframe scaling benchmark: sizes {', '.join(map(str, args.sizes))} frameworks")
    print(f"database        : {vendor()}")
    print(f"machine         : {machine_description()}")
    print(
        f"pages           : those of {args.framework}-001 (its overview, a middle position "
        f"and its role, ...), the framework list, the people directory ({args.people} people "
        "spread over the frameworks); a logged-in HR member; in-process test client"
    )
    print(f"repetitions     : {args.repeat} per page and size, interleaved; medians")
    for size in args.sizes:
        start = time.perf_counter()
        content.grow(size)
        content.place_people(args.people)
        load_seconds = time.perf_counter() - start
        if not pages:
            pages = pages_of(content.slugs[0], content.documents[content.order[0]])
        result = SizeResult(size, load_seconds, statement_count(), args.people)
        result.pages = measure(client, pages, args.repeat)
        results.append(result)
        print(
            f"  {size:>4} frameworks: {result.statements:,} statement rows "
            f"(drafts and published versions), loaded in {load_seconds:.1f} s"
        )
    print()
    found = verdicts(pages, results)
    print_report(pages, results, found)
    ok = all(v.ok for v in found)
    payload = {
        "benchmark": "scaling",
        "database": vendor(),
        "machine": machine_description(),
        "options": {
            "sizes": args.sizes,
            "repeat": args.repeat,
            "people": args.people,
            "framework": args.framework,
        },
        "sizes": [
            {
                "frameworks": r.size,
                "statements": r.statements,
                "load_seconds": r.load_seconds,
                "pages": {name: m.__dict__ for name, m in r.pages.items()},
            }
            for r in results
        ],
        "verdicts": [
            {
                "page": v.page.name,
                "kind": v.page.kind,
                "url": v.page.url,
                "time_ratio": v.time_ratio,
                "queries_equal": v.queries_equal,
                "pass": v.ok,
            }
            for v in found
        ],
        "target_time_ratio": TARGET_TIME_RATIO,
        "pass": ok,
    }
    return ok, payload


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    kind, tmpdir = prepare_environment()
    try:
        import django

        django.setup()
        with database(kind):
            ok, payload = run(args)
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    if len(args.sizes) > 1:
        print(
            f"\ngrowth is {args.sizes[-1]} vs {args.sizes[0]} frameworks. Pages about one "
            f"framework: same queries, time ratio <= {TARGET_TIME_RATIO}. The framework list "
            "lists every framework and the people directory resolves its people's positions "
            "in every framework they sit in: both may grow in rows and time, not in queries."
        )
    return finish("scaling", payload, ok=ok, strict=args.strict)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: the throwaway database is dropped", file=sys.stderr)
        sys.exit(130)
