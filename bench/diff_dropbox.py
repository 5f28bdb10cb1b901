"""Benchmark: diffing two revisions of the Dropbox framework, against serialising one.

Run from the repository root::

    .venv/bin/python bench/diff_dropbox.py [--csv PATH] [--repeat N] [--every K] [--strict]

(a) compute the diff of two documents (every K-th statement changed, default K=10: about
300 of 2,955) and render it as the diff page's HTML; (b) serialise one document alone
(canonical JSON, what hashing a revision costs). Prints medians and the ratio a/b.
No database: both are pure functions over documents.
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
TARGET_RATIO = 10.0


def main(argv: list[str] | None = None) -> int:
    from import_dropbox import find_default_csv

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--every", type=int, default=10, help="change every K-th statement")
    parser.add_argument("--strict", action="store_true", help="exit 1 if the target is missed")
    args = parser.parse_args(argv)
    csv_path = args.csv or find_default_csv()
    if csv_path is None or not csv_path.is_file():
        parser.error("cannot find dropbox.csv; pass --csv or set CAREERFRAME_FRAMEWORKS_DIR")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerframe.settings")
    import django

    django.setup()
    from django.template.loader import render_to_string

    from reviews.diffview import build_diff_view
    from roles.document import canonical_bytes
    from roles.formats.long_csv import parse_long_csv

    old = parse_long_csv(csv_path.read_bytes())
    new = copy.deepcopy(old)
    for i, exp in enumerate(new["expectations"]):
        if i % args.every == 0:
            exp["text"] = exp["text"].replace(" the ", " every ", 1) + " With evidence."
    changed = len(range(0, len(new["expectations"]), args.every))

    def diff_and_render() -> int:
        view = build_diff_view(old, new)
        html = render_to_string("reviews/partials/diff.html", {"diff": view, "view_mode": "side"})
        return len(html)

    a, b = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        size = diff_and_render()
        t1 = time.perf_counter()
        canonical_bytes(new)
        t2 = time.perf_counter()
        a.append(t1 - t0)
        b.append(t2 - t1)
    ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
    ratio = ma / mb
    print(f"careerframe diff benchmark: {csv_path}")
    print(f"statements      : {len(old['expectations']):,}, changed: {changed:,}")
    print(f"repetitions     : {args.repeat}; medians reported")
    print(f"(a) diff+render : {ma:9.1f} ms  (HTML {size:,} bytes)")
    print(f"(b) serialise   : {mb:9.1f} ms  (canonical JSON of one document)")
    ok = ratio <= TARGET_RATIO
    print(
        f"ratio a/b       : {ratio:9.2f}     target <= {TARGET_RATIO}  {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
