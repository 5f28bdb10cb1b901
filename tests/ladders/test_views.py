import pytest
from django.urls import reverse

from roles.services import draft_replace, version_publish
from tests.factories import PublishedFrameworkFactory, make_document

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"ladders:{name}", kwargs={"slug": "design", **kwargs})


def test_overview_shows_every_position_title_in_the_grid(client, framework):
    html = client.get(url("framework-detail")).content.decode()
    for role in (1, 2):
        for level in (1, 2, 3):
            assert f"Level {level} Role {role}" in html
    assert 'href="/frameworks/design/roles/role-2/levels/l3/"' in html


def test_role_page_lists_its_ladder_and_sub_roles(client, framework):
    response = client.get(url("role-detail", role="role-1"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sub 1" in html
    assert html.index("Level 3 Role 1") < html.index("Level 1 Role 1")  # most senior first
    assert "4 expectations across 2 competencies" in html


def test_position_page_groups_statements_and_shows_next_level_criteria(client, framework):
    html = client.get(url("position-detail", role="role-1", level="l1")).content.decode()
    assert "Project execution" in html and "Internal collaboration" in html
    assert "Competency 1 statement 2 at Level 1." in html
    assert "Level 2 Role 1" in html  # next level
    assert "Consistently works at Level 2." in html  # its promotion criterion
    assert "?from=role-1.l1&amp;to=role-1.l2" in html


def test_position_page_filters_by_sub_role(client, db):
    document = make_document(roles=1, levels=2, sub_roles=2)
    document["expectations"].append(
        {
            "key": "role-1.l1.comp-1.only-sub-2",
            "position": "role-1.l1",
            "sub_role": "role-1.sub-2",
            "competency": "comp-1",
            "text": "Runs usability studies.",
        }
    )
    PublishedFrameworkFactory(slug="design", content=document)
    page = url("position-detail", role="role-1", level="l1")
    assert "Runs usability studies." in client.get(page).content.decode()
    assert (
        "Runs usability studies." in client.get(page, {"sub_role": "role-1.sub-2"}).content.decode()
    )
    only_sub_1 = client.get(page, {"sub_role": "role-1.sub-1"}).content.decode()
    assert "Runs usability studies." not in only_sub_1
    assert "Competency 1 statement 1 at Level 1." in only_sub_1


def test_position_htmx_request_gets_only_the_statements_fragment(client, framework):
    response = client.get(
        url("position-detail", role="role-1", level="l1"),
        {"sub_role": "role-1.sub-1"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="statements"')
    assert "<html" not in html
    assert "Competency 1 statement 1 at Level 1." in html


def test_compare_highlights_new_and_changed_statements(client, db):
    document = make_document(roles=1, levels=2, competencies=1, statements=1)
    texts = {e["position"]: e for e in document["expectations"]}
    texts["role-1.l1"]["text"] = "Shares design work with the team every week."
    texts["role-1.l2"]["text"] = "Shares design work with the whole department every week."
    document["expectations"].append(
        {
            "key": "role-1.l2.comp-1.9",
            "position": "role-1.l2",
            "sub_role": None,
            "competency": "comp-1",
            "text": "Coaches two junior designers.",
        }
    )
    PublishedFrameworkFactory(slug="design", content=document)
    html = client.get(url("position-compare"), {"from": "role-1.l1"}).content.decode()
    assert "<strong>1</strong> new" in html
    assert "<strong>1</strong> changed" in html
    assert '<ins class="cf-word">whole department</ins>' in html
    assert '<del class="cf-word">team</del>' in html


def test_compare_without_target_uses_next_level_and_orders_junior_first(client, framework):
    html = client.get(url("position-compare"), {"from": "role-1.l2"}).content.decode()
    assert "From <a" in html and "Level 3 Role 1" in html
    swapped = client.get(url("position-compare"), {"from": "role-1.l3", "to": "role-1.l1"})
    assert "Shown from the more junior position" in swapped.content.decode()


def test_path_map_draws_each_position_as_a_keyboard_reachable_link(client, framework):
    html = client.get(url("path-map")).content.decode()
    assert html.count('<a href="/frameworks/design/roles/') >= 6
    assert 'data-up="role-1.l2"' in html  # arrow-key neighbour above Level 1
    assert "Promotion to" in html  # the text alternative
    only_role_2 = client.get(url("path-map"), {"role": "role-2"}).content.decode()
    assert "Level 1 Role 1" not in only_role_2.split("Paths as a list")[1]


def test_search_finds_statements_and_links_to_the_competency(client, framework):
    response = client.get(url("search"), {"q": "statement 2 Level 3"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "/frameworks/design/roles/role-1/levels/l3/#comp-1" in html
    assert "<mark>" in html


def test_search_htmx_request_gets_only_results(client, framework):
    response = client.get(url("search"), {"q": "Competency"}, headers={"HX-Request": "true"})
    assert response.content.decode().lstrip().startswith('<section id="results"')


def test_search_with_no_match_says_so(client, framework):
    html = client.get(url("search"), {"q": "xylophone"}).content.decode()
    assert "0 statements match" in html
    assert "Nothing matches" in html


def test_old_version_has_its_own_url_and_a_not_current_banner(client, framework):
    changed = make_document(roles=2, levels=3, sub_roles=1)
    changed["positions"][0]["title"] = "Apprentice Role 1"
    draft_replace(framework=framework, document=changed)
    version_publish(framework=framework)
    current = client.get(url("framework-detail")).content.decode()
    old = client.get(url("framework-detail", number=1)).content.decode()
    assert "Apprentice Role 1" in current and "Not current" not in current
    assert "Apprentice Role 1" not in old and "Not current" in old
    assert 'href="/frameworks/design/v1/roles/role-1/"' in old  # links stay in v1


def test_markdown_in_statements_is_rendered_and_sanitised(client, db):
    document = make_document(roles=1, levels=1, competencies=1, statements=1)
    document["expectations"][0]["text"] = (
        "**Bold** [docs](https://example.com) <script>alert(1)</script> "
        '[x](javascript:alert(1)) <img src=x onerror="alert(1)">'
    )
    PublishedFrameworkFactory(slug="design", content=document)
    html = client.get(url("position-detail", role="role-1", level="l1")).content.decode()
    assert "<strong>Bold</strong>" in html
    assert 'href="https://example.com"' in html
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "onerror" not in html
