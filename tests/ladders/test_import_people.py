"""`manage.py import_people`: create or update by email, all or nothing, located errors."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ladders.models import Person, PositionChange
from tests.factories import PublishedFrameworkFactory, UserFactory, make_document

HEADER = "name,email,lead_email,framework,role,level,sub_role\n"


@pytest.fixture
def framework(db):
    UserFactory(username="lee", email="lee@example.com", groups=["Leads"])
    return PublishedFrameworkFactory(
        slug="design", name="Design", content=make_document(roles=1, levels=3, sub_roles=1)
    )


def run(tmp_path, text: str, name: str = "people.csv") -> tuple[str, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_people", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fail(tmp_path, text: str) -> tuple[CommandError, str]:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_people", str(path), stderr=err)
    assert excinfo.value.returncode == 2
    return excinfo.value, err.getvalue()


def test_import_creates_people_by_key_or_name_with_lead_and_specialism(tmp_path, framework):
    out, _ = run(
        tmp_path,
        HEADER
        + "Ana,ana@example.com,lee@example.com,design,role-1,l2,role-1.sub-1\n"
        + "Ben,BEN@example.com,,Design,Role 1,Level 3,Sub 1\n",
    )
    assert "2 added, 0 updated, 0 unchanged" in out
    ana = Person.objects.get(email="ana@example.com")
    assert (ana.level_key, ana.sub_role_key, ana.lead.username) == ("l2", "role-1.sub-1", "lee")
    assert Person.objects.get(email="ben@example.com").level_key == "l3"
    assert PositionChange.objects.filter(person=ana, reason="Imported from CSV").count() == 1


def test_reimport_updates_by_email_and_records_moves(tmp_path, framework):
    run(tmp_path, HEADER + "Ana,ana@example.com,,design,role-1,l1,\n")
    out, _ = run(
        tmp_path,
        HEADER + "Ana,ana@example.com,,design,role-1,l2,\nCai,cai@example.com,,design,role-1,l1,\n",
    )
    assert "1 added, 1 updated, 0 unchanged" in out
    ana = Person.objects.get(email="ana@example.com")
    assert ana.level_key == "l2" and ana.history.count() == 2
    out, _ = run(tmp_path, HEADER + "Ana,ana@example.com,,design,role-1,l2,\n")
    assert "0 added, 0 updated, 1 unchanged" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "people.csv:1: file: the file is empty"),
        ("name,email\n", "people.csv:1: header: missing column(s)"),
        (HEADER.strip() + ",age\nA,,,design,role-1,l1,,3\n", "unknown column(s): age"),
        (HEADER, "people.csv:2: file: no people in the file"),
        (HEADER + ",a@example.com,,design,role-1,l1,\n", "people.csv:2: name: must not be empty"),
        (HEADER + "A,not-an-email,,design,role-1,l1,\n", "people.csv:2: email: 'not-an-email'"),
        (HEADER + "A,,,nope,role-1,l1,\n", "people.csv:2: framework: no framework 'nope'"),
        (HEADER + "A,,,design,role-9,l1,\n", "people.csv:2: role:"),
        (HEADER + "A,,,design,role-1,l9,\n", "people.csv:2: level:"),
        (HEADER + "A,,,design,role-1,l1,nope\n", "people.csv:2: sub_role:"),
        (HEADER + "A,,x@example.com,design,role-1,l1,\n", "people.csv:2: lead_email: no user"),
        (
            HEADER + "A,a@example.com,,design,role-1,l1,\nB,A@example.com,,design,role-1,l1,\n",
            "people.csv:3: email: a@example.com is already on line 2",
        ),
    ],
)
def test_bad_files_exit_2_with_located_messages_and_write_nothing(
    tmp_path, framework, text, expected
):
    Person.objects.all().delete()
    _error, err = fail(tmp_path, text)
    assert expected in err
    assert not Person.objects.exists()


def test_one_bad_line_keeps_every_good_line_out(tmp_path, framework):
    _error, err = fail(
        tmp_path, HEADER + "Ok,ok@example.com,,design,role-1,l1,\nBad,,,design,role-1,l9,\n"
    )
    assert "people.csv:3: level:" in err
    assert not Person.objects.exists()


def test_undecodable_bytes_name_the_line(tmp_path, framework):
    path = tmp_path / "people.csv"
    path.write_bytes(HEADER.encode() + b"Ana,\xff\xfe,,design,role-1,l1,\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_people", str(path), stderr=err)
    assert "people.csv:2: file: undecodable bytes" in err.getvalue()


def test_files_over_the_limit_are_refused(tmp_path, framework, settings):
    settings.CAREERFRAME_MAX_IMPORT_BYTES = 10
    error, _ = fail(tmp_path, HEADER + "Ana,,,design,role-1,l1,\n")
    assert "over the import limit" in str(error)
