"""Locust users for bench/load.py and bench/fault_pg_restart.py (not run on its own).

The scripts start locust headless with one of the user classes below and these variables:

``BENCH_TARGETS``       JSON file of the URLs to read (written by bench/load.py from the
                        loaded frameworks: slugs, roles, positions, comparisons, search words)
``BENCH_MAX_REQUESTS``  stop the run after this many requests (0: no cap; ``--run-time``
                        bounds it in time)
``BENCH_REQUEST_LOG``   optional: append one line per request (start, name, status, ms, error)

Users never wait between requests (closed loop): the throughput is what the server gives.
Each request is named after its page, so locust's statistics come out per page.
"""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, events, task

TARGETS: dict = {}
if os.environ.get("BENCH_TARGETS"):
    TARGETS = json.loads(Path(os.environ["BENCH_TARGETS"]).read_text(encoding="utf-8"))
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS") or 0)
REQUEST_LOG = os.environ.get("BENCH_REQUEST_LOG") or ""

_state = {"count": 0, "stopping": False, "environment": None, "log": None}


@events.init.add_listener
def _on_init(environment, **_kwargs) -> None:
    _state["environment"] = environment
    if REQUEST_LOG:
        _state["log"] = open(REQUEST_LOG, "a", buffering=1, encoding="utf-8")  # noqa: SIM115


@events.quitting.add_listener
def _on_quitting(environment, **_kwargs) -> None:
    if _state["log"] is not None:
        _state["log"].close()
        _state["log"] = None


@events.request.add_listener
def _on_request(name, response_time, exception, response=None, **_kwargs) -> None:
    _state["count"] += 1
    log = _state["log"]
    if log is not None:
        status = getattr(response, "status_code", 0) or 0
        start = time.time() - (response_time or 0) / 1000
        error = str(exception).replace("\t", " ").replace("\n", " ")[:200] if exception else ""
        log.write(f"{start:.4f}\t{name}\t{status}\t{response_time or 0:.1f}\t{error}\n")
    if MAX_REQUESTS and _state["count"] >= MAX_REQUESTS and not _state["stopping"]:
        _state["stopping"] = True
        runner = _state["environment"].runner
        gevent.spawn(runner.quit)  # not from this greenlet: quit() stops the users


def _framework() -> dict:
    return random.choice(TARGETS["frameworks"])


class _Reader(FastHttpUser):
    abstract = True
    wait_time = constant(0)
    connection_timeout = 10.0
    network_timeout = 30.0  # a request slower than this counts as an error (a hang)

    def _get(self, url: str, name: str) -> None:
        self.client.get(url, name=name)

    def overview(self) -> None:
        fw = _framework()
        self._get(f"/frameworks/{fw['slug']}/", "overview")

    def role(self) -> None:
        fw = _framework()
        self._get(f"/frameworks/{fw['slug']}/roles/{random.choice(fw['roles'])}/", "role")

    def position(self) -> None:
        fw = _framework()
        role, level = random.choice(fw["positions"])
        self._get(f"/frameworks/{fw['slug']}/roles/{role}/levels/{level}/", "position")

    def compare(self) -> None:
        fw = _framework()
        a, b = random.choice(fw["comparisons"])
        self._get(f"/frameworks/{fw['slug']}/compare/?from={a}&to={b}", "compare")

    def search(self) -> None:
        fw = _framework()
        self._get(f"/frameworks/{fw['slug']}/search/?q={random.choice(fw['words'])}", "search")

    def path_map(self) -> None:
        fw = _framework()
        self._get(f"/frameworks/{fw['slug']}/paths/", "path map")

    def api_document(self) -> None:
        fw = _framework()
        self._get(f"/api/v1/frameworks/{fw['slug']}/versions/latest/document/", "API document")


class MixUser(_Reader):
    """The realistic mix: mostly positions and roles, some comparisons and searches."""

    tasks = {
        _Reader.overview: 3,
        _Reader.role: 3,
        _Reader.position: 6,
        _Reader.compare: 2,
        _Reader.search: 2,
        _Reader.path_map: 1,
        _Reader.api_document: 1,
    }


class PositionUser(_Reader):
    """Position pages only (random positions of the four frameworks)."""

    @task
    def one_position(self) -> None:
        self.position()


class BareUser(_Reader):
    """The baseline: a view that returns a fixed HttpResponse."""

    @task
    def bare(self) -> None:
        self._get("/bench/bare/", "bare")
