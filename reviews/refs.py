"""Name one side of a diff: ``r3`` (revision), ``draft``, ``v2`` or ``published`` (current)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reviews.models import Revision
from roles.document import Document
from roles.models import Framework, FrameworkVersion
from roles.serialization import document_from_version
from roles.services import draft_get

_REF = re.compile(r"^(?:(r|v)(\d{1,9})|draft|published)$")


@dataclass(frozen=True)
class DocumentRef:
    ref: str
    label: str
    document: Document


def resolve_ref(framework: Framework, ref: str, *, revision_limit: int | None) -> DocumentRef:
    """The document ``ref`` names. ``revision_limit`` (for reviewers) caps readable revision
    numbers and hides the draft. Raises LookupError for anything unknown or hidden."""
    ref = ref.strip().lower()
    match = _REF.match(ref)
    if not match:
        raise LookupError(f"Unknown reference {ref!r}: use r<N>, v<N>, draft or published.")
    if ref == "draft":
        if revision_limit is not None:
            raise LookupError("No such draft.")
        return DocumentRef(
            ref, _("the current draft"), document_from_version(draft_get(framework=framework))
        )
    if ref == "published":
        version = FrameworkVersion.objects.current().filter(framework=framework).first()
        if version is None:
            raise LookupError("Nothing is published yet.")
        return DocumentRef(
            f"v{version.number}",
            _("published v%(number)s") % {"number": version.number},
            document_from_version(version),
        )
    kind, number = match.group(1), int(match.group(2))
    if kind == "v":
        version = (
            FrameworkVersion.objects.published().filter(framework=framework, number=number).first()
        )
        if version is None:
            raise LookupError(f"No published version {number}.")
        return DocumentRef(
            ref, _("published v%(number)s") % {"number": number}, document_from_version(version)
        )
    if revision_limit is not None and number > revision_limit:
        raise LookupError(f"No revision {number}.")
    revision = Revision.objects.filter(framework=framework, number=number).first()
    if revision is None:
        raise LookupError(f"No revision {number}.")
    return DocumentRef(ref, f"{revision.label} ({revision.summary})", revision.document)
