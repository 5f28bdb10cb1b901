from ladders.compare import compare_statements, word_diff


def test_identical_statements_are_same_on_both_sides():
    low, high = compare_statements(["Writes tests."], ["Writes tests."])
    assert [s.status for s in low] == ["same"]
    assert [s.status for s in high] == ["same"]


def test_close_statement_is_changed_with_word_highlights():
    low, high = compare_statements(["Plans work for the team."], ["Plans work for several teams."])
    assert high[0].status == "changed"
    assert low[0].status == "changed"
    assert '<ins class="cf-word">several</ins>' in high[0].diff_html
    assert '<del class="cf-word">the</del>' in high[0].diff_html


def test_unrelated_statement_is_new_and_old_one_dropped():
    low, high = compare_statements(["Fixes bugs."], ["Sets the product vision for the org."])
    assert [s.status for s in high] == ["new"]
    assert [s.status for s in low] == ["dropped"]


def test_each_lower_statement_matches_at_most_one_higher_statement():
    low, high = compare_statements(["Writes tests."], ["Writes tests.", "Writes tests."])
    assert [s.status for s in high] == ["same", "new"]


def test_word_diff_escapes_html():
    html = word_diff("Uses <b>", "Uses <i>")
    assert "<i>" not in html and "&lt;i&gt;" in html
