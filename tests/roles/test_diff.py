import copy
import json
import time

import pytest

from roles.diff import ElementDiff, anchor_for, diff_documents, element_status
from roles.document import KINDS, validate_document
from tests.factories import make_document
from tests.frameworks import framework_document

CELL = "role-1.l2.comp-1"  # a (position, competency) cell of make_document()


@pytest.fixture
def doc():
    """1 role x 3 levels x 2 competencies, 4 statements per cell."""
    return make_document(statements=4)


def find(document, kind, key):
    return next(item for item in document[kind] if item["key"] == key)


def index_of(document, kind, key):
    return next(i for i, item in enumerate(document[kind]) if item["key"] == key)


def only_entry(diff) -> ElementDiff:
    assert len(diff.entries) == 1, diff.entries
    return diff.entries[0]


def nonzero(counts):
    return {
        kind: {status: n for status, n in by_status.items() if n}
        for kind, by_status in counts.items()
        if any(by_status.values())
    }


def test_identical_documents_give_an_empty_diff(doc):
    diff = diff_documents(doc, copy.deepcopy(doc))
    assert diff.is_empty
    assert diff.entries == ()
    assert nonzero(diff.counts) == {}
    assert diff.to_json()["is_empty"] is True


def test_added_expectation(doc):
    new = copy.deepcopy(doc)
    added = {**find(doc, "expectations", f"{CELL}.4"), "key": f"{CELL}.5", "text": "New."}
    new["expectations"].insert(index_of(doc, "expectations", f"{CELL}.4") + 1, added)
    entry = only_entry(diff_documents(doc, new))
    assert (entry.kind, entry.key, entry.status) == ("expectations", f"{CELL}.5", "added")
    assert entry.old is None and entry.new == added
    assert entry.anchor == f"expectations:{CELL}.5"


def test_removed_expectation(doc):
    new = copy.deepcopy(doc)
    del new["expectations"][index_of(doc, "expectations", f"{CELL}.2")]
    entry = only_entry(diff_documents(doc, new))
    assert (entry.key, entry.status, entry.moved) == (f"{CELL}.2", "removed", False)
    assert entry.old == find(doc, "expectations", f"{CELL}.2") and entry.new is None


def test_changed_expectation_text_has_word_ops_with_the_inserted_words(doc):
    new = copy.deepcopy(doc)
    find(new, "expectations", f"{CELL}.3")["text"] = (
        "Competency 1 statement 3 at Level 2 and beyond."
    )
    entry = only_entry(diff_documents(doc, new))
    assert (entry.status, entry.moved) == ("changed", False)
    [change] = entry.fields
    assert change.field == "text"
    assert change.old == "Competency 1 statement 3 at Level 2."
    assert change.new == "Competency 1 statement 3 at Level 2 and beyond."
    inserted = "".join(text for op, text in change.words if op == "insert")
    assert "and beyond." in inserted
    assert ("equal", "Competency 1 statement 3 at Level ") in change.words


def test_expectation_moved_within_its_cell(doc):
    new = copy.deepcopy(doc)
    first = index_of(doc, "expectations", f"{CELL}.1")
    new["expectations"].insert(first + 3, new["expectations"].pop(first))  # 1 goes after 4
    entry = only_entry(diff_documents(doc, new))
    assert (entry.key, entry.status, entry.moved, entry.fields) == (
        f"{CELL}.1",
        "moved",
        True,
        (),
    )


def test_single_insertion_at_the_front_of_a_cell_moves_nothing(doc):
    new = copy.deepcopy(doc)
    first = index_of(doc, "expectations", f"{CELL}.1")
    added = {**find(doc, "expectations", f"{CELL}.1"), "key": f"{CELL}.0", "text": "First."}
    new["expectations"].insert(first, added)
    diff = diff_documents(doc, new)
    assert [(e.key, e.status) for e in diff.entries] == [(f"{CELL}.0", "added")]
    assert not any(e.moved for e in diff.entries)


def test_removing_the_first_of_a_cell_moves_nothing(doc):
    new = copy.deepcopy(doc)
    del new["expectations"][index_of(doc, "expectations", f"{CELL}.1")]
    diff = diff_documents(doc, new)
    assert [(e.key, e.status) for e in diff.entries] == [(f"{CELL}.1", "removed")]


def test_changed_and_moved_element_reports_both(doc):
    new = copy.deepcopy(doc)
    last = index_of(doc, "expectations", f"{CELL}.4")
    moved = new["expectations"].pop(last)
    moved["text"] = "Reworded and first."
    new["expectations"].insert(last - 3, moved)
    entry = only_entry(diff_documents(doc, new))
    assert (entry.key, entry.status, entry.moved) == (f"{CELL}.4", "changed", True)
    assert [c.field for c in entry.fields] == ["text"]


def test_expectation_moved_to_another_cell_is_changed_not_moved(doc):
    new = copy.deepcopy(doc)
    find(new, "expectations", f"{CELL}.2")["competency"] = "comp-2"
    entry = only_entry(diff_documents(doc, new))
    assert (entry.status, entry.moved) == ("changed", False)
    [change] = entry.fields
    assert (change.field, change.old, change.new, change.words) == (
        "competency",
        "comp-1",
        "comp-2",
        None,
    )


def test_reordering_whole_cells_is_not_a_move(doc):
    new = copy.deepcopy(doc)
    cell = [e for e in new["expectations"] if e["key"].startswith(f"{CELL}.")]
    rest = [e for e in new["expectations"] if not e["key"].startswith(f"{CELL}.")]
    new["expectations"] = cell + rest
    assert diff_documents(doc, new).is_empty


def test_moving_one_level_marks_only_that_level():
    old = make_document(levels=5)
    new = copy.deepcopy(old)
    new["levels"].insert(0, new["levels"].pop(3))  # l4 first
    assert [(e.key, e.status) for e in diff_documents(old, new).entries] == [("l4", "moved")]


def test_changed_criterion_lists_each_changed_field(doc):
    new = copy.deepcopy(doc)
    criterion = find(new, "criteria", "role-1.l3.c1")
    criterion["required"] = False
    criterion["evidence_hint"] = "Three projects."
    entry = only_entry(diff_documents(doc, new))
    assert (entry.kind, entry.status) == ("criteria", "changed")
    assert [(c.field, c.old, c.new) for c in entry.fields] == [
        ("required", True, False),
        ("evidence_hint", "Two projects.", "Three projects."),
    ]
    required, hint = entry.fields
    assert required.words is None
    assert ("insert", "Three") in hint.words


def test_criteria_move_only_among_those_of_their_position(doc):
    new = copy.deepcopy(doc)
    extra = {**find(doc, "criteria", "role-1.l3.c1"), "key": "role-1.l3.c2", "text": "Mentors."}
    new["criteria"].append(extra)
    new["criteria"].reverse()  # l3.c2, l3.c1, l2.c1
    diff = diff_documents(doc, new)
    assert [(e.key, e.status) for e in diff.entries] == [("role-1.l3.c2", "added")]

    newer = copy.deepcopy(new)
    newer["criteria"][0], newer["criteria"][1] = newer["criteria"][1], newer["criteria"][0]
    # Of two swapped siblings, the one now first is reported as moved.
    assert [(e.key, e.status) for e in diff_documents(new, newer).entries] == [
        ("role-1.l3.c1", "moved")
    ]


def test_path_steps_added_removed_and_changed(doc):
    new = copy.deepcopy(doc)
    del new["path_steps"][0]  # role-1.l1--role-1.l2
    new["path_steps"][0]["note"] = "After a year at least."
    new["path_steps"].append(
        {
            "key": "role-1.l1--role-1.l3",
            "from": "role-1.l1",
            "to": "role-1.l3",
            "kind": "lateral",
            "note": "",
        }
    )
    assert validate_document(new) == []
    diff = diff_documents(doc, new)
    assert [(e.key, e.status) for e in diff.entries] == [
        ("role-1.l1--role-1.l2", "removed"),
        ("role-1.l2--role-1.l3", "changed"),
        ("role-1.l1--role-1.l3", "added"),
    ]
    note = diff.entries[1].fields[0]
    assert (note.field, note.old, note.new) == ("note", "", "After a year at least.")
    assert note.words == (("insert", "After a year at least."),)


def test_position_rename_changes_title_only(doc):
    new = copy.deepcopy(doc)
    find(new, "positions", "role-1.l2")["title"] = "Senior Role 1"
    entry = only_entry(diff_documents(doc, new))
    assert (entry.kind, entry.key, entry.status, entry.moved) == (
        "positions",
        "role-1.l2",
        "changed",
        False,
    )
    [change] = entry.fields
    assert (change.field, change.old, change.new) == ("title", "Level 2 Role 1", "Senior Role 1")
    assert change.words == (
        ("delete", "Level 2"),
        ("insert", "Senior"),
        ("equal", " Role 1"),
    )


def test_changed_fields_follow_the_schema_order_whatever_the_dict_order(doc):
    new = copy.deepcopy(doc)
    level = find(new, "levels", "l2")
    level.update(summary="Changed.", name="Level Two", code="LII")
    reordered = {name: level[name] for name in sorted(level, reverse=True)}
    new["levels"][index_of(new, "levels", "l2")] = reordered
    entry = only_entry(diff_documents(doc, new))
    assert [c.field for c in entry.fields] == ["code", "name", "summary"]


def test_removed_element_follows_its_old_predecessor_and_kinds_keep_their_order(doc):
    new = copy.deepcopy(doc)
    del new["expectations"][index_of(doc, "expectations", f"{CELL}.2")]
    find(new, "expectations", f"{CELL}.1")["text"] = "Changed one."
    find(new, "expectations", f"{CELL}.3")["text"] = "Changed three."
    del new["expectations"][0]  # first of the whole list: leads its kind
    find(new, "roles", "role-1")["name"] = "Designer"
    keys = [(e.kind, e.key, e.status) for e in diff_documents(doc, new).entries]
    assert keys == [
        ("roles", "role-1", "changed"),
        ("expectations", "role-1.l1.comp-1.1", "removed"),
        ("expectations", f"{CELL}.1", "changed"),
        ("expectations", f"{CELL}.2", "removed"),
        ("expectations", f"{CELL}.3", "changed"),
    ]


def test_summary_counts_every_kind_and_status(doc):
    new = copy.deepcopy(doc)
    find(new, "competencies", "comp-1")["description"] = "What it means."
    del new["expectations"][index_of(doc, "expectations", f"{CELL}.2")]
    new["expectations"].append({**find(doc, "expectations", f"{CELL}.2"), "key": f"{CELL}.9"})
    counts = diff_documents(doc, new).counts
    assert list(counts) == list(KINDS)
    assert all(
        list(by_status) == ["added", "removed", "changed", "moved"] for by_status in counts.values()
    )
    assert nonzero(counts) == {
        "competencies": {"changed": 1},
        "expectations": {"added": 1, "removed": 1},
    }


def test_element_status_by_anchor_for_carried_forward_comments(doc):
    new = copy.deepcopy(doc)
    del new["expectations"][index_of(doc, "expectations", f"{CELL}.2")]
    find(new, "expectations", f"{CELL}.3")["text"] = "Reworded."
    diff = diff_documents(doc, new)
    assert element_status(diff, anchor_for("expectations", f"{CELL}.2")) == "removed"
    assert element_status(diff, f"expectations:{CELL}.3") == "changed"
    assert element_status(diff, f"expectations:{CELL}.4") is None
    assert element_status(diff, "positions:no-such-position") is None
    assert diff.index[f"expectations:{CELL}.3"].new["text"] == "Reworded."


def test_by_kind_groups_entries_under_every_kind(doc):
    new = copy.deepcopy(doc)
    find(new, "positions", "role-1.l1")["summary"] = "Starts here."
    grouped = diff_documents(doc, new).by_kind
    assert list(grouped) == list(KINDS)
    assert [e.key for e in grouped["positions"]] == ["role-1.l1"]
    assert grouped["expectations"] == []


def test_json_output_is_serialisable_and_stable(doc):
    new = copy.deepcopy(doc)
    find(new, "expectations", f"{CELL}.3")["text"] = "Reworded <b>boldly</b>."
    del new["criteria"][0]
    new["levels"].reverse()
    first = json.dumps(diff_documents(doc, new).to_json())
    again = json.dumps(diff_documents(copy.deepcopy(doc), copy.deepcopy(new)).to_json())
    assert first == again
    data = json.loads(first)
    assert data["format"] == "careerframe.diff/1"
    assert data["is_empty"] is False
    assert data["summary"]["levels"] == {"added": 0, "removed": 0, "changed": 0, "moved": 2}
    text = next(e for e in data["entries"] if e["kind"] == "expectations")
    assert text["anchor"] == f"expectations:{CELL}.3"
    assert text["fields"][0]["field"] == "text"
    assert ["insert", "<b>boldly</b>."] in text["fields"][0]["words"]
    assert [e["kind"] for e in data["entries"]] == ["levels", "levels", "expectations", "criteria"]
    assert data["entries"][-1]["new"] is None


# The real Dropbox framework: ~3,000 statements.


@pytest.fixture(scope="module")
def dropbox():
    return framework_document("dropbox")


@pytest.mark.slow
def test_dropbox_diff_counts_exactly_what_was_edited_and_is_fast(dropbox):
    new = copy.deepcopy(dropbox)
    statements = new["expectations"]
    assert len(statements) > 2500
    changed = {statements[i]["key"] for i in range(0, len(statements), 10)}
    for i in range(0, len(statements), 10):
        statements[i]["text"] += " carefully"
    removed = {statements[i]["key"] for i in (5, 15, 1005, 2001, 2503)}
    new["expectations"] = statements = [s for s in statements if s["key"] not in removed]
    added = set()
    for i in (0, 400, 1200, 2000, 2800):  # each just before a statement of its cell
        added.add(statements[i]["key"] + ".new")
        statements.insert(i, {**statements[i], "key": statements[i]["key"] + ".new"})
    assert validate_document(new) == []

    started = time.perf_counter()
    diff = diff_documents(dropbox, new)
    elapsed = time.perf_counter() - started

    assert nonzero(diff.counts) == {
        "expectations": {"changed": len(changed), "removed": 5, "added": 5}
    }
    assert {e.key for e in diff.entries if e.status == "changed"} == changed
    assert {e.key for e in diff.entries if e.status == "removed"} == removed
    assert {e.key for e in diff.entries if e.status == "added"} == added
    assert not any(e.moved for e in diff.entries)
    for entry in diff.entries:
        if entry.status == "changed":
            assert [c.field for c in entry.fields] == ["text"]
            assert entry.fields[0].words[-1] == ("insert", " carefully")
    json.dumps(diff.to_json())
    assert elapsed < 1.0, f"diffing Dropbox took {elapsed:.3f}s"
