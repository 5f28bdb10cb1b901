"""Benchmark: XLSX and PDF export of the Dropbox framework.

Run from the repository root::

    .venv/bin/python bench/xlsx_pdf_dropbox.py [--csv PATH] [--repeat N] [--pdf-repeat N] [--strict]

XLSX: (a) ``write_xlsx`` of the document (every sheet built from the document, text cells
with wrap/top-aligned styles, the Document sheet), against (b) bare openpyxl writing the
same cell values in write-only mode (plain appends, no styles, nothing computed); medians
and the ratio a/b. PDF: ``write_pdf`` of the whole framework (median wall time) and its
page count. No database: both are pure functions over the document.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
TARGET_XLSX_RATIO = 1.5
TARGET_PDF_SECONDS = 20.0


def main(argv: list[str] | None = None) -> int:
    from import_dropbox import find_default_csv

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=7, help="XLSX repetitions (default 7)")
    parser.add_argument("--pdf-repeat", type=int, default=1, help="PDF repetitions (default 1)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    csv_path = args.csv or find_default_csv()
    if csv_path is None or not csv_path.is_file():
        parser.error("cannot find dropbox.csv; pass --csv or set CAREERFRAME_FRAMEWORKS_DIR")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "careerframe.settings")
    import django

    django.setup()
    from openpyxl import Workbook
    from pypdf import PdfReader

    from roles.formats import ExportInfo
    from roles.formats.long_csv import parse_long_csv
    from roles.formats.pdf import write_pdf
    from roles.formats.xlsx import parse_xlsx, write_xlsx
    from roles.formats.xlsx_sheets import cell_text, workbook_sheets

    # Emoji in Dropbox's category names have no glyph in the system fonts: one warning each.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    document = parse_long_csv(csv_path.read_bytes())
    sheets = [
        (s.name, [[cell_text(v) or None for v in row] for row in [s.header, *s.rows] if row])
        for s in workbook_sheets(document)
    ]
    cells = sum(1 for _, rows in sheets for row in rows for v in row if v)

    def bare_openpyxl() -> bytes:
        workbook = Workbook(write_only=True)
        for name, rows in sheets:
            ws = workbook.create_sheet(name)
            for row in rows:
                ws.append(row)
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    data = write_xlsx(document)  # warm-up, and the round-trip check
    start = time.perf_counter()
    assert parse_xlsx(data) == document, "the XLSX export does not import back unchanged"
    import_ms = (time.perf_counter() - start) * 1000
    bare_openpyxl()
    a, b = [], []
    for i in range(args.repeat):
        order = (write_xlsx, bare_openpyxl) if i % 2 == 0 else (bare_openpyxl, write_xlsx)
        for fn in order:
            start = time.perf_counter()
            fn(document) if fn is write_xlsx else fn()
            (a if fn is write_xlsx else b).append(time.perf_counter() - start)
    ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
    ratio = ma / mb

    info = ExportInfo("Dropbox Engineering Career Framework", "v1")
    pdf_times, pdf = [], b""
    for _ in range(args.pdf_repeat):
        start = time.perf_counter()
        pdf = write_pdf(document, info)
        pdf_times.append(time.perf_counter() - start)
    pdf_seconds = statistics.median(pdf_times)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)

    xlsx_ok, pdf_ok = ratio <= TARGET_XLSX_RATIO, pdf_seconds < TARGET_PDF_SECONDS
    print(f"careerframe XLSX/PDF export benchmark: {csv_path}")
    print(f"document        : {len(document['expectations']):,} statements, {cells:,} cells")
    print(f"repetitions     : XLSX {args.repeat} (alternating), PDF {args.pdf_repeat}; medians")
    print(f"(a) write_xlsx  : {ma:9.1f} ms  (min {min(a) * 1000:.1f}; {len(data):,} bytes)")
    print(f"(b) bare openpyxl: {mb:8.1f} ms  (min {min(b) * 1000:.1f})")
    print(
        f"ratio a/b       : {ratio:9.2f}     target <= {TARGET_XLSX_RATIO}  "
        f"{'PASS' if xlsx_ok else 'FAIL'}"
    )
    print(f"import back     : {import_ms:9.1f} ms  (parse_xlsx, once: the same document)")
    print(
        f"PDF             : {pdf_seconds:9.1f} s   target < {TARGET_PDF_SECONDS:.0f} s  "
        f"{'PASS' if pdf_ok else 'FAIL'}  ({pages} pages, {len(pdf):,} bytes)"
    )
    ok = xlsx_ok and pdf_ok
    print("result: " + ("PASS" if ok else "FAIL"))
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
