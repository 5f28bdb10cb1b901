"""Fault: restart PostgreSQL in the middle of a load run; the app recovers on its own.

Run from the repository root (needs PostgreSQL's server programs, initdb and pg_ctl)::

    .venv/bin/python bench/fault_pg_restart.py [--users N] [--duration S] [--restart-at S]
        [--workers N] [--pg-bindir DIR] [--strict]

DATABASE_URL is not used: the script starts a PostgreSQL server of its own (initdb in a
temporary folder, a free port on 127.0.0.1; as the ``postgres`` user when run as root), so
that it may restart it, and removes it at the end. On it, the same site as bench/load.py
(four frameworks, 1,000 people, production settings, gunicorn). During a locust run of the
page mix it restarts the server with ``pg_ctl restart -m fast`` (sessions are ended, queries
in flight fail) and then checks that:

* gunicorn was not restarted, and every page answers 200 afterwards (connection health
  checks replace the dead connections: ``conn_health_checks=True`` in the settings);
* requests failed only around the restart, as clean HTTP 500/503 responses, not as hangs
  or dropped connections;
* nothing was lost: row counts and every version's document hash are unchanged.

It reports the number of failed requests and the recovery time.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from load import (  # noqa: E402
    add_compress_static,
    add_server_options,
    check_pages,
    content_counts,
    exit_on_sigterm,
    find_frameworks_dir,
    finish,
    framework_csvs,
    free_port,
    machine_description,
    print_runs,
    run_locust,
    served_site,
    tail,
    version_hashes,
)

CLEAN_STATUSES = {500, 503}
GRACE_SECONDS = 1.0  # requests started this long after PostgreSQL is back must succeed


# --- a PostgreSQL server of our own ------------------------------------------------------------


def find_pg_bindir(given: Path | None) -> Path | None:
    candidates: list[Path] = []
    if given:
        candidates.append(given)
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        out = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout
        candidates.append(Path(out.strip()))
    versions = glob.glob("/usr/lib/postgresql/*/bin")
    versions.sort(key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    candidates.extend(Path(p) for p in reversed(versions))
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


@dataclass
class PrivatePostgres:
    bindir: Path
    folder: Path
    port: int
    as_user: list[str] = field(default_factory=list)  # runuser prefix when we are root

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "server.log"

    @property
    def url(self) -> str:
        return f"postgres://careerframe@127.0.0.1:{self.port}/careerframe"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_user, *args], capture_output=True, text=True, check=check, cwd=self.folder
        )

    def pg_ctl(self, action: str, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.folder}"
        return self.run(
            str(self.bindir / "pg_ctl"),
            "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
            *extra, action, "-o", options,
            check=check,
        )  # fmt: skip


@contextlib.contextmanager
def private_postgres(bindir: Path) -> Iterator[PrivatePostgres]:
    folder = Path(tempfile.mkdtemp(prefix="careerframe-fault-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(
                "running as root needs a 'postgres' user to run the server"
            ) from None
        os.chown(folder, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    pg = PrivatePostgres(bindir, folder, free_port(), as_user)
    started = False
    try:
        pg.run(
            str(bindir / "initdb"), "-D", str(pg.data), "-U", "careerframe",
            "--auth=trust", "-E", "UTF8", "--locale=C",
        )  # fmt: skip
        pg.pg_ctl("start")
        started = True
        yield pg
    except subprocess.CalledProcessError as exc:
        raise RuntimeError(
            f"{' '.join(exc.cmd)} failed:\n{exc.stdout}{exc.stderr}\n{tail(pg.log)}"
        ) from None
    finally:
        if started:
            pg.pg_ctl("stop", "-m", "fast", check=False)
        shutil.rmtree(folder, ignore_errors=True)


# --- the fault --------------------------------------------------------------------------------


@dataclass
class Restart:
    begin: float = 0.0
    end: float = 0.0
    error: str = ""


def restart_later(pg: PrivatePostgres, delay: float, restart: Restart) -> threading.Thread:
    def go() -> None:
        time.sleep(delay)
        restart.begin = time.time()
        result = pg.pg_ctl("restart", "-m", "fast", check=False)
        restart.end = time.time()
        if result.returncode != 0:
            restart.error = (result.stdout + result.stderr).strip()

    thread = threading.Thread(target=go, name="pg-restart", daemon=True)
    thread.start()
    return thread


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    with contextlib.suppress(OSError):
        return sorted(int(pid) for pid in children.read_text().split())
    return []


@dataclass
class Request:
    start: float
    name: str
    status: int
    ms: float
    error: str

    @property
    def end(self) -> float:
        return self.start + self.ms / 1000

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400 and not self.error


def read_request_log(path: Path) -> list[Request]:
    requests = []
    with contextlib.suppress(FileNotFoundError), path.open(encoding="utf-8") as f:
        for line in f:
            start, name, status, ms, error = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
            requests.append(Request(float(start), name, int(status), float(ms), error))
    return sorted(requests, key=lambda r: r.start)


@dataclass
class Analysis:
    total: int
    failed: list[Request]
    unclean: list[Request]
    late: list[Request]
    statuses: Counter
    after_restart_ok: int
    window: tuple[float, float] | None  # first failure start, last failure end (s from restart)
    recovery: float  # s from PostgreSQL back up to the end of the last failure (0: none after)
    slowest_ms: float


def analyse(requests: list[Request], restart: Restart) -> Analysis:
    failed = [r for r in requests if not r.ok]
    unclean = [r for r in failed if r.status not in CLEAN_STATUSES]
    late = [r for r in failed if r.start > restart.end + GRACE_SECONDS]
    window = None
    if failed:
        window = (
            min(r.start for r in failed) - restart.begin,
            max(r.end for r in failed) - restart.begin,
        )
    last_failure_end = max((r.end for r in failed), default=0.0)
    return Analysis(
        total=len(requests),
        failed=failed,
        unclean=unclean,
        late=late,
        statuses=Counter(r.status for r in failed),
        after_restart_ok=sum(1 for r in requests if r.ok and r.start > restart.end),
        window=window,
        recovery=max(0.0, last_failure_end - restart.end),
        slowest_ms=max((r.ms for r in requests), default=0.0),
    )


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_server_options(parser, users=10)
    parser.add_argument("--duration", type=float, default=30, help="seconds of load (30)")
    parser.add_argument(
        "--restart-at", type=float, default=10, help="restart PostgreSQL after S seconds (10)"
    )
    parser.add_argument(
        "--hang-seconds",
        type=float,
        default=10,
        help="a request slower than this counts as a hang (default 10)",
    )
    parser.add_argument("--pg-bindir", type=Path, help="folder of initdb and pg_ctl")
    parser.add_argument("--frameworks", type=Path, help="folder of the four long CSVs")
    add_compress_static(parser)
    parser.add_argument("--strict", action="store_true", help="exit 1 if a check fails")
    args = parser.parse_args(argv)
    if args.users < 1 or args.workers < 1:
        parser.error("--users and --workers must be 1 or more")
    if not 0 < args.restart_at < args.duration - 3:
        parser.error("--restart-at must be positive and at least 3 s before the end")
    args.csvs = framework_csvs(parser, args.frameworks or find_frameworks_dir())
    args.bindir = find_pg_bindir(args.pg_bindir)
    if args.bindir is None:
        parser.error("cannot find PostgreSQL's initdb and pg_ctl; pass --pg-bindir")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    exit_on_sigterm()
    machine = machine_description()
    restart = Restart()
    with private_postgres(args.bindir) as pg:
        os.environ["DATABASE_URL"] = pg.url
        print(f"careerframe fault benchmark: PostgreSQL restart under load ({args.bindir})")
        with served_site(
            args.csvs,
            people=args.people,
            workers=args.workers,
            label="fault",
            compress_static=args.compress_static,
        ) as site:
            from django.db import connection

            before_counts, before_hashes = content_counts(), version_hashes()
            connection.close()  # the restart ends it; reconnect afterwards
            master = site.server.process.pid
            workers_before = worker_pids(master)
            print(f"machine         : {machine}")
            print(f"server          : gunicorn ({site.workers} workers) on {site.server.base_url}")
            print(
                "content         : "
                + ", ".join(f"{n:,} {what}" for what, n in before_counts.items())
            )
            print(
                f"load            : {args.users} users, no wait, {args.duration:g} s of the page "
                f"mix; pg_ctl restart -m fast at {args.restart_at:g} s"
            )
            common = {"users": args.users, "max_requests": 10_000_000}
            run_locust(site, "MixUser", "warmup", duration=5, **common)
            request_log = site.workdir / "requests.tsv"
            thread = restart_later(pg, args.restart_at, restart)
            result = run_locust(
                site,
                "MixUser",
                "fault",
                duration=args.duration,
                request_log=request_log,
                **common,
            )
            thread.join(timeout=120)
            gunicorn_alive = site.server.process.poll() is None
            workers_after = worker_pids(master)
            problems_after = check_pages(site.server.base_url, site.targets)
            after_counts, after_hashes = content_counts(), version_hashes()
            requests = read_request_log(request_log)
            server_log = tail(site.server.log, 5)
    analysis = analyse(requests, restart)
    data_ok = before_counts == after_counts and before_hashes == after_hashes
    checks = {
        "PostgreSQL restarted": not restart.error and restart.end > 0,
        "gunicorn not restarted (same master)": gunicorn_alive,
        "every page answers 200 afterwards": not problems_after,
        "requests succeed after the restart": analysis.after_restart_ok > 0,
        f"no failure later than {GRACE_SECONDS:g} s after the restart": not analysis.late,
        "failures are HTTP 500/503 (no dropped connections)": not analysis.unclean,
        f"no request slower than {args.hang_seconds:g} s (no hang)": analysis.slowest_ms
        <= args.hang_seconds * 1000,
        "nothing lost (row counts, document hashes)": data_ok,
    }

    print()
    print_runs([result])
    print()
    print(f"restart         : pg_ctl restart -m fast took {restart.end - restart.begin:.2f} s")
    if restart.error:
        print(f"  {restart.error}")
    statuses = ", ".join(
        f"{n} x {status or 'no response'}" for status, n in analysis.statuses.most_common()
    )
    print(
        f"failed requests : {len(analysis.failed)} of {analysis.total:,}"
        + (f" ({statuses})" if statuses else "")
    )
    if analysis.window:
        lo, hi = analysis.window
        print(f"failure window  : {lo:+.2f} s to {hi:+.2f} s from the restart command")
    print(
        f"recovery        : {analysis.recovery:.2f} s after PostgreSQL was back "
        f"(last failure's end); {analysis.after_restart_ok:,} requests succeeded after it"
    )
    print(f"slowest request : {analysis.slowest_ms:.0f} ms")
    same_workers = workers_before == workers_after
    print(
        f"gunicorn        : master {master}, workers "
        + ("unchanged" if same_workers else f"{workers_before} -> {workers_after}")
    )
    print(f"data            : {'unchanged' if data_ok else 'CHANGED'} {after_counts}")
    for url in problems_after:
        print(f"  after: {url}")
    for r in (analysis.late + analysis.unclean)[:10]:
        print(f"  {r.name}: {r.status} at {r.start - restart.begin:+.2f} s: {r.error}")
    if analysis.unclean or analysis.late:
        print(f"  server log: {server_log}")
    print()
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    ok = all(checks.values())
    return finish(
        "fault-pg-restart",
        {
            "benchmark": "fault_pg_restart",
            "machine": machine,
            "options": {
                "users": args.users,
                "duration": args.duration,
                "restart_at": args.restart_at,
                "workers": args.workers,
                "people": args.people,
            },
            "restart_seconds": restart.end - restart.begin,
            "requests": analysis.total,
            "failed": len(analysis.failed),
            "failed_statuses": {str(k): v for k, v in analysis.statuses.items()},
            "failure_window": analysis.window,
            "recovery_seconds": analysis.recovery,
            "slowest_ms": analysis.slowest_ms,
            "workers_unchanged": same_workers,
            "content_before": before_counts,
            "content_after": after_counts,
            "checks": checks,
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
            "interrupted: the server and its PostgreSQL are stopped, their files removed",
            file=sys.stderr,
        )
        sys.exit(130)
