"""Framework document <-> version rows. The two functions are exact inverses.

``create_rows`` bulk-inserts one kind at a time (nine INSERT batches plus one UPDATE for
track forks); ``document_from_version`` reads one query per kind.
"""

from __future__ import annotations

from typing import Any

from roles.document import FORMAT, Document
from roles.models import (
    Competency,
    Expectation,
    FrameworkVersion,
    Level,
    PathStep,
    Position,
    PromotionCriterion,
    Role,
    SubRole,
    Track,
)

BATCH_SIZE = 1000


def create_rows(version: FrameworkVersion, document: Document) -> None:
    """Insert ``document``'s content as rows of ``version`` (which must be empty)."""
    vid = version.pk

    def insert(model, items: list[dict[str, Any]], build) -> dict[str, int]:
        objs = [build(i, item) for i, item in enumerate(items)]
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return {obj.key: obj.pk for obj in objs}

    def opt(ids: dict[str, int], key: str | None) -> int | None:
        return None if key is None else ids[key]

    tracks = insert(
        Track,
        document["tracks"],
        lambda i, t: Track(version_id=vid, key=t["key"], order=i, name=t["name"]),
    )
    forked = [
        Track(pk=tracks[t["key"]], forks_from_id=tracks[t["forks_from"]])
        for t in document["tracks"]
        if t["forks_from"]
    ]
    if forked:
        Track.objects.bulk_update(forked, ["forks_from"])
    roles = insert(
        Role,
        document["roles"],
        lambda i, r: Role(
            version_id=vid, key=r["key"], order=i, name=r["name"], description=r["description"]
        ),
    )
    sub_roles = insert(
        SubRole,
        document["sub_roles"],
        lambda i, s: SubRole(
            version_id=vid,
            key=s["key"],
            order=i,
            role_id=roles[s["role"]],
            name=s["name"],
            description=s["description"],
        ),
    )
    levels = insert(
        Level,
        document["levels"],
        lambda i, lv: Level(
            version_id=vid,
            key=lv["key"],
            order=i,
            track_id=opt(tracks, lv["track"]),
            role_id=opt(roles, lv["role"]),
            code=lv["code"],
            name=lv["name"],
            rank=lv["rank"],
            summary=lv["summary"],
        ),
    )
    competencies = insert(
        Competency,
        document["competencies"],
        lambda i, c: Competency(
            version_id=vid,
            key=c["key"],
            order=i,
            name=c["name"],
            category=c["category"],
            description=c["description"],
            role_id=opt(roles, c["role"]),
        ),
    )
    positions = insert(
        Position,
        document["positions"],
        lambda i, p: Position(
            version_id=vid,
            key=p["key"],
            order=i,
            role_id=roles[p["role"]],
            level_id=levels[p["level"]],
            title=p["title"],
            summary=p["summary"],
        ),
    )
    Expectation.objects.bulk_create(
        [
            Expectation(
                version_id=vid,
                key=e["key"],
                order=i,
                position_id=positions[e["position"]],
                sub_role_id=opt(sub_roles, e["sub_role"]),
                competency_id=competencies[e["competency"]],
                text=e["text"],
            )
            for i, e in enumerate(document["expectations"])
        ],
        batch_size=BATCH_SIZE,
    )
    PromotionCriterion.objects.bulk_create(
        [
            PromotionCriterion(
                version_id=vid,
                key=c["key"],
                order=i,
                position_id=positions[c["position"]],
                text=c["text"],
                required=c["required"],
                evidence_hint=c["evidence_hint"],
            )
            for i, c in enumerate(document["criteria"])
        ],
        batch_size=BATCH_SIZE,
    )
    PathStep.objects.bulk_create(
        [
            PathStep(
                version_id=vid,
                key=s["key"],
                order=i,
                from_position_id=positions[s["from"]],
                to_position_id=positions[s["to"]],
                kind=s["kind"],
                note=s["note"],
            )
            for i, s in enumerate(document["path_steps"])
        ],
        batch_size=BATCH_SIZE,
    )


def delete_rows(version: FrameworkVersion) -> None:
    """Remove every content row of ``version``, children first."""
    for model in (
        PathStep,
        PromotionCriterion,
        Expectation,
        Position,
        Competency,
        Level,
        SubRole,
        Track,
        Role,
    ):
        model.objects.filter(version=version).delete()


def document_from_version(version: FrameworkVersion) -> Document:
    """Read ``version``'s rows back into its document (one query per kind)."""
    vid = version.pk

    def rows(model, *fields: str) -> list[dict[str, Any]]:
        return list(model.objects.filter(version_id=vid).order_by("order", "pk").values(*fields))

    def keymap(items: list[dict[str, Any]]) -> dict[int | None, str | None]:
        return {None: None, **{item["pk"]: item["key"] for item in items}}

    track_rows = rows(Track, "pk", "key", "name", "forks_from_id")
    role_rows = rows(Role, "pk", "key", "name", "description")
    track_keys, role_keys = keymap(track_rows), keymap(role_rows)
    sub_rows = rows(SubRole, "pk", "key", "role_id", "name", "description")
    level_rows = rows(Level, "pk", "key", "track_id", "role_id", "code", "name", "rank", "summary")
    comp_rows = rows(Competency, "pk", "key", "name", "category", "description", "role_id")
    pos_rows = rows(Position, "pk", "key", "role_id", "level_id", "title", "summary")
    sub_keys, level_keys = keymap(sub_rows), keymap(level_rows)
    comp_keys, pos_keys = keymap(comp_rows), keymap(pos_rows)
    return {
        "format": FORMAT,
        "tracks": [
            {"key": t["key"], "name": t["name"], "forks_from": track_keys[t["forks_from_id"]]}
            for t in track_rows
        ],
        "roles": [
            {"key": r["key"], "name": r["name"], "description": r["description"]} for r in role_rows
        ],
        "sub_roles": [
            {
                "key": s["key"],
                "role": role_keys[s["role_id"]],
                "name": s["name"],
                "description": s["description"],
            }
            for s in sub_rows
        ],
        "levels": [
            {
                "key": lv["key"],
                "track": track_keys[lv["track_id"]],
                "role": role_keys[lv["role_id"]],
                "code": lv["code"],
                "name": lv["name"],
                "rank": lv["rank"],
                "summary": lv["summary"],
            }
            for lv in level_rows
        ],
        "competencies": [
            {
                "key": c["key"],
                "name": c["name"],
                "category": c["category"],
                "description": c["description"],
                "role": role_keys[c["role_id"]],
            }
            for c in comp_rows
        ],
        "positions": [
            {
                "key": p["key"],
                "role": role_keys[p["role_id"]],
                "level": level_keys[p["level_id"]],
                "title": p["title"],
                "summary": p["summary"],
            }
            for p in pos_rows
        ],
        "expectations": [
            {
                "key": e["key"],
                "position": pos_keys[e["position_id"]],
                "sub_role": sub_keys[e["sub_role_id"]],
                "competency": comp_keys[e["competency_id"]],
                "text": e["text"],
            }
            for e in rows(Expectation, "key", "position_id", "sub_role_id", "competency_id", "text")
        ],
        "criteria": [
            {
                "key": c["key"],
                "position": pos_keys[c["position_id"]],
                "text": c["text"],
                "required": c["required"],
                "evidence_hint": c["evidence_hint"],
            }
            for c in rows(
                PromotionCriterion, "key", "position_id", "text", "required", "evidence_hint"
            )
        ],
        "path_steps": [
            {
                "key": s["key"],
                "from": pos_keys[s["from_position_id"]],
                "to": pos_keys[s["to_position_id"]],
                "kind": s["kind"],
                "note": s["note"],
            }
            for s in rows(PathStep, "key", "from_position_id", "to_position_id", "kind", "note")
        ],
    }
