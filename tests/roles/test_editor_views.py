"""Draft editor pages: the overview, a role's matrix, a position's editor, and the full-page
forms for the framework's structure (create, edit with conflicts, delete with cascades).

Inline (htmx) editing of statements and criteria is in test_editor_inline.py; who may see
what in test_editor_access.py.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from roles.editing import fingerprint
from roles.models import Expectation, FrameworkVersion, Level, Position, Role, Track
from tests.factories import (
    DraftFrameworkFactory,
    FrameworkFactory,
    UserFactory,
    make_document,
    make_tracked_document,
)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(db):
    return UserFactory(username="editor")


@pytest.fixture
def framework(editor):
    return DraftFrameworkFactory(
        slug="fw", editors=[editor], content=make_document(roles=2, levels=3, sub_roles=1)
    )


@pytest.fixture
def draft(framework) -> FrameworkVersion:
    return framework.versions.get(status="draft")


@pytest.fixture
def ed(client, editor, framework):
    """A client logged in as the framework's editor."""
    client.force_login(editor)
    return client


def url(name: str, **kwargs: str) -> str:
    return reverse(f"roles:{name}", kwargs={"slug": "fw", **kwargs})


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- pages ------------------------------------------------------------------------------


def test_overview_lists_roles_levels_and_competencies_with_their_edit_links(ed, draft):
    response = ed.get(url("draft-detail"))
    assert response.status_code == 200
    html = _text(response)
    assert 'aria-label="Framework workspace"' in html
    for text in ("Role 1", "Role 2", "Level 3", "Competency 2", "Project execution", "Sub 1"):
        assert text in html
    for link in (
        url("role-matrix", key="role-1"),
        url("role-edit", key="role-2"),
        url("level-edit", key="l1"),
        url("competency-edit", key="comp-1"),
        url("position-detail", key="role-1.l2"),
        url("sub-role-edit", key="role-1.sub-1"),
    ):
        assert link in html
    assert "Quality checks" in html
    assert "Nothing to flag" in html


def test_overview_of_an_empty_draft_shows_what_to_do_first(client, editor):
    FrameworkFactory(slug="fw", editors=[editor])
    client.force_login(editor)
    html = _text(client.get(url("draft-detail")))
    assert "This draft has no roles yet." in html
    assert "No levels yet." in html
    assert "No competencies yet." in html
    assert "No path steps yet" in html


def test_overview_quality_panel_links_each_issue_to_where_it_is_fixed(ed, draft):
    Expectation.objects.filter(version=draft, key="role-2.l3.comp-1.1").update(
        text="Does good work."
    )
    html = _text(ed.get(url("draft-detail")))
    assert "Vague wording" in html
    assert url("role-matrix", key="role-2") + "#exp-role-2.l3.comp-1.1" in html


def test_matrix_shows_competencies_by_levels_with_statements_in_cells(ed):
    response = ed.get(url("role-matrix", key="role-1"))
    assert response.status_code == 200
    html = _text(response)
    assert '<th scope="col"' in html and '<th scope="row"' in html
    assert '<th scope="rowgroup"' in html  # categories group the rows
    assert "Competency 2 statement 1 at Level 3." in html
    assert 'id="cell-role-1.l2--comp-1"' in html
    assert html.count('class="cf-cell"') == 3 * 2
    assert url("expectation-edit", key="role-1.l1.comp-1.1") in html
    assert "Role 2 statement" not in html
    assert 'aria-current="page" href="' + url("role-matrix", key="role-1") in html


def test_matrix_hides_competencies_a_role_does_not_use_until_asked(ed, draft):
    Expectation.objects.filter(
        version=draft, competency__key="comp-2", position__role__key="role-1"
    ).delete()
    html = _text(ed.get(url("role-matrix", key="role-1")))
    assert "comp-2" not in html.split("<table", 1)[1]
    assert "1 competency without statements for Role 1 is hidden" in html
    shown = _text(ed.get(url("role-matrix", key="role-1") + "?competencies=all"))
    assert 'id="comp-comp-2"' in shown


def test_matrix_of_a_role_without_positions_explains_what_to_add(ed, draft):
    role = Role.objects.create(version=draft, key="new-role", name="New role", order=9)
    html = _text(ed.get(url("role-matrix", key=role.key)))
    assert "has no positions yet" in html
    assert url("position-create", role="new-role") in html


def test_position_editor_shows_statements_criteria_and_path_steps(ed):
    response = ed.get(url("position-detail", key="role-1.l2"))
    assert response.status_code == 200
    html = _text(response)
    assert "Level 2 Role 1" in html
    assert "Competency 1 statement 2 at Level 2." in html
    assert "Consistently works at Level 2." in html  # its criterion
    assert url("criterion-edit", key="role-1.l2.c1") in html
    assert "Leads to" in html and "Level 3 Role 1" in html
    assert "Reached from" in html and "Level 1 Role 1" in html


def test_path_step_list_links_every_step(ed):
    html = _text(ed.get(url("path-step-list")))
    assert url("path-step-edit", key="role-1.l1--role-1.l2") in html
    assert html.count("<tr id=") == 4


# --- query counts -----------------------------------------------------------------------


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("name", "kwargs", "most"),
    [
        # session, user, framework, is-editor check, draft; the document: tracks, roles,
        # sub-roles, levels, competencies, positions, statements, criteria, path steps;
        # the user's groups (workspace tabs); whether they are a person or lead one
        # (the Assessments link in the navigation); the unread notifications; the user's
        # language and time zone (accounts.middleware) — 18.
        ("draft-detail", {}, 18),
        # session, user, framework, is-editor, draft; roles, positions (+level, track),
        # competencies, statements (+sub-role), sub-roles; the document for the quality
        # checks (nine); the user's groups; the Assessments navigation check; the unread
        # notifications; language and time zone — 23.
        ("role-matrix", {"key": "role-1"}, 23),
        # session, user, framework, is-editor, draft; position (+role, level, track),
        # statements (+sub-role), competencies, criteria, steps out, steps in; the document
        # (nine); the user's groups; the Assessments navigation check; the unread
        # notifications; language and time zone — 24.
        ("position-detail", {"key": "role-1.l2"}, 24),
    ],
)
def test_editor_pages_use_the_same_queries_for_1_and_20_roles(client, db, name, kwargs, most):
    user = UserFactory(username="counting-editor")
    for slug, roles in (("small", 1), ("large", 20)):
        DraftFrameworkFactory(
            slug=slug,
            editors=[user],
            content=make_document(roles=roles, levels=4, competencies=5, sub_roles=2),
        )
    client.force_login(user)
    small = _count(client, reverse(f"roles:{name}", kwargs={"slug": "small", **kwargs}))
    large = _count(client, reverse(f"roles:{name}", kwargs={"slug": "large", **kwargs}))
    assert small == large
    assert large <= most


# --- structure: create, edit, delete, move ---------------------------------------------


def test_adding_a_role_gives_it_a_key_and_goes_back(ed, draft):
    back = url("draft-detail") + "#roles"
    response = ed.post(url("role-create"), {"name": "Product Design", "next": back})
    assert response.status_code == 302 and response.url == back
    role = Role.objects.get(version=draft, name="Product Design")
    assert role.key == "product-design"
    draft.refresh_from_db()
    assert draft.document_sha256 == ""
    assert "Added role “Product Design”." in _text(ed.get(back))


def test_a_form_error_is_shown_next_to_the_field(ed, draft):
    response = ed.post(url("role-create"), {"name": "  "})
    assert response.status_code == 200
    assert "This field is required." in _text(response)
    assert Role.objects.filter(version=draft).count() == 2


def test_a_redirect_never_leaves_the_site(ed):
    response = ed.post(url("role-create"), {"name": "X", "next": "https://evil.example/"})
    assert response.url == url("draft-detail") + "#roles"


def test_second_of_two_edits_from_one_fingerprint_gets_a_conflict_page(ed, draft):
    role = Role.objects.get(version=draft, key="role-1")
    seen = fingerprint(role)
    first = ed.post(url("role-edit", key="role-1"), {"name": "Alice's name", "fingerprint": seen})
    assert first.status_code == 302
    second = ed.post(url("role-edit", key="role-1"), {"name": "Bob's name", "fingerprint": seen})
    assert second.status_code == 409
    html = _text(second)
    assert "This role was changed by someone else." in html
    assert "Alice&#x27;s name" in html and "Bob&#x27;s name" in html
    assert "Save mine instead" in html and "Keep theirs" in html
    assert Role.objects.get(version=draft, key="role-1").name == "Alice's name"
    # The page carries the fingerprint of Alice's version: saving again is deliberate.
    current = fingerprint(Role.objects.get(version=draft, key="role-1"))
    assert f'value="{current}"' in html
    third = ed.post(url("role-edit", key="role-1"), {"name": "Bob's name", "fingerprint": current})
    assert third.status_code == 302
    assert Role.objects.get(version=draft, key="role-1").name == "Bob's name"
    assert "Saved role “Bob&#x27;s name”." in _text(ed.get(third.url))


def test_saving_an_element_deleted_meanwhile_says_so(ed, draft):
    role = Role.objects.get(version=draft, key="role-2")
    seen = fingerprint(role)
    role.delete()
    response = ed.post(url("role-edit", key="role-2"), {"name": "Mine", "fingerprint": seen})
    assert response.status_code == 409
    assert "Someone deleted this role while you were working on it." in _text(response)
    assert ed.get(url("role-edit", key="role-2")).status_code == 404


def test_deleting_a_level_lists_what_goes_with_it_first(ed, draft):
    page = ed.get(url("level-delete", key="l2"))
    assert page.status_code == 200
    html = _text(page)
    assert "2 positions</strong>: Level 2 Role 1, Level 2 Role 2" in html
    assert "8 statements" in html and "2 promotion criteria" in html and "4 path steps" in html
    fp = re.search(r'name="fingerprint" value="(\w+)"', html).group(1)
    response = ed.post(url("level-delete", key="l2"), {"fingerprint": fp})
    assert response.status_code == 302
    assert not Level.objects.filter(version=draft, key="l2").exists()
    assert not Position.objects.filter(version=draft, level__key="l2").exists()


def test_deleting_an_element_changed_meanwhile_asks_again(ed, draft):
    role = Role.objects.get(version=draft, key="role-2")
    seen = fingerprint(role)
    Role.objects.filter(pk=role.pk).update(name="Renamed by Alice")
    response = ed.post(url("role-delete", key="role-2"), {"fingerprint": seen})
    assert response.status_code == 409
    html = _text(response)
    assert "Renamed by Alice" in html and "Delete anyway" in html
    assert Role.objects.filter(pk=role.pk).exists()
    current = re.search(r'name="fingerprint" value="(\w+)"', html).group(1)
    assert ed.post(url("role-delete", key="role-2"), {"fingerprint": current}).status_code == 302
    assert not Role.objects.filter(pk=role.pk).exists()


def test_a_track_others_fork_from_is_not_deleted_and_the_page_says_why(client, editor):
    DraftFrameworkFactory(slug="fw", editors=[editor], content=make_tracked_document())
    client.force_login(editor)
    track = Track.objects.get(version__framework__slug="fw", key="common")
    response = client.post(url("track-delete", key="common"), {"fingerprint": fingerprint(track)})
    assert response.status_code == 200
    assert "Tracks fork from Common: Individual Contributor, People Manager." in _text(response)
    assert Track.objects.filter(pk=track.pk).exists()


def test_moving_a_role_down_redirects_back(ed, draft):
    back = url("draft-detail") + "#roles"
    response = ed.post(url("role-move", key="role-1"), {"direction": "down", "next": back})
    assert response.status_code == 302 and response.url == back
    assert list(Role.objects.filter(version=draft).values_list("key", flat=True)) == [
        "role-2",
        "role-1",
    ]
    assert ed.post(url("role-move", key="role-1"), {"direction": "left"}).status_code == 400


def test_a_new_level_can_create_its_positions(ed, draft):
    role_ids = list(Role.objects.filter(version=draft).values_list("pk", flat=True))
    data = {"name": "Staff", "rank": 4, "code": "L4", "position_roles": role_ids}
    assert ed.post(url("level-create"), data).status_code == 302
    assert set(Position.objects.filter(level__key="staff").values_list("key", flat=True)) == {
        "role-1.staff",
        "role-2.staff",
    }


def test_a_taken_rank_is_a_form_error(ed):
    response = ed.post(url("level-create"), {"name": "Twin", "rank": 2})
    assert response.status_code == 200
    assert "Rank 2 is already taken by Level 2." in _text(response)


def test_adding_a_position_opens_its_editor(ed, draft):
    level = Level.objects.create(version=draft, key="l4", name="Level 4", rank=4, order=9)
    response = ed.post(url("position-create", role="role-1"), {"level": level.pk, "title": "Lead"})
    assert response.status_code == 302
    assert response.url == url("position-detail", key="role-1.l4")


def test_renaming_a_category(ed, draft):
    path = url("category-edit") + "?name=Project+execution"
    assert "Project execution" in _text(ed.get(path))
    assert ed.post(path, {"new_name": "Delivery"}).status_code == 302
    assert set(draft.competencies.values_list("category", flat=True)) == {
        "Delivery",
        "Internal collaboration",
    }


def test_competency_form_suggests_the_existing_categories(ed):
    html = _text(ed.get(url("competency-create") + "?category=Internal+collaboration"))
    assert '<datalist id="id-categories">' in html
    assert '<option value="Project execution">' in html
    assert 'value="Internal collaboration"' in html  # preset from the link


def test_a_path_step_from_a_position_is_preset(ed, draft):
    position = Position.objects.get(version=draft, key="role-2.l1")
    html = _text(ed.get(url("path-step-create") + "?from_position=role-2.l1"))
    assert f'<option value="{position.pk}" selected>' in html
    data = {
        "from_position": position.pk,
        "to_position": Position.objects.get(version=draft, key="role-1.l2").pk,
        "kind": "lateral",
    }
    assert ed.post(url("path-step-create"), data).status_code == 302
    assert draft.path_steps.filter(key="role-2.l1--role-1.l2").exists()
