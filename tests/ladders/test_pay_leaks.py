"""Pay never leaks, tested through every route.

A framework with pay bands on (and shown to people) gets three bands and a salary with
distinctive amounts. Then every actor requests every route of the ladders, roles, reviews
and api URLconfs (each export format too), and the amounts — written raw, English or Dutch
— appear only where that actor may see them: HR on the pay pages, the position pages and the
person's page; the person on the pages of their own position and their next level. Everyone
else does not even get a hint (no pay heading, no link to the pay pages).
"""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from ladders.pay.services import pay_band_add, pay_settings_save, salary_record
from ladders.people.services import person_save, placement_for
from reviews.services import round_open
from tests.conftest import ACTORS
from tests.factories import PublishedFrameworkFactory, assessment_in_state, make_document
from tests.reviews.factories import DESIGN_LEADS, HR, StakeholderGroupFactory, save_revision
from tests.urlconf import url_routes

NAMESPACES = ("ladders", "roles", "reviews", "api")

# Vic (the ``viewer`` actor) sits at role-1.l1; role-1.l2 is their next level.
BANDS = {
    ("role-1", "l1"): ("own", ("86421", "97531", "108642")),
    ("role-1", "l2"): ("next", ("111113", "123457", "135791")),
    ("role-2", "l1"): ("other", ("212121", "232323", "252525")),
}
SALARY = "98765.43"
POSITIONS = [*BANDS, ("role-1", "l3")]
EXPORT_FORMATS = ("csv", "json", "xlsx", "md", "pdf")


def _spellings(amount: str) -> set[str]:
    """An amount as any page, file or API could write it: raw, grouped in English or Dutch,
    with or without cents."""
    value = Decimal(amount)
    whole = int(value)
    cents = f"{value:.2f}".split(".")[1]
    grouped = f"{whole:,}"
    forms = {str(whole), grouped, grouped.replace(",", "."), grouped.replace(",", "\xa0")}
    if cents != "00":
        forms |= {
            f"{whole}.{cents}",
            f"{whole},{cents}",
            f"{grouped}.{cents}",
            f"{grouped.replace(',', '.')},{cents}",
        }
    return forms


AMOUNTS = {
    **{group: set().union(*map(_spellings, amounts)) for group, amounts in BANDS.values()},
    "salary": _spellings(SALARY),
}
HINTS = ('id="pay', "pay band", "/pay/", "salary", "compa-ratio")


def test_spellings_cover_english_and_dutch():
    assert {"123457", "123,457", "123.457"} <= _spellings("123457")
    assert {"98765.43", "98,765.43", "98.765,43", "98765,43"} <= _spellings(SALARY)


# --- the routes -------------------------------------------------------------------------------


def _routes() -> list[tuple[str, tuple[str, ...]]]:
    """Every named route of the four URLconfs with its parameters, once per mount."""
    return sorted(
        {
            (route.name, tuple(sorted(route.params)))
            for route in url_routes()
            if route.name and route.namespace.split(":")[0] in NAMESPACES
        }
    )


ELEMENT_KEYS = {
    "track": "no-such-track",
    "role": "role-1",
    "sub-role": "role-1.sub-1",
    "level": "l2",
    "competency": "comp-1",
    "path-step": "role-1.l1--role-1.l2",
    "expectation": "role-1.l2.comp-1.1",
    "position": "role-1.l2",
    "criterion": "role-1.l2.c1",
}


def _kwargs(name: str, params: tuple[str, ...], ids: dict) -> list[dict]:
    """The URL arguments to request ``name`` with: each position with a band (and one
    without) for position routes, both roles for role routes."""
    short = name.split(":")[1]
    base: dict = {}
    for param in params:
        if param == "slug":
            base[param] = "design"
        elif param == "number":
            base[param] = 1
        elif param == "key":
            base[param] = ELEMENT_KEYS[short.rsplit("-", 1)[0]]
        elif param == "pk":
            if short.startswith(("person", "salary")):
                base[param] = ids["person"]
            elif short.startswith("assessment"):
                base[param] = ids["assessment"]
            else:
                base[param] = ids["round"]
        elif param == "comment":
            base[param] = 1
        elif param == "token":
            base[param] = "no-such-token"
        elif param == "position":
            base[param] = "role-1.l2"
        elif param == "competency":
            base[param] = "comp-1"
    # A file is the same whatever position it is about (and PDFs are slow): one of each.
    positions = POSITIONS[1:2] if short.endswith("-export") else POSITIONS
    roles = ["role-1"] if short.endswith("-export") else ["role-1", "role-2"]
    if "role" in params and "level" in params:
        return [{**base, "role": r, "level": lv} for r, lv in positions]
    if "role" in params:
        return [{**base, "role": r} for r in roles]
    return [base]


def _queries(name: str) -> list[str]:
    if name.endswith("-export") and name != "reviews:assessment-export":
        return [f"?format={fmt}" for fmt in EXPORT_FORMATS]
    return {
        "ladders:search": ["?q=statement"],
        "api:search": ["?q=statement"],
        "ladders:position-compare": ["?from=role-1.l1&to=role-1.l2"],
        "reviews:revision-diff": ["?from=r1&to=draft"],
        "reviews:revision-diff-json": ["?from=r1&to=draft"],
    }.get(name, [""])


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"%PDF"):
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return body.decode("utf-8", "replace")


def _allowed(actor: str, name: str, kwargs: dict) -> set[str]:
    """Which amounts ``actor`` may see on the route: nothing but these."""
    hr = actor in ("hr", "admin")
    position = BANDS.get((kwargs.get("role"), kwargs.get("level")))
    group = position[0] if position else None
    if name == "ladders:pay-band-list":
        return {"own", "next", "other"} if hr else set()
    if name == "ladders:pay-band-history":
        return {group} if hr and group else set()
    # v1 is the current version, so /v1/ shows what the short URL shows.
    may_see = hr or (actor == "viewer" and group in ("own", "next"))
    if name == "ladders:position-detail" and group and may_see:
        return {group}
    if name == "ladders:person-detail" and hr:
        return {"own", "salary"}  # Vic's salary and the band of their position
    return set()


# --- the data ---------------------------------------------------------------------------------


@pytest.fixture
def world(make_actor):
    framework = PublishedFrameworkFactory(
        slug="design", content=make_document(roles=2, levels=3, sub_roles=1)
    )
    users = {actor: make_actor(actor, framework) for actor in ACTORS}
    vic = person_save(
        user=None,
        placement=placement_for(framework=framework, role="role-1", level="l1"),
        name="Vic Viewer",
        email="vic@example.com",
        lead=users["lead"],
        login=users["viewer"],
    )
    pay_settings_save(user=users["hr"], framework=framework, enabled=True, visible_to_people=True)
    for (role, level), (_group, (low, mid, high)) in BANDS.items():
        pay_band_add(
            user=users["hr"],
            framework=framework,
            position=placement_for(framework=framework, role=role, level=level).position,
            sub_role=None,
            region="",
            currency="EUR",
            minimum=Decimal(low),
            midpoint=Decimal(mid),
            maximum=Decimal(high),
            effective_on=vic.position_since,
        )
    salary_record(
        user=users["hr"],
        person=vic,
        amount=Decimal(SALARY),
        currency="EUR",
        region="",
        effective_on=vic.position_since,
    )
    revision = save_revision(framework, users["author"])
    review_round = round_open(
        revision=revision,
        user=users["author"],
        reviewers=[
            (users["stakeholder"], StakeholderGroupFactory(name=DESIGN_LEADS)),
            (users["hr"], StakeholderGroupFactory(name=HR)),
        ],
        due_on=vic.position_since.replace(year=vic.position_since.year + 1),
    )
    assessment = assessment_in_state("draft", person=vic, lead=users["lead"])
    ids = {"person": vic.pk, "round": review_round.pk, "assessment": assessment.pk}
    return users, ids


def test_the_sweep_covers_every_kind_of_route():
    names = {name for name, _params in _routes()}
    for expected in (
        "ladders:position-detail",
        "ladders:framework-export",
        "ladders:search",
        "ladders:position-compare",
        "ladders:path-map",
        "ladders:person-detail",
        "ladders:person-distribution",
        "ladders:pay-band-list",
        "roles:draft-detail",
        "roles:draft-export",
        "reviews:revision-diff",
        "reviews:round-detail",
        "reviews:assessment-detail",
        "api:position-list",
        "api:version-document",
        "api:search",
    ):
        assert expected in names
    assert len(names) > 90


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_pay_appears_only_where_the_actor_may_see_it(client, world, actor):
    users, ids = world
    if actor != "anonymous":
        client.force_login(users[actor])
    seen_ok = 0
    shown_somewhere = set()
    for name, params in _routes():
        for kwargs in _kwargs(name, params, ids):
            for query in _queries(name):
                url = reverse(name, kwargs=kwargs) + query
                response = client.get(url)
                assert response.status_code < 500, url
                if response.status_code != 200:
                    continue
                seen_ok += 1
                text = _text(response)
                allowed = _allowed(actor, name, kwargs)
                for group, spellings in AMOUNTS.items():
                    found = [s for s in spellings if s in text]
                    if group in allowed:
                        assert found, f"{actor} should see the {group} amounts on {url}"
                        shown_somewhere.add(group)
                    else:
                        assert not found, f"{actor} sees {group} amounts {found} on {url}"
                if not allowed and actor not in ("hr", "admin"):
                    lowered = text.lower()
                    hints = [h for h in HINTS if h in lowered]
                    assert not hints, f"{actor} gets a hint of pay ({hints}) on {url}"
    assert seen_ok > (5 if actor == "anonymous" else 40)
    if actor in ("hr", "admin"):
        assert shown_somewhere == {"own", "next", "other", "salary"}
    elif actor == "viewer":
        assert shown_somewhere == {"own", "next"}
    else:
        assert not shown_somewhere


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_searching_for_an_amount_finds_nothing(client, world, actor):
    users, _ids = world
    if actor != "anonymous":
        client.force_login(users[actor])
    for query in ("123457", "98765.43", "86421"):
        page = client.get(reverse("ladders:search", kwargs={"slug": "design"}), {"q": query})
        # The results are a cached fragment (ladders/caching.py), rendered outside the page's
        # context: read them from the HTML.
        html = page.content.decode()
        assert f"0 statements match “{query}”" in html and 'id="results"' in html
        assert "Positions:" not in html
        api = client.get(
            reverse("api:search", kwargs={"slug": "design", "number": 1}), {"q": query}
        )
        assert api.json()["count"] == 0
