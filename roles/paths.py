"""Career paths inferred from a ladder's shape, for formats that cannot state them (CSV).

Pure functions over a framework document.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from roles.document import Document
from roles.keys import KEY_MAX_LENGTH


def infer_forks(doc: Document) -> None:
    """Set ``forks_from`` on tracks that start above another track's level in the same role.

    FT's ladder: Common holds ranks 1-3 (and 6); IC and People Manager start at rank 4, so
    both fork from Common, the track holding rank 3.
    """
    levels = {level["key"]: level for level in doc["levels"]}
    ranks: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for pos in doc["positions"]:
        level = levels[pos["level"]]
        if level["track"]:
            ranks[pos["role"]][level["track"]].add(level["rank"])
    track_order = [t["key"] for t in doc["tracks"]]
    for track in doc["tracks"]:
        if track["forks_from"] is not None:
            continue
        for by_track in ranks.values():
            if track["key"] not in by_track:
                continue
            start = min(by_track[track["key"]])
            parents = [
                other
                for other in track_order
                if other != track["key"] and start - 1 in by_track.get(other, set())
            ]
            if parents:
                track["forks_from"] = parents[0]
                break


def infer_path_steps(doc: Document) -> list[dict[str, Any]]:
    """Promotion steps up each ladder (following forks) and switches between sibling tracks."""
    levels = {level["key"]: level for level in doc["levels"]}
    parent = {t["key"]: t["forks_from"] for t in doc["tracks"]}
    children: dict[str | None, set[str]] = defaultdict(set)
    for key, up in parent.items():
        if up is not None:
            children[up].add(key)

    def ancestors(track: str | None) -> set[str]:
        found: set[str] = set()
        while track is not None and parent.get(track) and parent[track] not in found:
            track = parent[track]
            found.add(track)
        return found

    by_role: dict[str, list[tuple[str | None, int, str]]] = defaultdict(list)
    for pos in doc["positions"]:
        level = levels[pos["level"]]
        by_role[pos["role"]].append((level["track"], level["rank"], pos["key"]))

    steps: list[dict[str, Any]] = []

    def add(source: str, target: str, kind: str) -> None:
        steps.append(
            {
                "key": _step_key(source, target),
                "from": source,
                "to": target,
                "kind": kind,
                "note": "",
            }
        )

    for ladder in by_role.values():
        for track, rank, key in ladder:
            reachable = {track} | ancestors(track) | (children[track] if track else set())
            above = [(r, k) for t, r, k in ladder if r > rank and t in reachable]
            if above:
                next_rank = min(r for r, _ in above)
                for r, k in above:
                    if r == next_rank:
                        add(key, k, "promotion")
            for other_track, other_rank, other_key in ladder:
                if (
                    other_rank == rank
                    and track is not None
                    and other_track is not None
                    and other_track != track
                    and parent.get(other_track) == parent.get(track)
                ):
                    add(key, other_key, "track_switch")
    return steps


def _step_key(source: str, target: str) -> str:
    """``source--target``; too long for a key (long role and level names), it is cut and
    suffixed with a digest of the whole, so it stays unique and the same on every import."""
    key = f"{source}--{target}"
    if len(key) <= KEY_MAX_LENGTH:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{key[: KEY_MAX_LENGTH - len(digest) - 1]}-{digest}"
