"""Part of a framework document: one role, or one position (pure, no database).

The result is itself a valid document, so every format exports it the usual way and the
formats that can be imported give it back.
"""

from __future__ import annotations

from roles.document import FORMAT, Document


class UnknownElement(LookupError):
    """The document has no element with that key; the message lists the ones it has."""


def document_for_role(document: Document, role_key: str) -> Document:
    """The role with its sub-roles, positions, the levels and competencies it uses (and its
    own competencies), statements, promotion criteria and the path steps within the role.

    Tracks are the ones its levels are on, with the tracks they fork from. Element order
    and every field are kept. Raises ``UnknownElement`` for a key that is not a role.
    """
    roles = [r for r in document["roles"] if r["key"] == role_key]
    if not roles:
        known = ", ".join(r["key"] for r in document["roles"]) or "none"
        raise UnknownElement(f"no role {role_key!r} (roles: {known})")
    positions = [p for p in document["positions"] if p["role"] == role_key]
    return _restricted(document, roles, {p["key"] for p in positions})


def document_for_position(document: Document, position_key: str) -> Document:
    """One position of a role: like ``document_for_role`` with only that position (its
    level, statements and criteria; no path steps, which need two positions)."""
    found = [p for p in document["positions"] if p["key"] == position_key]
    if not found:
        known = ", ".join(p["key"] for p in document["positions"]) or "none"
        raise UnknownElement(f"no position {position_key!r} (positions: {known})")
    roles = [r for r in document["roles"] if r["key"] == found[0]["role"]]
    return _restricted(document, roles, {position_key})


def _restricted(document: Document, roles: list[dict], kept: set[str]) -> Document:
    role_key = roles[0]["key"]
    positions = [p for p in document["positions"] if p["key"] in kept]
    expectations = [e for e in document["expectations"] if e["position"] in kept]
    level_keys = {p["level"] for p in positions}
    levels = [lv for lv in document["levels"] if lv["key"] in level_keys]
    used = {e["competency"] for e in expectations}
    competencies = [
        c for c in document["competencies"] if c["key"] in used or c["role"] == role_key
    ]
    parents = {t["key"]: t["forks_from"] for t in document["tracks"]}
    track_keys: set[str] = set()
    for level in levels:
        track = level["track"]
        while track is not None and track not in track_keys:
            track_keys.add(track)
            track = parents.get(track)
    return {
        "format": FORMAT,
        "tracks": [t for t in document["tracks"] if t["key"] in track_keys],
        "roles": roles,
        "sub_roles": [s for s in document["sub_roles"] if s["role"] == role_key],
        "levels": levels,
        "competencies": competencies,
        "positions": positions,
        "expectations": expectations,
        "criteria": [c for c in document["criteria"] if c["position"] in kept],
        "path_steps": [s for s in document["path_steps"] if s["from"] in kept and s["to"] in kept],
    }
