"""The document's canonical form: bytes, SHA-256, export JSON, defaults (no database)."""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from roles.document import (
    FORMAT,
    KINDS,
    canonical_bytes,
    document_sha256,
    empty_document,
    pretty_json,
    validate_document,
    with_defaults,
)
from tests.factories import make_document, make_tracked_document


def errors_of(document: Any) -> list[tuple[str, str]]:
    return [(e.path, e.message) for e in validate_document(document)]


def _reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reverse_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reverse_keys(v) for v in value]
    return value


def test_canonical_bytes_and_hash_do_not_depend_on_dict_key_order():
    document = make_tracked_document()
    reordered = _reverse_keys(document)
    assert list(reordered) != list(document)
    assert canonical_bytes(reordered) == canonical_bytes(document)
    assert document_sha256(reordered) == document_sha256(document)


def test_document_sha256_is_the_sha256_of_the_canonical_bytes():
    document = make_document()
    assert document_sha256(document) == hashlib.sha256(canonical_bytes(document)).hexdigest()
    assert len(document_sha256(document)) == 64


def test_canonical_bytes_are_compact_sorted_utf8():
    data = canonical_bytes({"b": "é", "a": [1, 2]})
    assert data == '{"a":[1,2],"b":"é"}'.encode()


def test_hash_changes_with_content_and_with_list_order():
    document = make_document()
    edited = copy.deepcopy(document)
    edited["expectations"][0]["text"] = "Something else."
    swapped = copy.deepcopy(document)
    swapped["expectations"][:2] = reversed(swapped["expectations"][:2])
    hashes = {document_sha256(d) for d in (document, edited, swapped)}
    assert len(hashes) == 3


def test_pretty_json_is_the_same_document_with_sorted_keys_and_a_final_newline():
    document = _reverse_keys(make_tracked_document())
    text = pretty_json(document)
    assert text.endswith("}\n")
    assert json.loads(text) == document
    assert text == json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    assert "“done well”" in text


def test_with_defaults_fills_every_optional_field():
    minimal = {
        "tracks": [{"key": "t", "name": "T"}],
        "roles": [{"key": "r", "name": "R"}],
        "sub_roles": [{"key": "r.s", "role": "r", "name": "S"}],
        "levels": [{"key": "l", "name": "L", "rank": 1}],
        "competencies": [{"key": "c", "name": "C"}],
        "positions": [{"key": "r.l", "role": "r", "level": "l", "title": "L R"}],
        "expectations": [{"key": "e", "position": "r.l", "competency": "c", "text": "Does."}],
        "criteria": [{"key": "k", "position": "r.l", "text": "Has."}],
        "path_steps": [],
    }
    filled = with_defaults(minimal)
    assert filled["format"] == FORMAT
    for kind, defaults in KINDS.items():
        for item in filled[kind]:
            assert defaults.items() <= item.items(), kind
    assert errors_of(filled) == []


def test_with_defaults_keeps_given_values_and_does_not_change_its_input():
    document = make_tracked_document()
    before = copy.deepcopy(document)
    assert with_defaults(document) == document
    assert document == before
    partial = {"roles": [{"key": "r", "name": "R"}]}
    with_defaults(partial)
    assert partial == {"roles": [{"key": "r", "name": "R"}]}


def test_with_defaults_adds_missing_kinds_and_leaves_odd_input_for_the_validator():
    assert with_defaults({}) == empty_document()
    assert with_defaults([1]) == [1]
    odd = with_defaults({"roles": "not a list", "levels": ["not an object"]})
    assert odd["roles"] == "not a list" and odd["levels"] == ["not an object"]
    assert errors_of(odd) != []
