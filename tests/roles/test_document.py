"""Validation of framework documents: every invariant, located by path (no database)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from roles.document import empty_document, validate_document
from tests.factories import make_document, make_tracked_document


def errors_of(document: Any) -> list[tuple[str, str]]:
    return [(e.path, e.message) for e in validate_document(document)]


def mutated(change: Callable[[dict[str, Any]], None], base=None) -> dict[str, Any]:
    document = copy.deepcopy(base or make_document(roles=2))
    change(document)
    return document


@pytest.mark.parametrize(
    "document",
    [
        empty_document(),
        make_document(),
        make_document(roles=3, levels=5, competencies=4, statements=1, sub_roles=2),
        make_tracked_document(),
    ],
    ids=["empty", "default", "bigger", "tracked"],
)
def test_factory_documents_are_valid(document):
    assert errors_of(document) == []


def _set(kind: str, index: int, field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[kind][index][field] = value

    return change


FIRST_KEY = "role-1.l1.comp-1.1"

INVALID = {
    "duplicate expectation key": (
        _set("expectations", 1, "key", FIRST_KEY),
        [("expectations[1].key", f"duplicate key {FIRST_KEY!r}")],
    ),
    "duplicate role key": (
        lambda doc: doc["roles"].append({"key": "role-1", "name": "Again", "description": ""}),
        [("roles[2].key", "duplicate key 'role-1'")],
    ),
    "unknown competency": (
        _set("expectations", 0, "competency", "nope"),
        [("expectations[0].competency", "unknown competency 'nope'")],
    ),
    "unknown position of a statement": (
        _set("expectations", 0, "position", "nope"),
        [("expectations[0].position", "unknown position 'nope'")],
    ),
    "unknown level of a position": (
        _set("positions", 0, "level", "l9"),
        [("positions[0].level", "unknown level 'l9'")],
    ),
    "unknown role of a sub-role": (
        lambda doc: doc["sub_roles"].append(
            {"key": "role-9.sub", "role": "role-9", "name": "Sub", "description": ""}
        ),
        [("sub_roles[0].role", "unknown role 'role-9'")],
    ),
    "unknown sub-role of a statement": (
        _set("expectations", 0, "sub_role", "role-1.nope"),
        [("expectations[0].sub_role", "unknown sub-role 'role-1.nope'")],
    ),
    "unknown track of a level": (
        _set("levels", 0, "track", "ic"),
        [("levels[0].track", "unknown track 'ic'")],
    ),
    "unknown target of a path step": (
        _set("path_steps", 0, "to", "role-1.l9"),
        [("path_steps[0].to", "unknown position 'role-1.l9'")],
    ),
    "empty statement": (
        _set("expectations", 2, "text", ""),
        [("expectations[2].text", "must not be empty")],
    ),
    "blank statement": (
        _set("expectations", 2, "text", " \n\t"),
        [("expectations[2].text", "must not be empty")],
    ),
    "empty role name": (
        _set("roles", 0, "name", ""),
        [("roles[0].name", "must not be empty")],
    ),
    "empty criterion": (
        _set("criteria", 0, "text", "  "),
        [("criteria[0].text", "must not be empty")],
    ),
    "NUL character": (
        _set("roles", 0, "description", "Designs\x00things."),
        [("roles[0].description", "contains a NUL character")],
    ),
    "invalid key": (
        _set("competencies", 0, "key", "Comp 1"),
        [
            (
                "competencies[0].key",
                "'Comp 1' is not a valid key (lowercase letters, digits, '.', '-', '_')",
            )
        ],
    ),
    "unknown field": (
        _set("roles", 0, "colour", "blue"),
        [("roles[0]", "unknown field ('colour' was unexpected)")],
    ),
    "path step loop": (
        _set("path_steps", 0, "to", "role-1.l1"),
        [("path_steps[0].to", "a step cannot lead to the position it starts from")],
    ),
    "path step twice": (
        lambda doc: doc["path_steps"].append({**doc["path_steps"][0], "key": "again"}),
        [("path_steps[4].to", "this step appears twice")],
    ),
    "two positions in one cell": (
        lambda doc: doc["positions"].append({**doc["positions"][0], "key": "again"}),
        [("positions[6].level", "this role already has a position at this level")],
    ),
    "shared level rank clash": (
        _set("levels", 1, "rank", 1),
        [
            ("levels[1].rank", "rank 1 is already taken by level 'l1' in the same track and role"),
            ("positions", "role 'role-1' has levels l1, l2 at the same rank 1"),
            ("positions", "role 'role-2' has levels l1, l2 at the same rank 1"),
        ],
    ),
    "role ladder mixes a shared and an own level at one rank": (
        lambda doc: (
            doc["levels"].append({**doc["levels"][0], "key": "own", "role": "role-1"}),
            doc["positions"].append(
                {
                    "key": "role-1.own",
                    "role": "role-1",
                    "level": "own",
                    "title": "Own",
                    "summary": "",
                }
            ),
        ),
        [("positions", "role 'role-1' has levels l1, own at the same rank 1")],
    ),
    "level of another role": (
        lambda doc: (
            doc["levels"].append({**doc["levels"][0], "key": "own", "role": "role-2", "rank": 9}),
            doc["positions"].append(
                {
                    "key": "role-1.own",
                    "role": "role-1",
                    "level": "own",
                    "title": "Own",
                    "summary": "",
                }
            ),
        ),
        [("positions[6].level", "level 'own' belongs to role 'role-2'")],
    ),
    "sub-role of another role": (
        lambda doc: (
            doc["sub_roles"].append(
                {"key": "role-2.sub", "role": "role-2", "name": "Sub", "description": ""}
            ),
            doc["expectations"][0].update(sub_role="role-2.sub"),
        ),
        [("expectations[0].sub_role", "sub-role belongs to another role")],
    ),
}


@pytest.mark.parametrize("change, expected", INVALID.values(), ids=INVALID.keys())
def test_validate_document_reports_each_problem_where_it_is(change, expected):
    assert errors_of(mutated(change)) == expected


def test_competency_of_another_role_is_reported_on_every_statement_using_it():
    document = mutated(_set("competencies", 0, "role", "role-2"))
    used_by_role_1 = [
        f"expectations[{i}].competency"
        for i, e in enumerate(document["expectations"])
        if e["competency"] == "comp-1" and e["position"].startswith("role-1.")
    ]
    assert len(used_by_role_1) == 6  # 3 levels x 2 statements
    assert errors_of(document) == [
        (path, "competency applies to role 'role-2' only") for path in used_by_role_1
    ]


def test_track_fork_cycle_is_reported_on_each_track_in_it():
    def cycle(doc):
        doc["tracks"] = [
            {"key": "a", "name": "A", "forks_from": "b"},
            {"key": "b", "name": "B", "forks_from": "a"},
            {"key": "c", "name": "C", "forks_from": None},
        ]

    assert errors_of(mutated(cycle)) == [
        ("tracks[0].forks_from", "tracks fork in a cycle"),
        ("tracks[1].forks_from", "tracks fork in a cycle"),
    ]


def test_a_track_forking_from_itself_is_a_cycle():
    doc = mutated(lambda d: d.update(tracks=[{"key": "a", "name": "A", "forks_from": "a"}]))
    assert errors_of(doc) == [("tracks[0].forks_from", "tracks fork in a cycle")]


def test_keys_are_unique_per_kind_not_across_kinds():
    document = mutated(_set("competencies", 0, "key", "role-1"), base=make_document())
    for exp in document["expectations"]:
        if exp["competency"] == "comp-1":
            exp["competency"] = "role-1"
    assert errors_of(document) == []


def test_levels_in_different_tracks_may_share_a_rank():
    document = make_tracked_document()
    ranks = {(lv["track"], lv["rank"]) for lv in document["levels"] if lv["role"] is None}
    assert ("ic", 3) in ranks and ("mgr", 3) in ranks
    assert errors_of(document) == []


@pytest.mark.parametrize("document", [None, [], "text", {"format": "other/1"}])
def test_validate_document_rejects_what_is_not_a_document(document):
    assert errors_of(document) != []


def test_a_missing_required_field_is_named():
    doc = mutated(lambda d: d["positions"][0].pop("title"))
    assert errors_of(doc) == [("positions[0]", "'title' is a required property")]
