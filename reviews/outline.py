"""Human labels for the elements of a framework document (pure, no database).

Diffs, comments and emails name elements the way people think of them: "Senior Designer ›
Communication", not ``expectations:design.senior.communication.2``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from roles.document import KINDS, Document

KIND_LABELS = {
    "tracks": _("Track"),
    "roles": _("Role"),
    "sub_roles": _("Specialism"),
    "levels": _("Level"),
    "competencies": _("Competency"),
    "positions": _("Position"),
    "expectations": _("Statement"),
    "criteria": _("Promotion criterion"),
    "path_steps": _("Career path step"),
}

KIND_PLURALS = {
    "tracks": _("Tracks"),
    "roles": _("Roles"),
    "sub_roles": _("Specialisms"),
    "levels": _("Levels"),
    "competencies": _("Competencies"),
    "positions": _("Positions"),
    "expectations": _("Statements"),
    "criteria": _("Promotion criteria"),
    "path_steps": _("Career path steps"),
}


class DocumentIndex:
    """Elements of one or more documents by kind and key; later documents win."""

    def __init__(self, *documents: Document | None):
        self.items: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in KINDS}
        for document in documents:
            if document is None:
                continue
            for kind in KINDS:
                for item in document[kind]:
                    self.items[kind][item["key"]] = item

    def _name(self, kind: str, key: str | None, field: str = "name") -> str:
        item = self.items[kind].get(key or "")
        return str(item[field]) if item else (key or "")

    def context(self, kind: str, item: dict[str, Any]) -> str:
        """Where the element sits, e.g. "Senior Designer › Communication"."""
        if kind == "expectations":
            where = (
                f"{self._name('positions', item['position'], 'title')} › "
                f"{self._name('competencies', item['competency'])}"
            )
            if item.get("sub_role"):
                where = gettext("%(place)s (%(sub_role)s only)") % {
                    "place": where,
                    "sub_role": self._name("sub_roles", item["sub_role"]),
                }
            return where
        if kind == "criteria":
            return gettext("%(position)s › promotion criteria") % {
                "position": self._name("positions", item["position"], "title")
            }
        if kind == "path_steps":
            return (
                f"{self._name('positions', item['from'], 'title')} → "
                f"{self._name('positions', item['to'], 'title')}"
            )
        if kind == "sub_roles":
            return self._name("roles", item["role"])
        if kind == "positions":
            return self._name("roles", item["role"])
        return ""

    def title(self, kind: str, item: dict[str, Any]) -> str:
        """The element's own words: a name, a title or its text."""
        for field in ("title", "name", "text"):
            if field in item:
                return str(item[field])
        return str(KIND_LABELS[kind])

    def label(self, anchor: str) -> str:
        kind, _sep, key = anchor.partition(":")
        if kind not in self.items:
            return gettext("the whole framework")
        item = self.items[kind].get(key)
        if item is None:
            return gettext("%(kind)s %(key)s (no longer in the framework)") % {
                "kind": KIND_LABELS[kind],
                "key": key,
            }
        where = self.context(kind, item)
        if not where:
            return f"{KIND_LABELS[kind]}: {self.title(kind, item)}"
        if "text" in item:  # statements and criteria: several per place, so quote them
            return f"{KIND_LABELS[kind]}: {where}: “{_snippet(item['text'])}”"
        return f"{KIND_LABELS[kind]}: {where}"


def _snippet(text: str, words: int = 10) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
