"""Inline editing of statements, criteria and a position's title, with htmx and without.

htmx requests get only the fragment (a statement, a cell, the criteria list); the same URLs
without htmx render full pages and redirect back after a POST.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from roles.editing import fingerprint
from roles.models import Expectation, FrameworkVersion, Position, PromotionCriterion
from tests.factories import DraftFrameworkFactory, UserFactory, make_document

HX = {"HTTP_HX_REQUEST": "true"}
KEY = "role-1.l2.comp-1.1"
MATRIX = "/frameworks/fw/draft/roles/role-1/matrix/"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return UserFactory(username="editor")


@pytest.fixture
def draft(editor) -> FrameworkVersion:
    framework = DraftFrameworkFactory(
        slug="fw", editors=[editor], content=make_document(roles=1, levels=3, sub_roles=1)
    )
    return framework.versions.get(status="draft")


@pytest.fixture
def ed(client, editor, draft):
    client.force_login(editor)
    return client


def url(name: str, **kwargs: str) -> str:
    return reverse(f"roles:{name}", kwargs={"slug": "fw", **kwargs})


def _html(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).strip()


def _stored(draft, key: str = KEY) -> Expectation:
    return Expectation.objects.get(version=draft, key=key)


def _cell_keys(html: str) -> list[str]:
    return re.findall(r'<li class="cf-stmt[^"]*" id="exp-([^"]+)"', html)


def _is_fragment(response) -> bool:
    html = _html(response)
    return "<html" not in html and "<body" not in html and "HX-Request" in response["Vary"]


# --- editing a statement ----------------------------------------------------------------


def test_htmx_edit_form_is_only_the_statement(ed, draft):
    response = ed.get(url("expectation-edit", key=KEY) + f"?next={MATRIX}", **HX)
    assert response.status_code == 200 and _is_fragment(response)
    html = _html(response)
    assert html.startswith(f'<li class="cf-stmt cf-stmt-editing" id="exp-{KEY}"')
    assert 'hx-target="closest li"' in html
    assert f'value="{fingerprint(_stored(draft))}"' in html
    assert "Competency 1 statement 1 at Level 2." in html
    assert "Preview" in html and "Cancel" in html


def test_without_htmx_the_edit_form_is_a_page(ed):
    response = ed.get(url("expectation-edit", key=KEY))
    html = _html(response)
    assert response.status_code == 200 and "<html" in html
    assert f'action="{url("expectation-edit", key=KEY)}"' in html
    assert '<label for="exp-' in html  # every field has its label


def test_htmx_save_shows_the_statement_again(ed, draft):
    version = draft.lock_version
    data = {"text": "Frames **problems**.", "fingerprint": fingerprint(_stored(draft))}
    response = ed.post(url("expectation-edit", key=KEY), {**data, "next": MATRIX}, **HX)
    assert response.status_code == 200 and _is_fragment(response)
    html = _html(response)
    assert "<strong>problems</strong>" in html and "<form" in html  # the move form
    assert "autofocus" in html  # focus goes back to the statement's Edit button
    assert _stored(draft).text == "Frames **problems**."
    draft.refresh_from_db()
    assert (draft.lock_version, draft.document_sha256) == (version + 1, "")


def test_without_htmx_a_save_redirects_back_to_the_statement(ed, draft):
    data = {"text": "Plans.", "fingerprint": fingerprint(_stored(draft)), "next": MATRIX}
    response = ed.post(url("expectation-edit", key=KEY), data)
    assert response.status_code == 302
    assert response.url == f"{MATRIX}#exp-{KEY}"


def test_an_empty_statement_is_a_form_error_not_a_crash(ed, draft):
    data = {"text": "   ", "fingerprint": fingerprint(_stored(draft))}
    response = ed.post(url("expectation-edit", key=KEY), data, **HX)
    assert response.status_code == 200 and _is_fragment(response)
    assert "This field is required." in _html(response)
    assert _stored(draft).text == "Competency 1 statement 1 at Level 2."


def test_the_second_of_two_saves_from_one_fingerprint_is_a_409_conflict(ed, draft):
    seen = fingerprint(_stored(draft))
    first = ed.post(
        url("expectation-edit", key=KEY), {"text": "Alice wrote this.", "fingerprint": seen}, **HX
    )
    assert first.status_code == 200
    second = ed.post(
        url("expectation-edit", key=KEY), {"text": "Bob wrote that.", "fingerprint": seen}, **HX
    )
    assert second.status_code == 409 and _is_fragment(second)
    html = _html(second)
    assert "This statement was changed by someone else." in html
    assert "Nothing was saved." in html
    # Their current value and yours, the difference marked word by word.
    assert '<td class="cf-prewrap">Alice wrote this.</td>' in html
    assert '<del class="cf-word">Alice</del>' in html and '<ins class="cf-word">Bob</ins>' in html
    assert re.search(r">\s*Bob wrote that.</textarea>", html)  # your text stays in the form
    assert "Save mine instead" in html and "Keep theirs" in html
    assert f'value="{fingerprint(_stored(draft))}"' in html
    assert _stored(draft).text == "Alice wrote this."


def test_without_htmx_a_conflict_is_a_409_page(ed, draft):
    seen = fingerprint(_stored(draft))
    ed.post(url("expectation-edit", key=KEY), {"text": "Alice.", "fingerprint": seen})
    response = ed.post(url("expectation-edit", key=KEY), {"text": "Bob.", "fingerprint": seen})
    assert response.status_code == 409
    assert "<html" in _html(response) and "changed by someone else" in _html(response)
    assert _stored(draft).text == "Alice."


def test_saving_a_statement_deleted_meanwhile_says_so_and_keeps_your_text(ed, draft):
    seen = fingerprint(_stored(draft))
    _stored(draft).delete()
    data = {"text": "My careful wording.", "fingerprint": seen}
    response = ed.post(url("expectation-edit", key=KEY), data, **HX)
    assert response.status_code == 409 and _is_fragment(response)
    html = _html(response)
    assert "Someone deleted this statement while you were working on it." in html
    assert "My careful wording." in html
    page = ed.post(url("expectation-edit", key=KEY), data)
    assert page.status_code == 409 and "<html" in _html(page)


def test_cancel_shows_the_statement_again(ed):
    response = ed.get(url("expectation-detail", key=KEY), **HX)
    assert response.status_code == 200 and _is_fragment(response)
    assert _html(response).startswith(f'<li class="cf-stmt" id="exp-{KEY}"')
    without_js = ed.get(url("expectation-detail", key=KEY))
    assert without_js.status_code == 302 and without_js.url == f"{MATRIX}#exp-{KEY}"


# --- Markdown preview -------------------------------------------------------------------


def test_preview_renders_markdown_and_sanitises_it(ed):
    text = (
        "**Bold** <script>alert(1)</script> [click](javascript:alert(2)) "
        "<img src=x onerror=alert(3)>"
    )
    response = ed.post(url("markdown-preview"), {"text": text}, **HX)
    assert response.status_code == 200 and _is_fragment(response)
    html = _html(response)
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html and "onerror" not in html


def test_preview_without_javascript_rerenders_the_form_and_saves_nothing(ed, draft):
    data = {"text": "*Draft* wording", "fingerprint": fingerprint(_stored(draft)), "preview": "1"}
    response = ed.post(url("expectation-edit", key=KEY), data)
    assert response.status_code == 200
    html = _html(response)
    assert "<em>Draft</em> wording" in html
    assert re.search(r">\s*\*Draft\* wording</textarea>", html)
    assert _stored(draft).text == "Competency 1 statement 1 at Level 2."


# --- adding, deleting, moving in a cell ---------------------------------------------------


def _create_url(position="role-1.l2", competency="comp-1") -> str:
    return url("expectation-create") + f"?position={position}&competency={competency}"


def test_htmx_add_opens_a_form_in_the_cell_and_returns_the_new_cell(ed, draft):
    form = ed.get(_create_url() + f"&next={MATRIX}", **HX)
    assert form.status_code == 200 and _is_fragment(form)
    assert _html(form).startswith('<div class="cf-cell"') and "Add statement" in _html(form)
    response = ed.post(_create_url(), {"text": "Writes the brief.", "next": MATRIX}, **HX)
    assert response.status_code == 200 and _is_fragment(response)
    html = _html(response)
    assert _cell_keys(html) == [KEY, "role-1.l2.comp-1.2", "role-1.l2.comp-1.3"]
    assert "Writes the brief." in html and "autofocus" in html
    assert _stored(draft, "role-1.l2.comp-1.3").text == "Writes the brief."


def test_without_htmx_adding_is_a_page_that_posts_to_itself(ed, draft):
    page = ed.get(_create_url())
    assert page.status_code == 200 and "<html" in _html(page)
    assert (
        'action="/frameworks/fw/draft/expectations/new/?position=role-1.l2&amp;competency=comp-1"'
        in _html(page)
    )
    response = ed.post(_create_url(), {"text": "Writes.", "next": MATRIX})
    assert response.status_code == 302
    assert response.url == f"{MATRIX}#exp-role-1.l2.comp-1.3"


def test_adding_an_empty_statement_shows_the_error_in_the_cell(ed, draft):
    response = ed.post(_create_url(), {"text": ""}, **HX)
    assert response.status_code == 200
    assert "This field is required." in _html(response)
    assert Expectation.objects.filter(version=draft).count() == 3 * 2 * 2


def test_htmx_delete_returns_the_cell_without_the_statement(ed, draft):
    data = {
        "fingerprint": fingerprint(_stored(draft)),
        "position": "role-1.l2",
        "competency": "comp-1",
    }
    response = ed.post(url("expectation-delete", key=KEY), data, **HX)
    assert response.status_code == 200 and _is_fragment(response)
    assert _cell_keys(_html(response)) == ["role-1.l2.comp-1.2"]
    assert "Statement deleted." in _html(response)
    assert not Expectation.objects.filter(version=draft, key=KEY).exists()


def test_deleting_a_statement_changed_meanwhile_is_a_409_and_keeps_it(ed, draft):
    seen = fingerprint(_stored(draft))
    Expectation.objects.filter(version=draft, key=KEY).update(text="Alice changed it.")
    data = {"fingerprint": seen, "position": "role-1.l2", "competency": "comp-1"}
    response = ed.post(url("expectation-delete", key=KEY), data, **HX)
    assert response.status_code == 409 and _is_fragment(response)
    html = _html(response)
    assert (
        "Alice changed it." in html and "Delete anyway" in html and "Nothing was deleted." in html
    )
    assert fingerprint(_stored(draft)) in html
    assert _stored(draft).text == "Alice changed it."


def test_deleting_a_statement_already_deleted_just_refreshes_the_cell(ed, draft):
    seen = fingerprint(_stored(draft))
    _stored(draft).delete()
    data = {"fingerprint": seen, "position": "role-1.l2", "competency": "comp-1"}
    response = ed.post(url("expectation-delete", key=KEY), data, **HX)
    assert response.status_code == 200
    assert "had already been deleted" in _html(response)


def test_without_htmx_delete_asks_first_then_redirects(ed, draft):
    page = ed.get(url("expectation-delete", key=KEY) + f"?next={MATRIX}")
    assert page.status_code == 200
    assert "Competency 1 statement 1 at Level 2." in _html(page)
    data = {"fingerprint": fingerprint(_stored(draft)), "next": MATRIX}
    response = ed.post(url("expectation-delete", key=KEY), data)
    assert response.status_code == 302 and response.url == MATRIX
    stale = ed.post(url("expectation-delete", key="role-1.l2.comp-1.2"), {"fingerprint": "old"})
    assert stale.status_code == 409 and "Delete anyway" in _html(stale)


def test_htmx_move_returns_the_reordered_cell_with_focus_on_the_moved_button(ed, draft):
    data = {"direction": "down", "position": "role-1.l2", "competency": "comp-1"}
    response = ed.post(url("expectation-move", key=KEY), data, **HX)
    assert response.status_code == 200 and _is_fragment(response)
    html = _html(response)
    assert _cell_keys(html) == ["role-1.l2.comp-1.2", KEY]
    # It is last now: "down" is disabled, so focus goes to its "up" button.
    assert 'value="down" class="btn cf-icon-btn" disabled>' in html
    moved = html.split(f'id="exp-{KEY}"', 1)[1]
    assert 'value="up" class="btn cf-icon-btn" autofocus' in moved
    assert html.count("autofocus") == 1


def test_without_htmx_move_redirects_to_the_statement(ed, draft):
    response = ed.post(url("expectation-move", key=KEY), {"direction": "down", "next": MATRIX})
    assert response.status_code == 302 and response.url == f"{MATRIX}#exp-{KEY}"
    assert ed.get(url("expectation-move", key=KEY)).status_code == 405


def test_cell_fragment_for_cancel(ed):
    path = url("cell-detail", position="role-1.l2", competency="comp-1")
    response = ed.get(path, **HX)
    assert response.status_code == 200 and _is_fragment(response)
    assert ed.get(path).url == f"{MATRIX}#cell-role-1.l2--comp-1"


# --- criteria and the position's title ---------------------------------------------------


def _criterion(draft, key="role-1.l2.c1") -> PromotionCriterion:
    return PromotionCriterion.objects.get(version=draft, key=key)


def test_criteria_are_added_edited_moved_and_deleted_in_place(ed, draft):
    create = url("criterion-create", position="role-1.l2")
    assert _is_fragment(ed.get(create, **HX))
    data = {"text": "Mentors one person.", "required": "", "evidence_hint": "Their feedback."}
    added = ed.post(create, data, **HX)
    assert added.status_code == 200 and _html(added).startswith('<section id="criteria"')
    new = _criterion(draft, "role-1.l2.c2")
    assert (new.required, new.evidence_hint) == (False, "Their feedback.")

    edit = url("criterion-edit", key=new.key)
    form = ed.get(edit, **HX)
    assert _html(form).startswith(f'<li class="cf-stmt cf-stmt-editing" id="crit-{new.key}"')
    data = {"text": "Mentors two.", "required": "on", "fingerprint": fingerprint(new)}
    saved = ed.post(edit, data, **HX)
    assert saved.status_code == 200 and "Mentors two." in _html(saved)
    conflict = ed.post(edit, {**data, "text": "Mentors three."}, **HX)
    assert conflict.status_code == 409 and "Mentors two." in _html(conflict)

    moved = ed.post(url("criterion-move", key=new.key), {"direction": "up"}, **HX)
    assert re.findall(r'id="crit-([^"]+)"', _html(moved)) == ["role-1.l2.c2", "role-1.l2.c1"]

    fp = fingerprint(_criterion(draft, new.key))
    deleted = ed.post(url("criterion-delete", key=new.key), {"fingerprint": fp}, **HX)
    assert deleted.status_code == 200 and "Criterion deleted." in _html(deleted)
    assert list(draft.criteria.filter(position__key="role-1.l2").values_list("key", flat=True)) == [
        "role-1.l2.c1"
    ]


def test_criteria_work_without_javascript(ed, draft):
    back = url("position-detail", key="role-1.l2")
    created = ed.post(
        url("criterion-create", position="role-1.l2"),
        {"text": "Leads.", "required": "on", "next": back},
    )
    assert created.status_code == 302 and created.url == f"{back}#crit-role-1.l2.c2"
    page = ed.get(url("criterion-edit", key="role-1.l2.c1"))
    assert page.status_code == 200 and "<html" in _html(page)
    fp = fingerprint(_criterion(draft))
    saved = ed.post(
        url("criterion-edit", key="role-1.l2.c1"),
        {"text": "Alone.", "fingerprint": fp, "next": back},
    )
    assert saved.status_code == 302
    assert _criterion(draft).required is False  # an unticked box is "not required"


def test_a_positions_title_is_edited_in_place(ed, draft):
    position = Position.objects.get(version=draft, key="role-1.l2")
    edit = url("position-edit", key=position.key)
    form = ed.get(edit, **HX)
    assert form.status_code == 200 and _html(form).startswith('<div id="position-summary"')
    data = {
        "title": "Senior Designer",
        "summary": "Owns features.",
        "fingerprint": fingerprint(position),
    }
    saved = ed.post(edit, data, **HX)
    assert saved.status_code == 200 and _is_fragment(saved)
    assert "Senior Designer" in _html(saved) and "Owns features." in _html(saved)
    conflict = ed.post(edit, {**data, "title": "Other"}, **HX)
    assert conflict.status_code == 409 and "Senior Designer" in _html(conflict)
    cancel = ed.get(url("position-detail", key=position.key), **HX)
    assert _html(cancel).startswith('<div id="position-summary"')
    without_js = ed.post(
        edit, {**data, "fingerprint": fingerprint(Position.objects.get(pk=position.pk))}
    )
    assert without_js.status_code == 302
