import pytest

from roles.textdiff import ops_html, similarity, word_diff_html, word_ops

PAIRS = [
    ("", ""),
    ("", "Writes tests."),
    ("Writes tests.", ""),
    ("Plans work for the team.", "Plans work for several teams."),
    ("Leads the team", "Leads the  team and org"),
    ("a  b c", "a b  d"),
    ("Line one.\nLine two.", "Line one.\n\nLine two, changed."),
]


def test_identical_texts_are_one_equal_op():
    assert word_ops("Writes tests.", "Writes tests.") == [("equal", "Writes tests.")]


def test_empty_texts_have_no_ops():
    assert word_ops("", "") == []


def test_appended_words_are_one_insert():
    assert word_ops("Writes tests.", "Writes tests. Often.") == [
        ("equal", "Writes tests."),
        ("insert", " Often."),
    ]


def test_removed_words_are_a_delete():
    assert word_ops("Writes good tests.", "Writes tests.") == [
        ("equal", "Writes "),
        ("delete", "good "),
        ("equal", "tests."),
    ]


def test_replaced_word_is_a_delete_then_an_insert():
    assert word_ops("Plans work for the team.", "Plans work for several teams.") == [
        ("equal", "Plans work for "),
        ("delete", "the"),
        ("insert", "several"),
        ("equal", " "),
        ("delete", "team."),
        ("insert", "teams."),
    ]


@pytest.mark.parametrize(("old", "new"), PAIRS)
def test_ops_rebuild_both_texts(old, new):
    ops = word_ops(old, new)
    assert "".join(text for op, text in ops if op != "insert") == old
    assert "".join(text for op, text in ops if op != "delete") == new
    assert {op for op, _ in ops} <= {"equal", "insert", "delete"}


def test_word_diff_html_marks_inserted_and_deleted_words():
    html = word_diff_html("Plans work for the team.", "Plans work for several teams.")
    assert html == (
        'Plans work for <del class="cf-word">the</del><ins class="cf-word">several</ins> '
        '<del class="cf-word">team.</del><ins class="cf-word">teams.</ins>'
    )


def test_word_diff_html_does_not_highlight_whitespace_only_changes():
    html = word_diff_html("Leads the team", "Leads the  team and org")
    assert html == (
        'Leads the<ins class="cf-word">  team</ins> <del class="cf-word">team</del>'
        '<ins class="cf-word">and org</ins>'
    )
    assert word_diff_html("a b", "a  b") == "a  b"
    assert word_diff_html("a b", "a b ") == "a b "


def test_word_diff_html_escapes_both_sides():
    html = word_diff_html("Uses <b> & co", "Uses <i> & co")
    assert html == (
        'Uses <del class="cf-word">&lt;b&gt;</del><ins class="cf-word">&lt;i&gt;</ins> &amp; co'
    )


def test_ops_html_renders_stored_ops_like_word_diff_html():
    for old, new in PAIRS:
        assert ops_html(word_ops(old, new)) == word_diff_html(old, new)


def test_similarity_ranges_from_nothing_shared_to_equal():
    assert similarity("Writes tests.", "Writes tests.") == 1.0
    assert similarity("abc", "xyz") == 0.0
    assert 0.6 < similarity("Plans work for the team.", "Plans work for several teams.") < 1.0
