"""The REST API's JSON shapes, pagination and filters (README "REST API")."""

import pytest

from ladders import selectors
from roles.models import FrameworkVersion
from roles.services import version_publish
from tests.factories import PublishedFrameworkFactory, make_document, make_tracked_document

API = "/api/v1/frameworks"
V1 = f"{API}/t/versions/1"
HOST = "http://testserver"


@pytest.fixture
def tracked(db):
    """Public, v1 published: tracks, sub-roles, a role-specific level and competency."""
    return PublishedFrameworkFactory(slug="t", name="Tracked", content=make_tracked_document())


def get(client, url: str, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()


def keys(data: dict) -> list[str]:
    return [item["key"] for item in data["results"]]


def test_frameworks_list_and_detail(client, tracked):
    data = get(client, f"{API}/")
    assert data["count"] == 1 and data["next"] is None and data["previous"] is None
    [item] = data["results"]
    version = FrameworkVersion.objects.get(framework=tracked, number=1)
    assert item == {
        "slug": "t",
        "name": "Tracked",
        "description": tracked.description,
        "visibility": "public",
        "current_version": {
            "number": 1,
            "published_at": version.published_at.isoformat().replace("+00:00", "Z"),
            "url": f"{HOST}{V1}/",
        },
        "role_count": 2,
        "position_count": 7,
        "url": f"{HOST}{API}/t/",
        "versions_url": f"{HOST}{API}/t/versions/",
    }
    assert get(client, f"{API}/t/") == item


def test_versions_list_detail_and_latest_alias(client, tracked):
    version_publish(framework=tracked)
    data = get(client, f"{API}/t/versions/")
    assert [(v["number"], v["status"], v["is_current"]) for v in data["results"]] == [
        (2, "published", True),
        (1, "archived", False),
    ]
    v1 = get(client, f"{V1}/")
    assert v1 == data["results"][1]
    assert v1["document_sha256"] == FrameworkVersion.objects.get(number=1).document_sha256
    assert v1["document_url"] == f"{HOST}{V1}/document/"
    assert v1["links"] == {
        "tracks": f"{HOST}{V1}/tracks/",
        "roles": f"{HOST}{V1}/roles/",
        "levels": f"{HOST}{V1}/levels/",
        "positions": f"{HOST}{V1}/positions/",
        "expectations": f"{HOST}{V1}/expectations/",
        "competencies": f"{HOST}{V1}/competencies/",
        "path_steps": f"{HOST}{V1}/path-steps/",
        "search": f"{HOST}{V1}/search/",
        "web": f"{HOST}/frameworks/t/v1/",
    }
    # latest is the current version, and links to it by number.
    assert get(client, f"{API}/t/versions/latest/") == data["results"][0]


def test_tracks_and_roles(client, tracked):
    tracks = get(client, f"{V1}/tracks/")["results"]
    assert [(t["key"], t["forks_from"]) for t in tracks] == [
        ("common", None),
        ("ic", {"key": "common", "name": "Common"}),
        ("mgr", {"key": "common", "name": "Common"}),
    ]
    design = get(client, f"{V1}/roles/")["results"][0]
    assert design == {
        "key": "design",
        "name": "Design",
        "description": "Designs things.",
        "order": 0,
        "url": f"{HOST}{V1}/roles/design/",
        "sub_roles": [
            {"key": "design.interaction", "name": "Interaction", "description": ""},
            {"key": "design.research", "name": "Research", "description": "UX"},
        ],
    }
    assert get(client, f"{V1}/roles/design/") == design


def test_levels_with_filters(client, tracked):
    levels = get(client, f"{V1}/levels/")
    assert keys(levels) == ["junior", "mid", "lead-ic", "lead-mgr", "content-lead"]
    assert levels["results"][4] == {
        "key": "content-lead",
        "code": "CONTENT-LEAD",
        "name": "Content Lead",
        "rank": 3,
        "summary": "Works at content-lead.",
        "order": 4,
        "url": f"{HOST}{V1}/levels/content-lead/",
        "track": {"key": "ic", "name": "Individual Contributor"},
        "role": {"key": "content", "name": "Content Design"},
    }
    # role: the levels on that role's ladder (shared ones included).
    assert keys(get(client, f"{V1}/levels/", role="content")) == ["junior", "mid", "content-lead"]
    assert keys(get(client, f"{V1}/levels/", role="design", track="ic")) == ["lead-ic"]
    assert get(client, f"{V1}/levels/", role="nope")["count"] == 0


def test_position_nests_statements_and_criteria(client, tracked):
    position = get(client, f"{V1}/positions/design.lead-ic/")
    assert {k: position[k] for k in ("key", "title", "url", "web_url", "role", "level")} == {
        "key": "design.lead-ic",
        "title": "Lead Designer",
        "url": f"{HOST}{V1}/positions/design.lead-ic/",
        "web_url": f"{HOST}/frameworks/t/v1/roles/design/levels/lead-ic/",
        "role": {"key": "design", "name": "Design"},
        "level": {
            "key": "lead-ic",
            "code": "LEAD-IC",
            "name": "Lead Ic",
            "rank": 3,
            "track": {"key": "ic", "name": "Individual Contributor"},
        },
    }
    assert position["expectations"][0] == {
        "key": "design.lead-ic.craft.1",
        "text": "**Lead Designer**: craft — “done well”, see [guide](guide.html).",
        "order": 4,
        "competency": {
            "key": "craft",
            "name": "Craft",
            "category": "Project execution",
            "url": f"{HOST}{V1}/competencies/craft/",
        },
        "sub_role": None,
    }
    assert position["criteria"] == [
        {
            "key": "design.lead-ic.c1",
            "text": "Leads a project.",
            "required": False,
            "evidence_hint": "One project write-up.",
            "order": 1,
        }
    ]


def test_positions_filter_by_role_level_track(client, tracked):
    assert keys(get(client, f"{V1}/positions/", role="content")) == [
        "content.junior",
        "content.mid",
        "content.content-lead",
    ]
    assert keys(get(client, f"{V1}/positions/", level="mid")) == ["design.mid", "content.mid"]
    assert keys(get(client, f"{V1}/positions/", role="design", track="ic")) == ["design.lead-ic"]
    assert get(client, f"{V1}/positions/", track="nope")["count"] == 0


def test_positions_narrow_statements_by_competency_and_sub_role(client, tracked):
    [mid] = get(client, f"{V1}/positions/", level="mid", role="design")["results"]
    assert [e["key"] for e in mid["expectations"]] == [
        "design.mid.craft.1",
        "design.mid.collab.1",
        "design.mid.craft.2",
    ]
    assert mid["expectations"][2]["sub_role"] == {"key": "design.research", "name": "Research"}
    narrowed = get(client, f"{V1}/positions/design.mid/", competency="craft")
    assert [e["key"] for e in narrowed["expectations"]] == [
        "design.mid.craft.1",
        "design.mid.craft.2",
    ]
    other = get(client, f"{V1}/positions/design.mid/", sub_role="design.interaction")
    assert [e["key"] for e in other["expectations"]] == [
        "design.mid.craft.1",
        "design.mid.collab.1",
    ]


def test_competencies_and_expectations_filters(client, tracked):
    competencies = get(client, f"{V1}/competencies/")
    assert competencies["results"][2] == {
        "key": "writing",
        "name": "Writing",
        "category": "",
        "description": "Words.",
        "order": 2,
        "url": f"{HOST}{V1}/competencies/writing/",
        "role": {"key": "content", "name": "Content Design"},
    }
    assert keys(get(client, f"{V1}/competencies/", role="design")) == ["craft", "collab"]
    writing = get(client, f"{V1}/expectations/", competency="writing")
    assert [e["position"]["key"] for e in writing["results"]] == [
        "content.junior",
        "content.mid",
        "content.content-lead",
    ]
    craft_mid = get(client, f"{V1}/expectations/", competency="craft", level="mid")
    assert keys(craft_mid) == ["design.mid.craft.1", "design.mid.craft.2"]
    assert craft_mid["results"][0]["position"] == {
        "key": "design.mid",
        "title": "Designer",
        "role": {"key": "design", "name": "Design"},
        "level": {"key": "mid", "name": "Mid"},
        "url": f"{HOST}{V1}/positions/design.mid/",
        "web_url": f"{HOST}/frameworks/t/v1/roles/design/levels/mid/",
    }


def test_path_steps_with_kind_filter(client, tracked):
    steps = get(client, f"{V1}/path-steps/")
    assert steps["count"] == 7
    [lateral] = get(client, f"{V1}/path-steps/", kind="lateral")["results"]
    assert {k: v for k, v in lateral.items() if k not in ("from_position", "to_position")} == {
        "key": "design.mid--content.mid",
        "kind": "lateral",
        "note": "After a writing project.",
        "order": 4,
        "url": f"{HOST}{V1}/path-steps/design.mid--content.mid/",
    }
    assert (lateral["from_position"]["key"], lateral["to_position"]["key"]) == (
        "design.mid",
        "content.mid",
    )
    assert get(client, f"{V1}/path-steps/", role="content")["count"] == 2


@pytest.mark.django_db
def test_lists_are_paginated_50_by_default_and_500_at_most(client):
    # 5 roles x 5 levels x 5 competencies x 5 statements = 625 statements
    PublishedFrameworkFactory(
        slug="t", content=make_document(roles=5, levels=5, competencies=5, statements=5)
    )
    first = get(client, f"{V1}/expectations/")
    assert (first["count"], len(first["results"])) == (625, 50)
    assert first["next"] == f"{HOST}{V1}/expectations/?page=2"
    last = get(client, f"{V1}/expectations/", page=13)
    assert (len(last["results"]), last["next"]) == (25, None)
    assert len(get(client, f"{V1}/expectations/", page_size=10)["results"]) == 10
    assert len(get(client, f"{V1}/expectations/", page_size=1000)["results"]) == 500
    assert client.get(f"{V1}/expectations/", {"page": 99}).status_code == 404


def test_search_matches_the_web_search(client, tracked):
    data = get(client, f"{V1}/search/", q="  collab  ", page_size=3)
    version = FrameworkVersion.objects.get(framework=tracked, number=1)
    web = selectors.search(version, "collab")
    assert (data["query"], data["count"]) == ("collab", web.total) == ("collab", 7)
    assert keys(data) == [hit.key for hit in web.hits[:3]]
    assert data["next"] == f"{HOST}{V1}/search/?page=2&page_size=3&q=++collab++"
    hit = data["results"][0]
    assert hit["position"]["url"] == f"{HOST}{V1}/positions/design.junior/"
    assert hit["competency"]["url"] == f"{HOST}{V1}/competencies/collab/"
    titles = get(client, f"{V1}/search/", q="lead designer")
    assert [p["key"] for p in titles["positions"]] == ["design.lead-ic", "content.content-lead"]
    assert titles["positions"][0]["web_url"].endswith(
        "/frameworks/t/v1/roles/design/levels/lead-ic/"
    )


def test_search_without_words_finds_nothing(client, tracked):
    assert get(client, f"{V1}/search/", q=" ") == {
        "query": "",
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
        "positions": [],
    }
