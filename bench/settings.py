"""Settings for the served benchmarks (bench/load.py, bench/fault_pg_restart.py).

careerframe's own settings, configured from the environment as in production, with two
changes: the URLconf adds ``/bench/bare/`` (bench/urls.py), and ``STATIC_ROOT`` may point at a
temporary folder (``BENCH_STATIC_ROOT``) so that collectstatic never writes into the tree.

``BENCH_EXTRA_STATIC`` adds a folder of stand-ins for files that built assets reference but
the build does not copy (bench/load.py: ``missing_source_maps``), without which the production
collectstatic refuses to run. ``BENCH_STATIC_STORAGE`` replaces the static files storage:
bench/load.py uses Django's ManifestStaticFilesStorage (the same hashed names and manifest
lookups, without compressing every file, which takes minutes on two cores and serves nothing
the load runs request) unless given ``--compress-static``.
"""

import os

from careerframe.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
if os.environ.get("BENCH_EXTRA_STATIC"):
    STATICFILES_DIRS = [*STATICFILES_DIRS, os.environ["BENCH_EXTRA_STATIC"]]  # noqa: F405
if os.environ.get("BENCH_STATIC_STORAGE"):
    STORAGES = {**STORAGES, "staticfiles": {"BACKEND": os.environ["BENCH_STATIC_STORAGE"]}}  # noqa: F405
