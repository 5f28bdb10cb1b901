import pytest
from django.urls import reverse

from ladders.compare import compare_statements, word_diff
from tests.factories import PublishedFrameworkFactory, make_document


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


@pytest.mark.django_db
def test_compare_includes_a_chosen_specialisms_statements(client):
    document = make_document(roles=1, levels=2, sub_roles=1)
    document["expectations"].append(
        {
            "key": "role-1.l2.research",
            "position": "role-1.l2",
            "sub_role": "role-1.sub-1",
            "competency": "comp-1",
            "text": "Plans research for a whole product area.",
        }
    )
    PublishedFrameworkFactory(slug="fw", content=document)
    url = reverse("ladders:position-compare", kwargs={"slug": "fw"})
    params = {"from": "role-1.l1", "to": "role-1.l2"}
    assert "Plans research" not in client.get(url, params).content.decode()
    with_sub = client.get(url, {**params, "sub_role": "role-1.sub-1"}).content.decode()
    assert "Plans research for a whole product area." in with_sub
