"""Benchmark: importing the Dropbox long CSV, product path against a raw bulk insert.

Run from the repository root::

    .venv/bin/python bench/import_dropbox.py [--csv PATH] [--repeat N] [--strict]

Uses a throwaway database (never the one DATABASE_URL points at): a fresh test database
on PostgreSQL, a temporary SQLite file otherwise. See bench/README.md for what is
measured and the targets.
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 2.0  # product time / baseline time
TARGET_RSS_MB = 300.0  # peak resident memory of the whole process


def find_default_csv() -> Path | None:
    """``$CAREERFRAME_FRAMEWORKS_DIR/dropbox.csv``, else ``shared/frameworks/dropbox.csv``
    in the script's folder or the nearest folder above it."""
    env_dir = os.environ.get("CAREERFRAME_FRAMEWORKS_DIR")
    if env_dir:
        return Path(env_dir) / "dropbox.csv"
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        candidate = folder / "shared" / "frameworks" / "dropbox.csv"
        if candidate.is_file():
            return candidate
    return None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, help="long CSV to import (default: dropbox.csv)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each (default 5)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if args.csv is None:
        args.csv = find_default_csv()
        if args.csv is None:
            parser.error(
                "cannot find shared/frameworks/dropbox.csv above bench/; "
                "pass --csv or set CAREERFRAME_FRAMEWORKS_DIR"
            )
    if not args.csv.is_file():
        parser.error(f"{args.csv}: no such file")
    return args


# --- database set-up (before and after django.setup()) --------------------------------------


def is_postgres_url(url: str) -> bool:
    return url.split(":", 1)[0].lower() in {"postgres", "postgresql", "pgsql", "postgis"}


def prepare_environment() -> tuple[str, str | None]:
    """Point Django at a throwaway database; returns (kind, temp dir to remove)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "careerframe.settings"
    sys.path.insert(0, str(ROOT))
    if is_postgres_url(os.environ.get("DATABASE_URL", "")):
        return "postgresql", None
    tmpdir = tempfile.mkdtemp(prefix="careerframe-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmpdir) / 'bench.sqlite3'}"
    return "sqlite", tmpdir


@contextmanager
def throwaway_database(kind: str):
    from django.core.management import call_command
    from django.db import connection

    if kind == "postgresql":
        original_name = connection.settings_dict["NAME"]
        connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False, keepdb=False
        )
        try:
            yield
        finally:
            connection.creation.destroy_test_db(original_name, verbosity=0, keepdb=False)
    else:
        call_command("migrate", verbosity=0, interactive=False)
        try:
            yield
        finally:
            connection.close()


# --- measurement helpers --------------------------------------------------------------------


class Timings:
    """Named lists of durations in seconds."""

    def __init__(self) -> None:
        self.samples: dict[str, list[float]] = {}

    def add(self, name: str, seconds: float) -> None:
        self.samples.setdefault(name, []).append(seconds)

    def median_ms(self, name: str) -> float:
        values = self.samples.get(name)
        return statistics.median(values) * 1000 if values else 0.0

    def spread_ms(self, name: str) -> tuple[float, float]:
        values = self.samples[name]
        return min(values) * 1000, max(values) * 1000


@contextmanager
def timed(timings: Timings, name: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings.add(name, time.perf_counter() - start)


@contextmanager
def wrapped(module: Any, attr: str, timings: Timings, name: str):
    """Time every call of ``module.attr`` (only the name the caller looks up is replaced)."""
    original: Callable[..., Any] = getattr(module, attr)

    def timer(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings.add(name, time.perf_counter() - start)

    setattr(module, attr, timer)
    try:
        yield
    finally:
        setattr(module, attr, original)


# --- the two operations -----------------------------------------------------------------------


def product_import(csv_path: Path, slug: str, timings: Timings | None = None):
    """(a) What `manage.py import_framework FILE --slug SLUG` does: read, parse, import."""
    from roles.formats.long_csv import parse_long_csv
    from roles.services import framework_import

    t0 = time.perf_counter()
    data = csv_path.read_bytes()
    t1 = time.perf_counter()
    document = parse_long_csv(data)  # builds the document and validates it
    t2 = time.perf_counter()
    result = framework_import(slug=slug, document=document)  # its own transaction
    t3 = time.perf_counter()
    if timings is not None:
        timings.add("product", t3 - t0)
        timings.add("read", t1 - t0)
        timings.add("parse_long_csv", t2 - t1)
        timings.add("framework_import", t3 - t2)
    return document, result


def baseline_insert(document: dict[str, Any], slug: str, timings: Timings | None = None):
    """(b) The minimal database work for the same rows, from an already parsed document.

    A fresh Framework and its empty draft FrameworkVersion (the product creates both too),
    then ``roles.serialization.create_rows``: one ``bulk_create`` per kind with the foreign
    keys resolved from the ids the previous batches returned, plus one ``bulk_update`` for
    track forks. One transaction; no parsing, validation or hashing.
    """
    from django.db import transaction

    from roles.models import Framework, FrameworkVersion, VersionStatus
    from roles.serialization import create_rows

    t0 = time.perf_counter()
    with transaction.atomic():
        framework = Framework.objects.create(slug=slug, name=slug)
        version = FrameworkVersion.objects.create(framework=framework, status=VersionStatus.DRAFT)
        create_rows(version, document)
        t1 = time.perf_counter()
    t2 = time.perf_counter()
    if timings is not None:
        timings.add("baseline", t2 - t0)
        timings.add("baseline_inserts", t1 - t0)
        timings.add("baseline_commit", t2 - t1)
    return version


CONTENT_MODELS = (
    "Track",
    "Role",
    "SubRole",
    "Level",
    "Competency",
    "Position",
    "Expectation",
    "PromotionCriterion",
    "PathStep",
)


def row_counts(version) -> dict[str, int]:
    from roles import models

    return {
        name: getattr(models, name).objects.filter(version=version).count()
        for name in CONTENT_MODELS
    }


def count_csv_records(data: bytes) -> int:
    import csv
    import io

    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    next(reader, None)
    return sum(1 for record in reader if record and any(v.strip() for v in record))


def count_queries(fn: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def vendor_description() -> str:
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        major, rest = divmod(connection.pg_version, 10000)
        return f"postgresql {major}.{rest} ({connection.settings_dict['NAME']})"
    import sqlite3

    return f"sqlite {sqlite3.sqlite_version} (temporary file)"


# --- main ---------------------------------------------------------------------------------------


def run(args: argparse.Namespace, kind: str) -> bool:
    import roles.document
    import roles.services
    from roles.document import validate_document
    from roles.formats.long_csv import parse_long_csv

    csv_path: Path = args.csv
    data = csv_path.read_bytes()
    records = count_csv_records(data)
    document = parse_long_csv(data)  # pre-parsed once, for the baseline
    vendor = vendor_description()

    # Warm-up (not measured): imports, the cached JSON Schema validator, the connection,
    # the query compilers of every model.
    product_import(csv_path, "bench-warmup-product")
    baseline_insert(document, "bench-warmup-baseline")

    timings = Timings()
    with (
        wrapped(roles.services, "framework_create", timings, "framework_create"),
        wrapped(roles.services, "delete_rows", timings, "delete_rows"),
        wrapped(roles.services, "create_rows", timings, "create_rows"),
        wrapped(roles.services, "document_sha256", timings, "document_sha256"),
    ):
        for i in range(args.repeat):
            # Alternate which side goes first so neither always runs on a warmer cache.
            order = ("product", "baseline") if i % 2 == 0 else ("baseline", "product")
            for side in order:
                gc.collect()
                if side == "product":
                    parsed, result = product_import(csv_path, f"bench-product-{i}", timings)
                    product_version = result.draft
                else:
                    baseline_version = baseline_insert(document, f"bench-baseline-{i}", timings)
            # Pure functions, timed outside (a) and (b), on the document the product parsed.
            gc.collect()
            with timed(timings, "validate_document"):
                problems = validate_document(parsed)
            assert not problems, problems
            # ...and its two halves (private helpers of roles.document, read-only use).
            with timed(timings, "schema"):
                schema_ok = roles.document._schema_ok(parsed)
            assert schema_ok
            with timed(timings, "invariants"):
                roles.document._check_invariants(parsed)

    product_counts = row_counts(product_version)
    baseline_counts = row_counts(baseline_version)
    same_rows = product_counts == baseline_counts

    queries_product = count_queries(lambda: product_import(csv_path, "bench-queries-product"))
    queries_baseline = count_queries(lambda: baseline_insert(document, "bench-queries-baseline"))

    gc.collect()
    tracemalloc.start()
    product_import(csv_path, "bench-tracemalloc")
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    if sys.platform == "darwin":
        rss_mb /= 1024  # bytes on macOS

    med = timings.median_ms
    product_ms, baseline_ms = med("product"), med("baseline")
    ratio = product_ms / baseline_ms if baseline_ms else float("inf")
    ratio_ok = ratio <= TARGET_RATIO
    rss_ok = rss_mb <= TARGET_RSS_MB

    print(f"careerframe import benchmark: {csv_path}")
    print(f"database        : {vendor}")
    print(f"repetitions     : {args.repeat} of each, alternating; medians reported")
    print(f"file            : {len(data):,} bytes, {records:,} statement rows")
    print(
        "objects created : "
        + ", ".join(f"{n:,} {name}" for name, n in product_counts.items())
        + f" = {sum(product_counts.values()):,} rows"
    )
    print(
        "baseline rows   : "
        + ("identical counts" if same_rows else f"DIFFERENT: {baseline_counts}")
    )
    print(f"queries         : product {queries_product}, baseline {queries_baseline}")
    print()
    lo, hi = timings.spread_ms("product")
    print(f"(a) product     : {product_ms:9.1f} ms  (min {lo:.1f}, max {hi:.1f})")
    lo, hi = timings.spread_ms("baseline")
    print(f"(b) baseline    : {baseline_ms:9.1f} ms  (min {lo:.1f}, max {hi:.1f})")
    print(
        f"ratio a/b       : {ratio:9.2f}     target <= {TARGET_RATIO:.1f}  "
        f"{'PASS' if ratio_ok else 'FAIL'}"
    )
    print(
        f"peak RSS        : {rss_mb:9.1f} MB  target <= {TARGET_RSS_MB:.0f} MB  "
        f"{'PASS' if rss_ok else 'FAIL'}  (ru_maxrss, whole process)"
    )
    print(f"tracemalloc peak: {traced_peak / 2**20:9.1f} MB  (one product import, Python heap)")
    print()
    parse_ms, validate_ms = med("parse_long_csv"), med("validate_document")
    write_ms = med("framework_import")
    sha_ms = med("document_sha256")
    create_ms, delete_ms, fw_ms = med("create_rows"), med("delete_rows"), med("framework_create")
    rest_ms = write_ms - sha_ms - create_ms - delete_ms - fw_ms

    def line(label: str, ms: float, indent: int = 2, of: float = product_ms) -> None:
        share = 100 * ms / of if of else 0.0
        print(f"{' ' * indent}{label:<{44 - indent}}{ms:9.1f} ms  {share:5.1f}%")

    print("breakdown of (a), medians, % of (a) (medians need not add up exactly):")
    line("read file", med("read"))
    line("parse_long_csv (incl. validate_document)", parse_ms)
    line("csv + rows checks + document build", parse_ms - validate_ms, 4)
    line("validate_document (schema + invariants)", validate_ms, 4)
    line("JSON Schema (compiled fastjsonschema)", med("schema"), 6)
    line("invariants (_check_invariants)", med("invariants"), 6)
    line("framework_import (database write)", write_ms)
    line("framework_create (framework + draft)", fw_ms, 4)
    line("delete_rows (empty draft, 9 DELETEs)", delete_ms, 4)
    line("create_rows (same as the baseline's)", create_ms, 4)
    line("document_sha256 (canonical JSON + hash)", sha_ms, 4)
    line("rest (lock bump, refresh, commit)", rest_ms, 4)
    print("breakdown of (b), medians, % of (b):")
    line("framework + draft + create_rows", med("baseline_inserts"), of=baseline_ms)
    line("commit (PostgreSQL: deferred FK checks)", med("baseline_commit"), of=baseline_ms)
    print()
    return ratio_ok and rss_ok and same_rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    kind, tmpdir = prepare_environment()
    try:
        import django

        django.setup()
        with throwaway_database(kind):
            ok = run(args, kind)
    finally:
        if tmpdir:
            shutil.rmtree(tmpdir, ignore_errors=True)
    print("result: " + ("PASS" if ok else "FAIL"))
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
