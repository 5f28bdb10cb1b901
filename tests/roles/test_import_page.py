"""Importing a file into the draft in the browser (roles.views.io): upload → preview → confirm.

Nothing is written to the draft before the editor confirms; the confirmation is refused when
the draft changed after the preview. Editors only: everyone else gets 404 for every URL.
"""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from roles import io as roles_io
from roles.editing import fingerprint
from roles.editing.statements import expectation_update
from roles.formats.json_doc import write_json
from roles.formats.long_csv import parse_long_csv
from roles.formats.registry import document_counts
from roles.models import Expectation, PendingImport
from roles.serialization import document_from_version
from roles.services import draft_get
from tests.conftest import ACTORS
from tests.factories import DraftFrameworkFactory, UserFactory, make_document
from tests.frameworks import framework_bytes

EDITORS = {"author", "admin"}
# HR imports and exports too (DESIGN.md section 6), without the rest of the editor.
IMPORTERS = EDITORS | {"hr"}
CSV_HEADER = "track,role,sub_role,level,level_order,category,competency,expectation\n"


@pytest.fixture
def framework(db):
    return DraftFrameworkFactory(slug="fw", content=make_document(roles=1, levels=3))


@pytest.fixture
def editor(framework):
    user = UserFactory(username="author")
    framework.editors.add(user)
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _url(name: str, **kwargs: str) -> str:
    return reverse(f"roles:{name}", kwargs={"slug": "fw", **kwargs})


def _upload(client, name: str, data: bytes, **headers):
    return client.post(_url("draft-import"), {"file": SimpleUploadedFile(name, data)}, **headers)


def _json(document: dict) -> bytes:
    return write_json(document).encode()


def _draft(framework) -> dict:
    return document_from_version(draft_get(framework=framework))


def _preview(client, document: dict, name: str = "new.json"):
    response = _upload(client, name, _json(document))
    assert response.status_code == 302, response.content
    return client.get(response.url)


# --- who may ----------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_only_editors_reach_the_import_pages(client, make_actor, framework, actor):
    user = make_actor(actor, framework)
    token = "not-theirs"
    if user.is_authenticated:
        client.force_login(user)
        token = roles_io.pending_import_create(
            framework=framework, user=user, filename="a.json", data=_json(make_document())
        ).token
    upload, preview = _url("draft-import"), _url("import-detail", token=token)
    confirm, cancel = _url("import-confirm", token=token), _url("import-delete", token=token)
    # A POST without a file shows the form again; a confirm without lock_version, the preview.
    calls = [("get", upload), ("post", upload), ("delete", upload), ("get", preview)]
    calls += [("post", preview), ("get", confirm), ("post", confirm), ("get", cancel)]
    calls += [("post", cancel)]
    codes = [getattr(client, method)(url).status_code for method, url in calls]
    if actor in IMPORTERS:
        assert codes == [200, 200, 405, 200, 405, 405, 409, 405, 302]
    else:
        assert codes == [404] * len(codes)


def test_another_editors_pending_import_is_out_of_reach(client, framework, editor):
    pending = roles_io.pending_import_create(
        framework=framework, user=editor, filename="a.json", data=_json(make_document(roles=2))
    )
    before = _draft(framework)
    client.force_login(UserFactory(username="admin", is_superuser=True))
    for response in (
        client.get(_url("import-detail", token=pending.token)),
        client.post(_url("import-confirm", token=pending.token), {"lock_version": 1}),
    ):
        assert response.status_code == 302 and response.url == _url("draft-import")
    assert _draft(framework) == before


# --- upload and preview -----------------------------------------------------------------


def test_the_preview_shows_counts_and_changes_and_writes_nothing(editor_client, framework, state):
    before = state()
    incoming = make_document(roles=2, levels=3, sub_roles=1)
    response = _preview(editor_client, incoming)
    preview = response.context["preview"]
    assert preview.counts == document_counts(incoming)
    assert preview.draft_counts == document_counts(_draft(framework))
    assert [k.label for k in preview.kinds] == [
        "Roles", "Specialisms", "Positions", "Statements", "Promotion criteria",
        "Career path steps",
    ]  # fmt: skip
    # role-2 with its 3 positions, 12 statements, 2 criteria, 2 steps; a specialism per role
    assert preview.totals == {"added": 22, "removed": 0, "changed": 0, "moved": 0}
    html = response.content.decode()
    assert "Nothing has changed yet" in html and "22 added" in html
    assert "Competency 1 statement 1 at Level 2." in html  # role-2's, a listed statement
    assert state() == before
    assert PendingImport.objects.count() == 1


def test_the_preview_lists_the_first_50_changes_with_word_diffs(editor_client, framework):
    incoming = make_document(roles=2, levels=3, competencies=4, statements=3)
    incoming["expectations"][0]["text"] = "Competency 1 statement 1 at every level."
    preview = _preview(editor_client, incoming).context["preview"]
    # one changed statement; role-2 (3 positions, 36 statements, 2 criteria, 2 steps), two
    # more competencies and 24 more statements in role-1's cells added
    assert preview.totals == {"added": 70, "removed": 0, "changed": 1, "moved": 0}
    assert len(preview.changes) == roles_io.PREVIEW_CHANGES and preview.more == preview.total - 50
    first = preview.changes[0]
    assert (first.label, first.status) == ("Role", "added")
    changed = next(c for c in preview.changes if c.status == "changed")
    assert changed.context == "Level 1 Role 1 › Competency 1"
    assert '<ins class="cf-word">every</ins>' in changed.text_html
    page = editor_client.get(_url("import-detail", token=preview.pending.token)).content
    assert f"and {preview.more} more changes".encode() in page


def test_a_file_equal_to_the_draft_changes_nothing(editor_client, framework):
    response = _preview(editor_client, _draft(framework))
    assert response.context["preview"].unchanged
    assert "the file holds exactly what the draft holds" in response.content.decode()


def test_problems_are_listed_by_line_and_nothing_is_kept(editor_client, framework, state):
    before = state()
    data = CSV_HEADER + ",Design,,Junior,1,,Craft,Sketches.\n,Design,,Senior,x,,Craft,Leads.\n"
    response = _upload(editor_client, "people.csv", data.encode())
    assert response.status_code == 200
    problems = response.context["problems"]
    assert problems and problems[0].startswith("people.csv:3: level_order: ")
    assert "Nothing was imported: 1 problem" in response.content.decode()
    assert state() == before and not PendingImport.objects.exists()


def test_workbook_problems_name_the_sheet_and_cell(editor_client, framework):
    book = Workbook()
    book.active.title = "Long"
    for row in (CSV_HEADER.strip().split(","), ["", "D", "", "J", "1", "", "C", "=1+1"]):
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    response = _upload(editor_client, "book.xlsx", data.getvalue())
    assert any(p.startswith("book.xlsx: Long!H2: ") for p in response.context["problems"])


@pytest.mark.parametrize(
    ("name", "message"),
    [("roles.pdf", "PDF is export only"), ("notes.txt", "not a .csv, .xlsx or .json file")],
)
def test_files_that_cannot_be_imported_are_refused_by_the_form(editor_client, name, message):
    response = _upload(editor_client, name, b"whatever")
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()


def test_an_oversized_upload_is_refused_with_a_message(editor_client, framework, settings, state):
    settings.CAREERFRAME_MAX_IMPORT_BYTES = 100
    before = state()
    response = _upload(editor_client, "big.json", _json(make_document()))
    assert response.status_code == 200
    assert "files up to 100 bytes can be imported" in response.content.decode()
    assert state() == before and not PendingImport.objects.exists()


def test_htmx_uploads_redirect_the_page_or_answer_the_form_fragment(editor_client, framework):
    ok = _upload(editor_client, "a.json", _json(make_document(roles=2)), HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and ok["HX-Redirect"].startswith(_url("draft-import"))
    bad = _upload(editor_client, "a.csv", b"nonsense\n", HTTP_HX_REQUEST="true")
    html = bad.content.decode()
    assert html.lstrip().startswith('<div id="upload">') and "<html" not in html
    assert "Nothing was imported" in html
    page = editor_client.get(_url("draft-import")).content.decode()
    assert 'hx-encoding="multipart/form-data"' in page and 'enctype="multipart/form-data"' in page
    assert '<progress id="import-progress"' in page


def test_an_import_replaced_by_a_newer_upload_or_expired_is_gone(editor_client, framework):
    first = _preview(editor_client, make_document(roles=2)).context["preview"].pending
    second = _preview(editor_client, make_document(roles=3)).context["preview"].pending
    assert list(PendingImport.objects.values_list("token", flat=True)) == [second.token]
    old = second.created_at - roles_io.PENDING_IMPORT_TTL - timedelta(minutes=1)
    PendingImport.objects.filter(pk=second.pk).update(created_at=old)
    for pending in (first, second):
        response = editor_client.get(_url("import-detail", token=pending.token), follow=True)
        assert "no longer waiting" in response.content.decode()


def test_the_preview_query_count_does_not_grow_with_the_file(editor_client, framework):
    def queries(document: dict) -> int:
        url = _upload(editor_client, "a.json", _json(document)).url
        with CaptureQueriesContext(connection) as ctx:
            assert editor_client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = queries(make_document(roles=1, levels=2))
    large = queries(make_document(roles=12, levels=5, competencies=6, sub_roles=2))
    assert small == large
    # framework, session, user, editor check, draft, pending import, the draft's nine kinds of
    # element, the navigation's two checks (the user's groups; is anyone's person or lead),
    # the header's unread notifications, the user's language and time zone
    assert large <= 19


# --- confirm ----------------------------------------------------------------------------


def _confirm(client, preview):
    url = _url("import-confirm", token=preview.pending.token)
    return client.post(url, {"lock_version": preview.lock_version})


def test_confirm_replaces_the_draft(editor_client, framework):
    incoming = make_document(roles=2, levels=4, sub_roles=1)
    preview = _preview(editor_client, incoming).context["preview"]
    response = _confirm(editor_client, preview)
    assert response.status_code == 302 and response.url == _url("draft-detail")
    assert _draft(framework) == incoming
    assert not PendingImport.objects.exists()
    page = editor_client.get(response.url).content.decode()
    assert "Imported new.json into the draft: 2 roles, 4 levels, 8 positions" in page
    again = _confirm(editor_client, preview)  # a second click finds it gone
    assert again.status_code == 302 and again.url == _url("draft-import")


def test_confirm_is_refused_when_the_draft_changed_after_the_preview(editor_client, framework):
    incoming = make_document(roles=2)
    preview = _preview(editor_client, incoming).context["preview"]
    draft = draft_get(framework=framework)
    statement = Expectation.objects.get(version=draft, key="role-1.l1.comp-1.1")
    edit = {"key": statement.key, "fingerprint": fingerprint(statement), "sub_role": None}
    expectation_update(draft=draft, text="Theirs.", **edit)  # someone else saves an edit
    changed = _draft(framework)
    response = _confirm(editor_client, preview)
    assert response.status_code == 409
    assert "The draft changed after this preview was made" in response.content.decode()
    assert _draft(framework) == changed and PendingImport.objects.count() == 1
    fresh = response.context["preview"]
    assert fresh.lock_version == preview.lock_version + 1
    assert any(c.text == "Competency 1 statement 1 at Level 1." for c in fresh.changes)
    assert _confirm(editor_client, fresh).status_code == 302
    assert _draft(framework) == incoming


def test_cancel_forgets_the_upload_and_keeps_the_draft(editor_client, framework, state):
    before = state()
    preview = _preview(editor_client, make_document(roles=2)).context["preview"]
    response = editor_client.post(_url("import-delete", token=preview.pending.token), follow=True)
    assert "Import cancelled; the draft is unchanged." in response.content.decode()
    assert state() == before and not PendingImport.objects.exists()


@pytest.mark.slow
def test_the_dropbox_framework_imports_through_the_page(editor_client, framework):
    data, started = framework_bytes("dropbox"), time.perf_counter()
    preview = editor_client.get(_upload(editor_client, "dropbox.csv", data).url).context["preview"]
    previewed = time.perf_counter()
    assert _confirm(editor_client, preview).status_code == 302
    done = time.perf_counter()
    assert _draft(framework) == parse_long_csv(data)
    # Reported, not asserted (machines differ): run with -s to see it.
    print(f"\ndropbox.csv: upload + preview {previewed - started:.2f} s, confirm ", end="")
    print(f"{done - previewed:.2f} s, total {done - started:.2f} s")


def test_hr_reaches_the_import_from_the_published_page_without_the_editor_tabs(
    client, make_actor, framework
):
    from roles.services import version_publish

    version_publish(framework=framework)
    client.force_login(make_actor("hr", framework))
    page = client.get(reverse("ladders:framework-detail", kwargs={"slug": framework.slug}))
    assert _url("draft-import") in page.content.decode()
    form = client.get(_url("draft-import")).content.decode()
    assert 'aria-label="Framework workspace"' not in form
