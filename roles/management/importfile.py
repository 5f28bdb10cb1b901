"""Reading a file for an import command, within CAREERFRAME_MAX_IMPORT_BYTES."""

from __future__ import annotations

import os

from django.core.management.base import CommandError


def read_import_file(path: str, *, limit: int) -> bytes:
    """The file's bytes, refusing one over ``limit`` before reading it into memory
    (exit status 2, like every other import problem)."""
    try:
        with open(path, "rb") as file:
            size = os.fstat(file.fileno()).st_size
            # Read one byte past the limit: a file still growing cannot slip through.
            data = b"" if size > limit else file.read(limit + 1)
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}", returncode=2) from None
    if size > limit or len(data) > limit:
        actual = f"{size} bytes" if size > limit else f"more than {limit} bytes"
        raise CommandError(
            f"{path}: the file is {actual}, over the import limit of {limit} bytes "
            "(CAREERFRAME_MAX_IMPORT_BYTES); nothing was imported.",
            returncode=2,
        )
    return data
