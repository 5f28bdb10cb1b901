"""Who may reach which page (DESIGN.md section 6): every URL of the URLconf × every actor.

``RULES`` below is the access table of the whole site, one entry per URL name; the URL
names come from walking ``django.urls.get_resolver()``, so a new view without a rule (or
an explicit entry in ``EXCLUDED``) fails ``test_every_url_name_has_an_access_rule``.
``test_access_matrix`` then requests each URL once per actor of ``tests.conftest.ACTORS``
and compares the status with the rule:

- an ``int``: exactly that status;
- ``LOGIN``: a redirect to the login page (anonymous visitors of a personal page);
- ``ADMIN_LOGIN``: a redirect to the admin's login page (everyone but staff, in the admin);
- ``REACHED``: the view handled the request (a bare POST: 200, 302, 400 or 409) — anything
  but 403/404/405/500.

Hidden objects answer 404, never 403, so a URL never reveals that something exists; no
request may end in a 500. One ``world`` (module-scoped, rolled back at the end) holds the
objects the URLs point at; every request runs in a savepoint that is rolled back, so an
action (close a round, delete an assessment) changes nothing for the next actor.

Names mounted twice (a framework's pages at ``/frameworks/<slug>/`` and
``/frameworks/<slug>/v<N>/``; the API at ``versions/<N>/`` and ``versions/latest/``) are
requested at every route: a rule's kwargs are a superset, each route takes the ones it has.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib import admin
from django.db import transaction
from django.test import Client, override_settings
from django.urls import resolve, reverse

from ladders.pay.services import pay_settings_save
from notifications.events import Event
from notifications.services import notify
from reviews.assessments.services import (
    assessment_decide,
    assessment_submit,
    self_assessment_submit,
)
from reviews.services import comment_create, round_open
from roles import io as roles_io
from roles.formats.json_doc import write_json
from roles.models import Visibility
from tests.conftest import ACTORS
from tests.factories import (
    DraftFrameworkFactory,
    PayBandFactory,
    PersonFactory,
    PublishedFrameworkFactory,
    UserFactory,
    assessment_in_state,
    make_document,
    make_tracked_document,
    rate_all,
)
from tests.reviews.factories import (
    DESIGN_LEADS,
    StakeholderGroupFactory,
    edit_draft,
    reword,
    save_revision,
)
from tests.urlconf import Route, url_routes

# --- what a response may be ------------------------------------------------------------------

LOGIN, ADMIN_LOGIN, REACHED = "login", "admin login", "reached"
Expect = int | str
REACHED_STATUSES = {200, 201, 204, 301, 302, 303, 400, 409}

# The frameworks of the world: members-only (the one edited, reviewed, paid, assessed),
# public, and never published.
FW, OPEN, SECRET = "fw", "open", "secret"
LOGGED_IN = [actor for actor in ACTORS if actor != "anonymous"]


def allow(*actors: str, ok: Expect = 200, anonymous: Expect = LOGIN) -> dict[str, Expect]:
    """``actors`` get ``ok``; anonymous visitors ``anonymous`` (unless listed); everyone
    else 404."""
    table = dict.fromkeys(ACTORS, 404)
    table["anonymous"] = anonymous
    table.update(dict.fromkeys(actors, ok))
    return table


def public_read(ok: Expect = 200) -> dict[str, Expect]:
    """Anyone, logged in or not."""
    return allow(*ACTORS, ok=ok)


def members_read(ok: Expect = 200) -> dict[str, Expect]:
    """A members-only framework's published pages: every logged-in user; anonymous 404."""
    return allow(*LOGGED_IN, ok=ok, anonymous=404)


def nobody() -> dict[str, Expect]:
    """Hidden from everyone (an unpublished framework's published pages; SSO when off)."""
    return allow(anonymous=404)


def logged_in(ok: Expect = 200) -> dict[str, Expect]:
    """Personal pages (inbox, notifications, settings): each logged-in user, their own."""
    return allow(*LOGGED_IN, ok=ok)


def editor_only(ok: Expect = 200) -> dict[str, Expect]:
    """The draft editor: the framework's editors and superusers; everyone else — anonymous
    visitors included — 404, whatever the method."""
    return allow("author", "admin", ok=ok, anonymous=404)


def editors_and_hr(ok: Expect = 200) -> dict[str, Expect]:
    """Import into and export the draft: its editors, and HR."""
    return allow("author", "hr", "admin", ok=ok, anonymous=404)


def editors(ok: Expect = 200) -> dict[str, Expect]:
    """Review pages only editors use (revisions, policy, activity, round actions)."""
    return allow("author", "admin", ok=ok)


def reviewers_and_editors(ok: Expect = 200) -> dict[str, Expect]:
    """A round and what it is on: editors and the round's reviewer (the stakeholder)."""
    return allow("author", "stakeholder", "admin", ok=ok)


def hr_only(ok: Expect = 200) -> dict[str, Expect]:
    return allow("hr", "admin", ok=ok)


def hr_and_leads(ok: Expect = 200) -> dict[str, Expect]:
    return allow("lead", "hr", "admin", ok=ok)


def assessment_writers(ok: Expect = 200) -> dict[str, Expect]:
    """HR and the person's lead — never the person themselves."""
    return allow("lead", "hr", "admin", ok=ok)


def own_and_hr_and_lead(ok: Expect = 200) -> dict[str, Expect]:
    """Vic (the viewer) themselves, their lead, HR."""
    return allow("viewer", "lead", "hr", "admin", ok=ok)


def staff_only() -> dict[str, Expect]:
    """The Django admin: superusers; everyone else is sent to the admin's login."""
    return {**dict.fromkeys(ACTORS, ADMIN_LOGIN), "admin": 200}


# --- one request to make ---------------------------------------------------------------------

Value = Any  # a URL argument, or a callable (world, actor) -> the argument


@dataclass(frozen=True)
class Case:
    who: Mapping[str, Expect]
    kwargs: Mapping[str, Value] = field(default_factory=dict)
    method: str = "get"
    query: str = ""
    what: str = ""

    def url_kwargs(self, world: SimpleNamespace, actor: str) -> dict[str, Any]:
        return {k: v(world, actor) if callable(v) else v for k, v in self.kwargs.items()}


def get(who: Mapping[str, Expect], what: str = "", query: str = "", **kwargs: Value) -> Case:
    return Case(who, kwargs, "get", query, what)


def post(who: Mapping[str, Expect], what: str = "", query: str = "", **kwargs: Value) -> Case:
    """A bare POST (no data): those who may get anything but 404; the others 404."""
    return Case(who, kwargs, "post", query, what)


def ref(attr: str) -> Callable[[SimpleNamespace, str], Any]:
    """An object of the world (its pk, token…)."""
    return lambda world, actor: getattr(world, attr)


def own(attr: str, fallback: str) -> Callable[[SimpleNamespace, str], Any]:
    """The actor's own object of ``attr`` (a dict by actor), else ``fallback``'s."""
    return lambda world, actor: getattr(world, attr).get(actor, getattr(world, attr)[fallback])


def published(query: str = "", **kwargs: Value) -> list[Case]:
    """A page of a published version, for the members-only, public and unpublished
    framework: an unpublished framework is 404 even for its editor."""
    return [
        get(members_read(), "members-only framework", query, slug=FW, number=1, **kwargs),
        get(public_read(), "public framework", query, slug=OPEN, number=1, **kwargs),
        get(nobody(), "unpublished framework", query, slug=SECRET, number=1, **kwargs),
    ]


# --- the table -------------------------------------------------------------------------------

ROUND, COMMENT = ref("round"), ref("comment")
VIC, OSCAR = ref("vic"), ref("oscar")  # Vic: the viewer, led by lead; Oscar: led by another

PUBLISHED_PAGES = {
    "ladders:framework-list": [get(public_read())],
    "ladders:framework-detail": published(),
    "ladders:role-detail": published(role="design"),
    "ladders:position-detail": published(role="design", level="mid"),
    "ladders:position-compare": published("?from=design.junior&to=design.mid"),
    "ladders:path-map": published(),
    "ladders:search": published("?q=craft"),
    "ladders:framework-export": published("?format=json"),
    "ladders:role-export": published("?format=csv", role="design"),
    "ladders:position-export": published("?format=md", role="design", level="mid"),
}

API = {
    "api:framework-list": [get(public_read())],
    "api:framework-detail": published(),
    "api:version-list": published(),
    "api:version-detail": published(),
    "api:version-document": published(),
    "api:search": published("?q=craft"),
    "api:track-list": published(),
    "api:track-detail": published(key="ic"),
    "api:role-list": published(),
    "api:role-detail": published(key="design"),
    "api:level-list": published(),
    "api:level-detail": published(key="mid"),
    "api:position-list": published(),
    "api:position-detail": published(key="design.mid"),
    "api:expectation-list": published(),
    "api:expectation-detail": published(key="design.mid.craft.1"),
    "api:competency-list": published(),
    "api:competency-detail": published(key="craft"),
    "api:path-step-list": published(),
    "api:path-step-detail": published(key="design.junior--design.mid"),
    "api:schema": [get(public_read())],
    "api:docs": [get(public_read())],
}


def draft_page(query: str = "", **kwargs: Value) -> list[Case]:
    return [get(editor_only(), query=query, slug=FW, **kwargs)]


def draft_fragment(**kwargs: Value) -> list[Case]:
    """An htmx fragment: a plain GET is sent on to the full page holding it."""
    return [get(editor_only(302), slug=FW, **kwargs)]


def draft_action(**kwargs: Value) -> list[Case]:
    return [post(editor_only(REACHED), slug=FW, **kwargs)]


OWN_IMPORT = own("imports", "author")  # the actor's own pending import (the author's if none)

DRAFT_EDITOR = {
    "roles:draft-detail": [
        *draft_page(),
        get(allow("admin", anonymous=404), "a framework the author does not edit", slug=OPEN),
    ],
    "roles:markdown-preview": draft_action(),
    "roles:draft-export": [get(editors_and_hr(), query="?format=json", slug=FW)],
    "roles:draft-import": [
        get(editors_and_hr(), slug=FW),
        get(allow("hr", "admin", anonymous=404), "a framework the author does not edit", slug=OPEN),
    ],
    "roles:import-detail": [
        get(editors_and_hr(), "own pending import", slug=FW, token=OWN_IMPORT),
        # Somebody else's upload is never shown: back to the upload form, as for a stale one.
        get(
            {**editors_and_hr(), "hr": 302, "admin": 302},
            "the author's pending import",
            slug=FW,
            token=ref("authors_import"),
        ),
    ],
    "roles:import-confirm": [post(editors_and_hr(REACHED), slug=FW, token=OWN_IMPORT)],
    "roles:import-delete": [post(editors_and_hr(REACHED), slug=FW, token=OWN_IMPORT)],
    "roles:track-create": draft_page(),
    "roles:track-edit": draft_page(key="ic"),
    "roles:track-delete": draft_page(key="mgr"),
    "roles:track-move": draft_action(key="ic"),
    "roles:role-create": draft_page(),
    "roles:role-edit": draft_page(key="design"),
    "roles:role-delete": draft_page(key="content"),
    "roles:role-move": draft_action(key="content"),
    "roles:role-matrix": draft_page(key="design"),
    "roles:sub-role-create": draft_page(role="design"),
    "roles:sub-role-edit": draft_page(key="design.research"),
    "roles:sub-role-delete": draft_page(key="design.research"),
    "roles:sub-role-move": draft_action(key="design.research"),
    "roles:level-create": draft_page(),
    "roles:level-edit": draft_page(key="junior"),
    "roles:level-delete": draft_page(key="junior"),
    "roles:competency-create": draft_page(),
    "roles:competency-edit": draft_page(key="craft"),
    "roles:competency-delete": draft_page(key="craft"),
    "roles:competency-move": draft_action(key="collab"),
    "roles:category-edit": draft_page("?name=Project+execution"),
    "roles:path-step-list": draft_page(),
    "roles:path-step-create": draft_page(),
    "roles:path-step-edit": draft_page(key="design.junior--design.mid"),
    "roles:path-step-delete": draft_page(key="design.junior--design.mid"),
    "roles:cell-detail": draft_fragment(position="design.mid", competency="craft"),
    "roles:expectation-create": draft_page("?position=design.mid&competency=craft"),
    "roles:expectation-detail": draft_fragment(key="design.mid.craft.1"),
    "roles:expectation-edit": draft_page(key="design.mid.craft.1"),
    "roles:expectation-delete": draft_page(key="design.mid.craft.1"),
    "roles:expectation-move": draft_action(key="design.mid.craft.2"),
    "roles:position-create": draft_page(role="content"),
    "roles:position-detail": draft_page(key="design.mid"),
    "roles:position-edit": draft_page(key="design.mid"),
    "roles:position-delete": draft_page(key="design.mid"),
    "roles:criterion-list": draft_fragment(position="design.mid"),
    "roles:criterion-create": draft_page(position="design.mid"),
    "roles:criterion-detail": draft_fragment(key="design.mid.c1"),
    "roles:criterion-edit": draft_page(key="design.mid.c1"),
    "roles:criterion-delete": draft_page(key="design.mid.c1"),
    "roles:criterion-move": draft_action(key="design.mid.c1"),
}

# r1 is under review in the open round; r2 was saved after it and is not.
REVIEWS = {
    "reviews:inbox": [get(logged_in())],
    "reviews:revision-list": [get(editors(), slug=FW)],
    "reviews:revision-detail": [
        get(reviewers_and_editors(), "r1, under review", slug=FW, number=1),
        get(editors(), "r2, newer than the round", slug=FW, number=2),
    ],
    "reviews:revision-restore": [post(editors(REACHED), slug=FW, number=1)],
    "reviews:revision-diff": [
        get(reviewers_and_editors(), "v1 → r1", "?from=v1&to=r1", slug=FW),
        get(editors(), "r1 → draft", "?from=r1&to=draft", slug=FW),
    ],
    "reviews:revision-diff-json": [
        get(reviewers_and_editors(), "v1 → r1", "?from=v1&to=r1", slug=FW),
        get(editors(), "r1 → r2", "?from=r1&to=r2", slug=FW),
    ],
    "reviews:round-list": [
        get(reviewers_and_editors(), slug=FW),
        # The stakeholder reviews nothing there; the author does not edit it.
        get(allow("admin"), "a framework the author does not edit", slug=OPEN),
    ],
    "reviews:round-create": [get(editors(), slug=FW)],
    "reviews:round-detail": [get(reviewers_and_editors(), slug=FW, pk=ROUND)],
    "reviews:decision-create": [
        get(reviewers_and_editors(302), "the e-mail's link", slug=FW, pk=ROUND),
        post(reviewers_and_editors(REACHED), slug=FW, pk=ROUND),
    ],
    "reviews:reviewer-delegate": [post(reviewers_and_editors(REACHED), slug=FW, pk=ROUND)],
    "reviews:round-advance": [post(editors(REACHED), slug=FW, pk=ROUND)],
    "reviews:round-close": [post(editors(REACHED), slug=FW, pk=ROUND)],
    "reviews:round-publish": [post(editors(REACHED), slug=FW, pk=ROUND)],
    "reviews:comment-create": [post(reviewers_and_editors(REACHED), slug=FW, pk=ROUND)],
    "reviews:comment-resolve": [
        post(reviewers_and_editors(REACHED), slug=FW, pk=ROUND, comment=COMMENT)
    ],
    "reviews:policy-edit": [get(editors(), slug=FW)],
    "reviews:activity-list": [get(editors(), slug=FW)],
}

# Vic (the viewer) has a decided assessment (they rated themselves first) and a new draft
# one; Dee (no login), also led by lead, a submitted one; Oscar, led by another lead, a draft.
DECIDED, VICS_DRAFT = ref("decided"), ref("vics_draft")
SUBMITTED, OSCARS_DRAFT = ref("submitted"), ref("oscars_draft")

ASSESSMENTS = {
    "reviews:assessment-list": [get(own_and_hr_and_lead())],
    "reviews:assessment-create": [get(hr_and_leads())],
    "reviews:assessment-export": [get(hr_only())],
    "reviews:assessment-detail": [
        get(own_and_hr_and_lead(), "Vic's, decided", pk=DECIDED),
        # The person never sees a draft about them.
        get(assessment_writers(), "Vic's, draft", pk=VICS_DRAFT),
        get(assessment_writers(), "Dee's, submitted", pk=SUBMITTED),
        get(hr_only(), "Oscar's, led by another lead", pk=OSCARS_DRAFT),
    ],
    # Writes: HR and the person's lead, never the person themselves.
    "reviews:assessment-edit": [get(assessment_writers(), pk=VICS_DRAFT)],
    "reviews:assessment-submit": [post(assessment_writers(REACHED), pk=VICS_DRAFT)],
    "reviews:assessment-repin": [post(assessment_writers(REACHED), pk=VICS_DRAFT)],
    "reviews:assessment-self-request": [post(assessment_writers(REACHED), pk=VICS_DRAFT)],
    "reviews:assessment-self-withdraw": [post(assessment_writers(REACHED), pk=VICS_DRAFT)],
    "reviews:assessment-delete": [get(assessment_writers(), pk=VICS_DRAFT)],
    # HR decides; not the lead.
    "reviews:assessment-decide": [post(hr_only(REACHED), pk=SUBMITTED)],
    # Only the person sees their self-assessment page (HR and the lead read the assessment).
    "reviews:assessment-self": [get(allow("viewer"), pk=DECIDED)],
}

PEOPLE_AND_PAY = {
    "ladders:person-list": [get(hr_and_leads())],
    "ladders:person-distribution": [get(hr_and_leads())],
    "ladders:person-create": [get(hr_only())],
    "ladders:person-import": [get(hr_only())],
    "ladders:person-detail": [
        get(own_and_hr_and_lead(), "Vic: the viewer, led by lead", pk=VIC),
        get(hr_only(), "Oscar: led by another lead", pk=OSCAR),
    ],
    "ladders:person-edit": [get(hr_only(), pk=VIC)],
    "ladders:salary-create": [get(hr_only(), pk=VIC)],
    "ladders:pay-band-list": [
        get(hr_only(), slug=FW),
        get(allow(), "unpublished framework", slug=SECRET),
    ],
    "ladders:pay-band-create": [get(hr_only(), slug=FW)],
    "ladders:pay-settings-edit": [post(hr_only(REACHED), slug=FW)],
    "ladders:pay-band-history": [get(hr_only(), slug=FW, role="design", level="mid")],
}

ACCOUNTS = {
    "login": [get(public_read())],
    "logout": [post(public_read(REACHED))],
    "set_language": [post(public_read(302))],
    # SSO is not configured in these tests (OIDC_ISSUER empty): both URLs are 404.
    "sso:login-start": [get(nobody())],
    "sso:login-callback": [get(nobody())],
    "accounts:settings": [get(logged_in())],
    "notifications:notification-list": [get(logged_in())],
    "notifications:notification-read-all": [post(logged_in(REACHED))],
    "notifications:notification-open": [
        post(logged_in(REACHED), "own", pk=own("notifications", "owner")),
        post(logged_in(404), "somebody else's", pk=ref("others_notification")),
    ],
    "notifications:preferences": [get(logged_in())],
}


def _admin_rules() -> tuple[dict[str, list[Case]], dict[str, str]]:
    """The admin's index, login, each app's page and each registered model's changelist;
    the per-object pages are excluded (``EXCLUDED``): the same ``admin_view`` check guards
    them as the changelist, and they need an object id per model."""
    rules: dict[str, list[Case]] = {
        "admin:index": [get(staff_only())],
        # sso.views.admin_login (unnamed, before the admin's own): the admin's login form;
        # a superuser is sent on to the index.
        "admin:login": [get({**public_read(), "admin": 302})],
        "admin:logout": [post({**public_read(302), "admin": REACHED})],
        "admin:password_change": [get(staff_only())],
        "admin:password_change_done": [get(staff_only())],
        "admin:jsi18n": [get(staff_only())],
        "admin:app_list": [
            get(staff_only(), label, app_label=label)
            for label in sorted({m._meta.app_label for m in admin.site._registry})
        ],
    }
    excluded = {
        "admin:autocomplete": "needs a model field's parameters (403 without them, by design)",
        "admin:view_on_site": "a redirect to an object's public page, by content type and id",
        "admin:auth_user_password_change": "per-object page of UserAdmin (see _admin_rules)",
    }
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        rules[f"{info}_changelist"] = [get(staff_only())]
        for page in ("add", "change", "delete", "history"):
            excluded[f"{info}_{page}"] = "per-object admin page (see _admin_rules)"
    return rules, excluded


ADMIN_RULES, ADMIN_EXCLUDED = _admin_rules()

RULES: dict[str, list[Case]] = {
    **PUBLISHED_PAGES,
    **API,
    **DRAFT_EDITOR,
    **REVIEWS,
    **ASSESSMENTS,
    **PEOPLE_AND_PAY,
    **ACCOUNTS,
    **ADMIN_RULES,
}

# URL names deliberately not in the matrix, and why.
EXCLUDED: dict[str, str] = {**ADMIN_EXCLUDED}

# Unnamed routes outside the admin's own (whose unnamed routes are its object redirects and
# its catch-all), and why they need no rule of their own.
UNNAMED: dict[str, str] = {
    "admin/login/": "sso.views.admin_login, reached as admin:login (see its rule)",
}


# --- the URLconf -----------------------------------------------------------------------------


def routes_by_name() -> dict[str, list[Route]]:
    by_name: dict[str, list[Route]] = defaultdict(list)
    for route in url_routes():
        if route.name:
            by_name[route.name].append(route)
    return by_name


def test_every_url_name_has_an_access_rule():
    in_urlconf = set(routes_by_name())
    missing = sorted(in_urlconf - set(RULES) - set(EXCLUDED))
    stale = sorted((set(RULES) | set(EXCLUDED)) - in_urlconf)
    both = sorted(set(RULES) & set(EXCLUDED))
    assert not missing, f"URL names without an access rule in RULES: {missing}"
    assert not stale, f"RULES/EXCLUDED name URLs the URLconf does not have: {stale}"
    assert not both, f"URL names both in RULES and EXCLUDED: {both}"


def test_every_unnamed_route_is_accounted_for():
    unnamed = [r.route for r in url_routes() if r.name is None and r.namespace != "admin"]
    assert sorted(unnamed) == sorted(UNNAMED), "an unnamed view cannot be given a rule: name it"


def test_every_rule_gives_every_actor_an_expectation():
    for name, cases in RULES.items():
        for case in cases:
            assert set(case.who) == set(ACTORS), (name, case.what)


# --- the world -------------------------------------------------------------------------------


def _build_world() -> SimpleNamespace:
    users = {actor: _user(actor) for actor in LOGGED_IN}
    owner = UserFactory(username="owner")
    other_lead = UserFactory(username="otherlead", groups=["Leads"])
    author, hr, lead, viewer = users["author"], users["hr"], users["lead"], users["viewer"]

    # The framework everything happens in: members only, published v1, edited by author.
    fw = PublishedFrameworkFactory(
        slug=FW, visibility=Visibility.MEMBERS, content=make_tracked_document(), editors=[author]
    )
    PublishedFrameworkFactory(slug=OPEN, content=make_tracked_document())
    DraftFrameworkFactory(slug=SECRET, content=make_document(), editors=[author])

    # Review: r1 under review by the stakeholder, with a comment; r2 saved after.
    r1 = save_revision(fw, author, "r1")
    group = StakeholderGroupFactory(name=DESIGN_LEADS)
    round = round_open(
        revision=r1,
        user=author,
        reviewers=[(users["stakeholder"], group)],
        due_on=datetime.date.today() + datetime.timedelta(days=7),
    )
    comment = comment_create(round=round, user=users["stakeholder"], body="Why this word?")
    edit_draft(fw, reword("design.mid.craft.1", "Reworded for r2."))
    save_revision(fw, author, "r2")

    # People: Vic is the viewer, led by lead; Dee also led by lead; Oscar by somebody else.
    def person(name: str, **extra: Any):
        return PersonFactory(
            name=name, framework=fw, role_key="design", level_key="junior", **extra
        )

    vic = person("Vic Viewer", lead=lead, user=viewer)
    dee = person("Dee Submitted", lead=lead)
    oscar = person("Oscar Other", lead=other_lead)
    decided = assessment_in_state("self_review", person=vic, lead=lead)
    self_assessment_submit(assessment=decided, user=viewer)
    rate_all(decided, lead)
    assessment_submit(assessment=decided, user=lead)
    assessment_decide(assessment=decided, user=hr, decision="not_yet", note="Soon.")
    vics_draft = assessment_in_state("draft", person=vic, lead=lead)
    submitted = assessment_in_state("submitted", person=dee, lead=lead)
    oscars_draft = assessment_in_state("draft", person=oscar, lead=other_lead)

    # Pay: switched on, one band.
    pay_settings_save(user=hr, framework=fw, enabled=True, visible_to_people=True)
    PayBandFactory(framework=fw, role_key="design", level_key="mid")

    # Notifications: one each, and the owner's that nobody else may open.
    notifications = {
        actor: notify(Event.REPLY, [user], title=f"For {actor}", url="/")[0].pk
        for actor, user in {**users, "owner": owner}.items()
    }
    # Pending imports of the draft for those who may import.
    document = write_json(make_tracked_document()).encode()
    imports = {
        actor: roles_io.pending_import_create(
            framework=fw, user=users[actor], filename="import.json", data=document
        ).token
        for actor in ("author", "hr", "admin")
    }
    return SimpleNamespace(
        sessions={actor: _session(user) for actor, user in users.items()},
        round=round.pk,
        comment=comment.pk,
        vic=vic.pk,
        oscar=oscar.pk,
        decided=decided.pk,
        vics_draft=vics_draft.pk,
        submitted=submitted.pk,
        oscars_draft=oscars_draft.pk,
        notifications=notifications,
        others_notification=notifications["owner"],
        imports=imports,
        authors_import=imports["author"],
    )


def _user(actor: str):
    """As ``tests.conftest.make_actor`` builds them."""
    if actor == "admin":
        return UserFactory(username="admin", is_staff=True, is_superuser=True)
    return UserFactory(username=actor, groups={"hr": ["HR"], "lead": ["Leads"]}.get(actor, []))


def _session(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[SimpleNamespace]:
    """Built once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            built = _build_world()
        yield built
        transaction.set_rollback(True)


# --- the matrix ------------------------------------------------------------------------------


def _request(world: SimpleNamespace, actor: str, case: Case, url: str):
    """One request as ``actor``, in a savepoint rolled back afterwards."""
    client = Client(raise_request_exception=False)
    if actor != "anonymous":
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[actor]
    with transaction.atomic():
        response = getattr(client, case.method)(url)
        transaction.set_rollback(True)
    return response


def _outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303) and response.get("Location"):
        return f"{status} → {response['Location']}"
    if status == 500 and response.exc_info:
        return f"500 ({response.exc_info[0].__name__}: {response.exc_info[1]})"
    return str(status)


def _matches(response, want: Expect) -> bool:
    status = response.status_code
    if status in (403, 500):  # a 403 reveals that the object exists; a 500 is a bug
        return False
    location = response.get("Location", "")
    if want == LOGIN:
        return status == 302 and location.startswith(reverse("login"))
    if want == ADMIN_LOGIN:
        return status == 302 and location.startswith(reverse("admin:login"))
    if want == REACHED:
        return status in REACHED_STATUSES
    return status == want


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(RULES))
def test_access_matrix(world, settings, name):
    settings.OIDC_ISSUER = ""  # SSO off
    routes = routes_by_name().get(name)
    assert routes, f"{name} is not in the URLconf"
    problems = []
    for case in RULES[name]:
        for route in routes:
            for actor in ACTORS:
                kwargs = case.url_kwargs(world, actor)
                missing = route.params - set(kwargs)
                assert not missing, f"{name} ({route.route}) needs {sorted(missing)}"
                path = reverse(name, kwargs={k: v for k, v in kwargs.items() if k in route.params})
                resolved = resolve(path).route.replace("^", "")
                assert resolved == route.route.replace("^", ""), (path, route.route)
                response = _request(world, actor, case, path + case.query)
                want = case.who[actor]
                if not _matches(response, want):
                    problems.append(
                        f"{case.method.upper()} {path}{case.query} [{case.what or name}] as "
                        f"{actor}: got {_outcome(response)}, want {want}"
                    )
    assert not problems, "\n".join(problems)
