"""Quality checks of a draft: a pure function over the framework document (no database)."""

from __future__ import annotations

import copy
import time

import pytest

from roles.formats.long_csv import parse_long_csv
from roles.quality import (
    DEFAULT_VAGUE_WORDS,
    KINDS,
    Target,
    check_document,
    group_issues,
    statement_issues,
    vague_words_in,
)
from tests.factories import make_document, make_tracked_document

OPTIONS = {"vague_words": DEFAULT_VAGUE_WORDS, "max_length": 500}


def _statement(doc: dict, key: str) -> dict:
    return next(e for e in doc["expectations"] if e["key"] == key)


def _kinds(doc: dict, **options) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for issue in check_document(doc, **{**OPTIONS, **options}):
        found.setdefault(issue.kind, []).append(issue.anchor)
    return found


def test_a_complete_framework_has_no_issues():
    assert check_document(make_document(roles=2, levels=3), **OPTIONS) == []


# --- statements on their own ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Does good work.", ["good"]),
        ("GOOD and Strong.", ["good", "strong"]),
        ("Helps others as  needed, etc.", ["as needed", "etc"]),
        (
            "Uses appropriate tools effectively in various teams.",
            ["appropriate", "effectively", "various"],
        ),
        ("Sells goods; strongly typed; a goodness of fit.", []),
        ("Etcetera is not etc-like", ["etc"]),
    ],
)
def test_vague_words_match_whole_words_in_any_case(text, expected):
    assert vague_words_in(text, DEFAULT_VAGUE_WORDS) == expected


def test_vague_words_come_from_the_configured_list():
    assert vague_words_in("A good, solid plan.", ["solid"]) == ["solid"]
    assert vague_words_in("A good plan.", []) == []
    assert statement_issues("A good plan.", vague_words=[], max_length=500) == []


def test_empty_and_long_statements():
    assert statement_issues("   ", vague_words=OPTIONS["vague_words"], max_length=10) == [
        ("empty-statement", "empty")
    ]
    assert statement_issues("x" * 11, vague_words=[], max_length=10) == [
        ("long-statement", "11 characters (limit 10)")
    ]
    assert statement_issues("x" * 10, vague_words=[], max_length=10) == []


def test_statement_issues_point_at_the_statement_in_its_role_matrix():
    doc = make_document(roles=1, levels=2)
    _statement(doc, "role-1.l2.comp-1.1")["text"] = "Writes good docs " + "x" * 600
    issues = check_document(doc, **OPTIONS)
    assert [i.kind for i in issues] == ["long-statement", "vague-wording"]
    assert {i.anchor for i in issues} == {"expectations:role-1.l2.comp-1.1"}
    assert issues[0].target == Target("role-matrix", "role-1", "exp-role-1.l2.comp-1.1")
    assert "“good”" in issues[1].message
    assert "Level 2 Role 1 (Role 1)" in issues[1].message


def test_max_length_is_configurable():
    doc = make_document(roles=1, levels=1)
    assert "long-statement" in _kinds(doc, max_length=20)
    assert "long-statement" not in _kinds(doc, max_length=0)  # 0 switches the check off


# --- promotion criteria -----------------------------------------------------------------


def test_positions_without_criteria_are_flagged_except_entry_positions():
    doc = make_document(roles=1, levels=3)
    doc["criteria"] = [c for c in doc["criteria"] if c["position"] != "role-1.l3"]
    issues = [i for i in check_document(doc, **OPTIONS) if i.kind == "missing-criteria"]
    # l1 has no criteria either, but nobody is promoted to it: it is the ladder's entry.
    assert [i.anchor for i in issues] == ["positions:role-1.l3"]
    assert issues[0].target == Target("position-detail", "role-1.l3", "criteria")


def test_the_first_position_of_a_forked_track_needs_criteria():
    doc = make_tracked_document()
    flagged = _kinds(doc)["missing-criteria"]
    # design.lead-mgr starts the manager track but is reached by promotion from design.mid;
    # design.junior and content.junior are where their ladders start.
    assert flagged == [
        "positions:design.lead-mgr",
        "positions:content.mid",
        "positions:content.content-lead",
    ]


def test_without_path_steps_only_the_lowest_rank_is_an_entry():
    doc = make_document(roles=1, levels=3)
    doc["path_steps"], doc["criteria"] = [], []
    assert _kinds(doc)["missing-criteria"] == ["positions:role-1.l2", "positions:role-1.l3"]


# --- coverage and repetition ------------------------------------------------------------


def test_a_competency_missing_at_one_level_of_a_role_is_flagged():
    doc = make_document(roles=2, levels=3)
    doc["expectations"] = [
        e for e in doc["expectations"] if not e["key"].startswith("role-1.l2.comp-2.")
    ]
    issues = [i for i in check_document(doc, **OPTIONS) if i.kind == "missing-statement"]
    assert len(issues) == 1
    assert issues[0].anchor == "positions:role-1.l2/competencies:comp-2"
    assert issues[0].target == Target("role-matrix", "role-1", "cell-role-1.l2--comp-2")
    assert issues[0].message == "Competency 2 has no statement for Level 2 Role 1 (Role 1)."


def test_a_competency_a_role_never_uses_is_not_missing():
    doc = make_document(roles=2, levels=2)
    doc["expectations"] = [
        e
        for e in doc["expectations"]
        if not (e["position"].startswith("role-2.") and e["competency"] == "comp-2")
    ]
    assert "missing-statement" not in _kinds(doc)


def test_a_statement_repeated_at_the_next_level_is_flagged():
    doc = make_document(roles=1, levels=3)
    lower = _statement(doc, "role-1.l1.comp-1.1")["text"]
    _statement(doc, "role-1.l2.comp-1.2")["text"] = "  " + lower.upper() + " "
    _statement(doc, "role-1.l3.comp-2.1")["text"] = lower  # not consecutive, other competency
    issues = [i for i in check_document(doc, **OPTIONS) if i.kind == "repeated-statement"]
    assert [i.anchor for i in issues] == ["expectations:role-1.l2.comp-1.2"]
    assert "repeats Level 1 Role 1 word for word" in issues[0].message


def test_repeats_follow_neighbouring_ranks_when_a_role_has_no_path_steps():
    doc = make_document(roles=1, levels=3)
    doc["path_steps"] = []
    text = _statement(doc, "role-1.l2.comp-1.1")["text"]
    _statement(doc, "role-1.l3.comp-1.1")["text"] = text
    assert _kinds(doc)["repeated-statement"] == ["expectations:role-1.l3.comp-1.1"]


def test_the_same_text_twice_in_one_position_is_a_duplicate():
    doc = make_document(roles=1, levels=2, sub_roles=2)
    text = _statement(doc, "role-1.l1.comp-1.1")["text"]
    _statement(doc, "role-1.l1.comp-2.2")["text"] = text.lower()
    assert _kinds(doc)["duplicate-statement"] == ["expectations:role-1.l1.comp-2.2"]


def test_statements_for_two_different_specialisms_may_repeat_each_other():
    doc = make_document(roles=1, levels=1, sub_roles=2)
    first, second = _statement(doc, "role-1.l1.comp-1.1"), _statement(doc, "role-1.l1.comp-1.2")
    first["sub_role"], second["sub_role"] = "role-1.sub-1", "role-1.sub-2"
    second["text"] = first["text"]
    assert "duplicate-statement" not in _kinds(doc)
    second["sub_role"] = "role-1.sub-1"
    assert "duplicate-statement" in _kinds(doc)


def test_issues_come_grouped_in_the_panel_order():
    doc = make_document(roles=1, levels=3)
    doc["criteria"] = []
    _statement(doc, "role-1.l1.comp-1.1")["text"] = "Good."
    _statement(doc, "role-1.l2.comp-1.1")["text"] = "x" * 501
    issues = check_document(doc, **OPTIONS)
    kinds = [i.kind for i in issues]
    assert kinds == sorted(kinds, key=list(KINDS).index)
    groups = group_issues(issues)
    assert [g.kind for g in groups] == ["missing-criteria", "long-statement", "vague-wording"]
    assert [g.title for g in groups][0] == KINDS["missing-criteria"]
    assert sum(len(g.issues) for g in groups) == len(issues)


def test_check_document_does_not_change_the_document():
    doc = make_tracked_document()
    before = copy.deepcopy(doc)
    check_document(doc, **OPTIONS)
    assert doc == before


@pytest.mark.slow
def test_checking_the_dropbox_framework_is_quick(frameworks_dir):
    doc = parse_long_csv((frameworks_dir / "dropbox.csv").read_bytes())
    start = time.perf_counter()
    issues = check_document(doc, **OPTIONS)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{elapsed:.2f}s for {len(doc['expectations'])} statements"
    assert issues  # a real framework always has something to look at
    assert {i.kind for i in issues} <= set(KINDS)
    positions = {p["key"] for p in doc["positions"]}
    assert all(i.target.key in positions or i.target.page == "role-matrix" for i in issues)
