"""The people CSV: ``name,email,lead_email,framework,role,level,sub_role`` (pure, no DB).

Same error rules as the framework import: every problem with its line and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from roles.formats import FormatError, ImportFailed

COLUMNS = ("name", "email", "lead_email", "framework", "role", "level", "sub_role")
REQUIRED = ("name", "framework", "role", "level")


@dataclass(frozen=True)
class PersonRow:
    line: int
    name: str
    email: str
    lead_email: str
    framework: str
    role: str
    level: str
    sub_role: str


def parse_people_csv(data: bytes) -> list[PersonRow]:
    if not data.strip():
        raise ImportFailed([FormatError(1, "file", _("the file is empty"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        message = _("undecodable bytes (not UTF-8) at byte %(byte)s") % {"byte": exc.start}
        raise ImportFailed([FormatError(line, "file", message)]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader)]
    errors: list[FormatError] = []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        errors.append(
            FormatError(
                1, "header", _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)}
            )
        )
    if unknown:
        errors.append(
            FormatError(
                1, "header", _("unknown column(s): %(columns)s") % {"columns": ", ".join(unknown)}
            )
        )
    if errors:
        raise ImportFailed(errors)
    rows: list[PersonRow] = []
    emails: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(v.strip() for v in record):
            continue
        if len(record) != len(header):
            message = _("%(fields)s fields, the header has %(header)s") % {
                "fields": len(record),
                "header": len(header),
            }
            errors.append(FormatError(line, "row", message))
            continue
        values = {h: v.strip() for h, v in zip(header, record, strict=True)}
        for column in REQUIRED:
            if not values[column]:
                errors.append(FormatError(line, column, _("must not be empty")))
        for column in ("email", "lead_email"):
            if values[column]:
                try:
                    validate_email(values[column])
                except ValidationError:
                    message = _("%(value)s is not an email") % {"value": repr(values[column])}
                    errors.append(FormatError(line, column, message))
        email = values["email"].lower()
        if email:
            if email in emails:
                message = _("%(email)s is already on line %(line)s") % {
                    "email": email,
                    "line": emails[email],
                }
                errors.append(FormatError(line, "email", message))
            emails.setdefault(email, line)
        rows.append(PersonRow(line=line, **{**values, "email": email}))
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([FormatError(2, "file", _("no people in the file (only a header)"))])
    return rows
