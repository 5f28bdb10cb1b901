"""Import and export in the browser (DESIGN.md section 7); the commands do the same in a shell.

Export: ``version_export`` gives a version (the draft too), or one role or position of it,
as a file whose name carries the framework's slug, the version and the scope;
``attachment`` answers it as a download.

Import takes two steps, so nothing touches the draft before its editor has seen what the
file would change. ``pending_import_create`` parses the upload and keeps the parsed document
in a ``PendingImport`` row: any app server reads it back, and the browser holds only a random
token, checked against the user and the framework. ``import_preview`` compares it with the
draft; ``pending_import_confirm`` replaces the draft in one transaction, and refuses when the
draft changed since the preview (every write to the draft bumps its ``lock_version``).
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from roles.diff import STATUSES, diff_documents
from roles.document import KINDS, Document, canonical_bytes
from roles.formats import ExportInfo
from roles.formats.registry import CONTENT_TYPES, PARSERS, document_counts, export, format_from_path
from roles.formats.subset import UnknownElement, document_for_position, document_for_role
from roles.models import Framework, FrameworkVersion, PendingImport
from roles.serialization import document_from_version
from roles.services import draft_get, draft_replace
from roles.textdiff import word_diff_html

# --- export ----------------------------------------------------------------------------

EXPORT_LABELS = {
    "pdf": _("PDF, printable"),
    "md": _("Markdown, for a wiki"),
    "xlsx": _("Excel workbook"),
    "csv": _("CSV, one row per statement"),
    "json": _("JSON document"),
}
# A position alone is printed; its role is the unit the data formats exchange (as the
# export_framework command does).
POSITION_FORMATS = ("pdf", "md")


@dataclass(frozen=True)
class ExportLink:
    fmt: str
    label: str
    url: str


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes


def export_links(url: str, *, position: bool = False) -> list[ExportLink]:
    """The formats offered for one scope, as links to the export view at ``url``."""
    formats = POSITION_FORMATS if position else tuple(EXPORT_LABELS)
    return [ExportLink(fmt, EXPORT_LABELS[fmt], f"{url}?format={fmt}") for fmt in formats]


def export_filename(*parts: str, fmt: str) -> str:
    """``customer-success-design-v3-design.pdf``: the parts, lowercased, with anything but
    letters, digits, ``-`` and ``_`` replaced, so the name is safe on every system."""
    stem = "-".join(re.sub(r"[^a-z0-9_-]+", "-", part.lower()).strip("-") for part in parts if part)
    return f"{stem or 'framework'}.{fmt}"


def version_export(
    *, version: FrameworkVersion, fmt: str, role: str | None = None, level: str | None = None
) -> ExportFile:
    """The version in format ``fmt``: whole, its role ``role``, or the position of ``role``
    at ``level`` (printable formats only). Raises ``UnknownElement`` for a role or position
    the version lacks and ``ValueError`` for a format the scope is not exported in.

    One query per kind of element, then the format's own time (seconds for a PDF of a
    large framework).
    """
    offered = POSITION_FORMATS if level else tuple(EXPORT_LABELS)
    if fmt not in offered:
        raise ValueError(f"no {fmt!r} export here; formats: {', '.join(offered)}")
    document = document_from_version(version)
    scope, part = "", ""
    if role and level:
        found = [p for p in document["positions"] if p["role"] == role and p["level"] == level]
        if not found:
            raise UnknownElement(f"no position of {role!r} at {level!r}")
        document = document_for_position(document, found[0]["key"])
        scope = f"Position: {found[0]['title']} ({document['roles'][0]['name']})"
        part = found[0]["key"]
    elif role:
        document = document_for_role(document, role)
        scope, part = f"Role: {document['roles'][0]['name']}", role
    published = timezone.localtime(version.published_at) if version.published_at else None
    info = ExportInfo(version.framework.name, version.label, published, scope)
    return ExportFile(
        export_filename(version.framework.slug, version.label, part, fmt=fmt),
        CONTENT_TYPES[fmt],
        export(fmt, document, info),
    )


def attachment(file: ExportFile) -> HttpResponse:
    """The file as a download (``Content-Disposition: attachment``)."""
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = content_disposition_header(True, file.filename)
    return response


# --- import: keep the upload, preview, confirm -----------------------------------------

PENDING_IMPORT_TTL = timedelta(hours=12)
PREVIEW_CHANGES = 50  # changed elements listed on the preview page


class DraftChanged(Exception):
    """The draft changed after the preview the editor confirmed."""


def pending_import_create(
    *, framework: Framework, user: AbstractBaseUser, filename: str, data: bytes
) -> PendingImport:
    """Parse ``data`` (its format named by ``filename``'s extension, one of ``PARSERS``) and
    keep the document until the editor confirms; raises ``ImportFailed`` listing every
    problem, writing nothing. Replaces the user's earlier pending import of the framework
    and removes expired ones."""
    fmt = format_from_path(filename)
    if fmt not in PARSERS:
        raise ValueError(f"{filename}: not an importable file")
    document = PARSERS[fmt](data)
    expired = Q(created_at__lt=timezone.now() - PENDING_IMPORT_TTL)
    stale = Q(framework=framework, user=user) | expired
    with transaction.atomic():
        PendingImport.objects.filter(stale).delete()
        return PendingImport.objects.create(
            token=secrets.token_urlsafe(32),
            framework=framework,
            user=user,
            filename=filename[-255:],
            file_format=fmt,
            document_json=canonical_bytes(document).decode("utf-8"),
        )


def pending_import_get(
    *, framework: Framework, user: AbstractBaseUser, token: str
) -> PendingImport | None:
    """The user's pending import of the framework with this token, unless it expired."""
    return PendingImport.objects.filter(
        framework=framework,
        user=user,
        token=token,
        created_at__gte=timezone.now() - PENDING_IMPORT_TTL,
    ).first()


def pending_import_confirm(*, pending: PendingImport, lock_version: int) -> FrameworkVersion:
    """Replace the draft with the pending document and drop the pending import, all in one
    transaction. Raises ``DraftChanged`` when the draft's ``lock_version`` is no longer the
    one the preview showed, and ``PendingImport.DoesNotExist`` when the import was confirmed
    or cancelled meanwhile; either way nothing is written."""
    with transaction.atomic():
        # Lock the pending row first: a second confirm waits here, then finds it gone.
        locked = PendingImport.objects.select_for_update().get(pk=pending.pk)
        draft = draft_get(framework=pending.framework, for_update=True)
        if draft.lock_version != lock_version:
            raise DraftChanged(
                gettext(
                    "The draft changed after this preview was made: someone saved a change "
                    "meanwhile."
                )
            )
        draft = draft_replace(framework=pending.framework, document=pending_document(locked))
        locked.delete()
    return draft


def pending_document(pending: PendingImport) -> Document:
    return json.loads(pending.document_json)


# --- the preview: counts and a compact diff against the draft ---------------------------

KIND_LABELS = {
    "tracks": (_("Track"), _("Tracks")),
    "roles": (_("Role"), _("Roles")),
    "sub_roles": (_("Specialism"), _("Specialisms")),
    "levels": (_("Level"), _("Levels")),
    "competencies": (_("Competency"), _("Competencies")),
    "positions": (_("Position"), _("Positions")),
    "expectations": (_("Statement"), _("Statements")),
    "criteria": (_("Promotion criterion"), _("Promotion criteria")),
    "path_steps": (_("Career path step"), _("Career path steps")),
}
# The headline numbers of ``document_counts``: as a table's row headings, and counted in
# a sentence ("2 roles, 4 levels"; ``n`` picks the plural form, ``count`` is printed).
COUNT_LABELS = {
    "roles": _("roles"),
    "levels": _("levels"),
    "positions": _("positions"),
    "competencies": _("competencies"),
    "statements": _("statements"),
}
_COUNTED = {
    "roles": ngettext_lazy("%(count)s role", "%(count)s roles", "n"),
    "levels": ngettext_lazy("%(count)s level", "%(count)s levels", "n"),
    "positions": ngettext_lazy("%(count)s position", "%(count)s positions", "n"),
    "competencies": ngettext_lazy("%(count)s competency", "%(count)s competencies", "n"),
    "statements": ngettext_lazy("%(count)s statement", "%(count)s statements", "n"),
}


def counts_summary(counts: dict[str, int]) -> str:
    """``document_counts`` as a sentence's list: ``2 roles, 4 levels, 8 positions…``."""
    return ", ".join(_COUNTED[what] % {"n": n, "count": f"{n:,}"} for what, n in counts.items())


_OWN_WORDS = ("title", "name", "text")


@dataclass(frozen=True)
class KindChanges:
    label: str
    counts: dict[str, int]  # by status, STATUSES order


@dataclass(frozen=True)
class ChangeRow:
    label: str  # the kind, singular
    status: str
    moved: bool
    context: str  # where it sits, e.g. "Senior Designer › Craft"
    text: str  # its own words: a name, title or statement
    text_html: SafeString | None  # a word diff, when those words changed
    other_fields: tuple[str, ...]  # other changed fields, e.g. ("rank", "summary")


@dataclass(frozen=True)
class ImportPreview:
    pending: PendingImport
    counts: dict[str, int]  # of the file
    draft_counts: dict[str, int]
    lock_version: int  # of the draft the diff was made against
    kinds: list[KindChanges]  # kinds with changes only
    totals: dict[str, int]  # by status
    changes: list[ChangeRow]  # the first PREVIEW_CHANGES
    total: int

    @property
    def count_rows(self) -> list[tuple[str, int, int]]:
        """(what, in the file, in the draft now); ``what`` is the label people read."""
        return [
            (COUNT_LABELS.get(what, what), n, self.draft_counts[what])
            for what, n in self.counts.items()
        ]

    @property
    def unchanged(self) -> bool:
        return self.total == 0

    @property
    def more(self) -> int:
        return self.total - len(self.changes)


def import_preview(*, pending: PendingImport, draft: FrameworkVersion) -> ImportPreview:
    """What confirming would do to the draft (one query per kind of element to read the
    draft, whatever the sizes). Read ``draft.lock_version`` before its rows, so that a write
    in between makes the confirmation refuse rather than go through unseen."""
    lock_version = draft.lock_version
    current = document_from_version(draft)
    incoming = pending_document(pending)
    diff = diff_documents(current, incoming)
    names = _Names(current, incoming)
    changes = []
    for entry in diff.entries[:PREVIEW_CHANGES]:
        element = entry.new if entry.new is not None else entry.old
        assert element is not None
        own = next((f for f in _OWN_WORDS if f in element), None)
        changed = {change.field: change for change in entry.fields}
        text_change = changed.pop(own, None) if own else None
        text_html = None
        if text_change is not None:
            text_html = word_diff_html(str(text_change.old or ""), str(text_change.new or ""))
        changes.append(
            ChangeRow(
                label=KIND_LABELS[entry.kind][0],
                status=entry.status,
                moved=entry.moved,
                context=names.context(entry.kind, element),
                text=_own_text(element, own, entry.key),
                text_html=text_html,
                other_fields=tuple(name.replace("_", " ") for name in changed),
            )
        )
    totals = dict.fromkeys(STATUSES, 0)
    kinds = []
    for kind in KINDS:
        counts = diff.counts[kind]
        for status, n in counts.items():
            totals[status] += n
        if any(counts.values()):
            kinds.append(KindChanges(KIND_LABELS[kind][1], counts))
    return ImportPreview(
        pending=pending,
        counts=document_counts(incoming),
        draft_counts=document_counts(current),
        lock_version=lock_version,
        kinds=kinds,
        totals=totals,
        changes=changes,
        total=len(diff.entries),
    )


def _own_text(element: dict[str, Any], own: str | None, key: str) -> str:
    """A statement's text, a position's title, an element's name; a path step's kind."""
    if own is not None:
        return str(element[own])
    return str(element.get("kind", key)).replace("_", " ")


class _Names:
    """Names of the elements an entry refers to, from both documents (the new one wins)."""

    def __init__(self, *documents: Document) -> None:
        self.names: dict[tuple[str, str], str] = {}
        for document in documents:
            for kind in ("roles", "sub_roles", "competencies", "positions"):
                for item in document[kind]:
                    self.names[kind, item["key"]] = item.get("title") or item["name"]

    def name(self, kind: str, key: Any) -> str:
        return self.names.get((kind, key), str(key or ""))

    def context(self, kind: str, item: dict[str, Any]) -> str:
        if kind == "expectations":
            where = f"{self.name('positions', item['position'])} › "
            where += self.name("competencies", item["competency"])
            if item.get("sub_role"):
                only = gettext("(%(sub_role)s only)")
                where += " " + only % {"sub_role": self.name("sub_roles", item["sub_role"])}
            return where
        if kind == "criteria":
            return gettext("%(position)s › promotion criteria") % {
                "position": self.name("positions", item["position"])
            }
        if kind == "path_steps":
            return f"{self.name('positions', item['from'])} → {self.name('positions', item['to'])}"
        if kind in ("positions", "sub_roles"):
            return self.name("roles", item["role"])
        return ""
