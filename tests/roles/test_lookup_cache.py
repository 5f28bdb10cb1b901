"""The shared cache of current-version lookups (roles/lookup_cache.py): a read page finds its
version without a query, and every change to a framework or version is seen at once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from django.urls import reverse, reverse_lazy

from roles import lookup_cache
from roles.access import get_published_version_or_404
from roles.models import Framework, Visibility
from roles.services import draft_replace, version_publish
from tests.factories import PublishedFrameworkFactory, UserFactory, make_document
from tests.pages import csrf_tokens, without_csrf_tokens

pytestmark = pytest.mark.django_db

ANONYMOUS = AnonymousUser()
REDIS = "django.core.cache.backends.redis.RedisCache"


@pytest.fixture
def shared(settings):
    """The lookup cache on, as with a cache shared by every process."""
    settings.CAREERFRAME_VERSION_CACHE = True


@pytest.fixture
def framework(shared, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return PublishedFrameworkFactory(slug="design")


@pytest.mark.parametrize(
    ("configured", "backend", "expected"),
    [
        (None, "django.core.cache.backends.locmem.LocMemCache", False),
        (None, "django.core.cache.backends.dummy.DummyCache", False),
        (None, REDIS, True),
        (None, "django.core.cache.backends.memcached.PyMemcacheCache", True),
        (True, "django.core.cache.backends.locmem.LocMemCache", True),
        (False, REDIS, False),
    ],
)
def test_on_only_where_every_process_shares_the_cache(settings, configured, backend, expected):
    settings.CAREERFRAME_VERSION_CACHE = configured
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "127.0.0.1:1"}}
    assert lookup_cache.enabled() is expected


def test_off_by_default_in_each_process_memory(django_assert_num_queries):
    framework = PublishedFrameworkFactory(slug="design")
    for _ in range(2):
        with django_assert_num_queries(1):
            assert get_published_version_or_404(ANONYMOUS, "design").framework == framework


def test_the_second_lookup_makes_no_query(framework, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = get_published_version_or_404(ANONYMOUS, "design")
    with django_assert_num_queries(0):
        second = get_published_version_or_404(ANONYMOUS, "design")
    assert second.pk == first.pk and second.framework.name == framework.name
    assert second is not first  # each caller gets its own copy to use


def test_numbered_versions_are_kept_apart(framework, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version_publish(framework=framework)
    assert get_published_version_or_404(ANONYMOUS, "design").number == 2
    assert get_published_version_or_404(ANONYMOUS, "design", 1).number == 1
    assert get_published_version_or_404(ANONYMOUS, "design").number == 2


def test_publishing_shows_the_new_version_at_once(framework, django_capture_on_commit_callbacks):
    assert get_published_version_or_404(ANONYMOUS, "design").number == 1
    with django_capture_on_commit_callbacks(execute=True):
        draft_replace(framework=framework, document=make_document(levels=4))
        version_publish(framework=framework)
    assert get_published_version_or_404(ANONYMOUS, "design").number == 2
    client = Client()
    response = client.get(reverse("ladders:framework-detail", kwargs={"slug": "design"}))
    assert response.status_code == 200
    assert response.context["version"].number == 2


def test_making_a_framework_members_only_hides_it_at_once(
    framework, django_capture_on_commit_callbacks
):
    page = reverse("ladders:framework-detail", kwargs={"slug": "design"})
    assert Client().get(page).status_code == 200
    framework.visibility = Visibility.MEMBERS
    with django_capture_on_commit_callbacks(execute=True):
        framework.save()
    assert Client().get(page).status_code == 404
    member = Client()
    member.force_login(UserFactory())
    assert member.get(page).status_code == 200  # the access check is per user, never kept


def test_the_admin_renaming_a_slug_is_seen_at_once(framework, django_capture_on_commit_callbacks):
    get_published_version_or_404(ANONYMOUS, "design")
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:roles_framework_change", args=[framework.pk])
    form = admin.get(change).context["adminform"].form
    data = {name: form[name].value() for name in ("name", "description", "visibility")}
    data.update(
        slug="product-design",
        editors=[],
        **{"versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(change, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    with pytest.raises(Http404):
        get_published_version_or_404(ANONYMOUS, "design")
    assert get_published_version_or_404(ANONYMOUS, "product-design").framework.pk == framework.pk


def test_deleting_a_framework_is_seen_at_once(framework, django_capture_on_commit_callbacks):
    get_published_version_or_404(ANONYMOUS, "design")
    with django_capture_on_commit_callbacks(execute=True):
        Framework.objects.get(pk=framework.pk).delete()
    with pytest.raises(Http404):
        get_published_version_or_404(ANONYMOUS, "design")


def test_nothing_is_seen_before_the_change_commits(framework, django_capture_on_commit_callbacks):
    """A publish still in its transaction must not outdate the lookups yet: a request in
    between would read the old rows and keep them under the new generation."""
    before = cache.get(lookup_cache.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version_publish(framework=framework)
    assert cache.get(lookup_cache.GENERATION_KEY) == before
    assert callbacks  # the forgetting waits for the commit
    for callback in callbacks:
        callback()
    assert cache.get(lookup_cache.GENERATION_KEY) != before


def test_a_lookup_read_while_a_change_commits_is_not_kept_for_long(framework):
    """The generation is read before the rows: a change committed in between outdates the
    entry, so the next request reads again."""
    calls = []

    def load():
        calls.append(1)
        lookup_cache.forget()  # another process commits a publish meanwhile
        return framework.versions.get(number=1)

    lookup_cache.published_version("design", None, load)
    lookup_cache.published_version("design", None, load)
    assert len(calls) == 2


def test_unknown_slugs_are_not_kept(shared, django_assert_num_queries):
    for _ in range(2):
        with django_assert_num_queries(1), pytest.raises(Http404):
            get_published_version_or_404(ANONYMOUS, "no-such-framework")
    assert cache.get("careerframe:versions:no-such-framework:current") is None


def test_an_evicted_generation_outdates_every_entry(framework, django_assert_num_queries):
    get_published_version_or_404(ANONYMOUS, "design")
    cache.delete(lookup_cache.GENERATION_KEY)  # evicted by the cache's memory limit
    with django_assert_num_queries(1):
        get_published_version_or_404(ANONYMOUS, "design")
    with django_assert_num_queries(0):
        get_published_version_or_404(ANONYMOUS, "design")


def test_a_cached_anonymous_page_makes_no_query(framework, django_assert_max_num_queries):
    page = reverse(
        "ladders:position-detail", kwargs={"slug": "design", "role": "role-1", "level": "l2"}
    )
    client = Client()
    assert client.get(page).status_code == 200
    with django_assert_max_num_queries(0):
        assert client.get(page).status_code == 200  # the whole anonymous page, from the cache


def test_clear_cache_forgets_what_a_restore_changed_behind_the_app(framework):
    """A restore (here: rows changed without the ORM's signals) is seen after
    ``manage.py clear_cache``."""
    assert get_published_version_or_404(ANONYMOUS, "design").number == 1
    Framework.objects.filter(pk=framework.pk).update(visibility=Visibility.MEMBERS)
    assert get_published_version_or_404(ANONYMOUS, "design").number == 1  # still kept
    out = io.StringIO()
    call_command("clear_cache", stdout=out)
    assert "Cleared the 'default' cache." in out.getvalue()
    with pytest.raises(Http404):
        get_published_version_or_404(ANONYMOUS, "design")


# --- whole pages for visitors, ahead of the view (ladders.caching.visitor_pages) -------------

POSITION_PAGE = reverse_lazy(
    "ladders:position-detail", kwargs={"slug": "design", "role": "role-1", "level": "l2"}
)


@pytest.fixture
def no_view_runs(monkeypatch):
    """Fails the test if a read view looks its version up (the page must come whole)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the view ran")

    def arm():
        monkeypatch.setattr(lookup_cache, "published_version", refuse)

    return arm


def test_a_visitors_repeat_page_comes_whole_before_the_view(
    framework, no_view_runs, django_assert_num_queries
):
    first = Client().get(POSITION_PAGE)
    assert first.status_code == 200
    no_view_runs()
    with django_assert_num_queries(0):
        again = Client().get(POSITION_PAGE)
    assert again.status_code == 200
    assert csrf_tokens(first) and csrf_tokens(again)
    assert without_csrf_tokens(again) == without_csrf_tokens(first)
    assert again["ETag"] and again["Cache-Control"] == "private, no-cache"
    assert again["Last-Modified"] == first["Last-Modified"]


def test_each_visitor_gets_their_own_csrf_token_and_a_304_for_their_copy(framework):
    Client().get(POSITION_PAGE)
    ann, bob = Client(), Client()
    ann.get(POSITION_PAGE)  # sets ann's CSRF cookie, which the ETag then includes
    ann_page, bob_page = ann.get(POSITION_PAGE), bob.get(POSITION_PAGE)
    assert csrf_tokens(ann_page) != csrf_tokens(bob_page)
    repeat = ann.get(POSITION_PAGE, HTTP_IF_NONE_MATCH=ann_page["ETag"])
    assert repeat.status_code == 304
    assert bob.get(POSITION_PAGE, HTTP_IF_NONE_MATCH=ann_page["ETag"]).status_code == 200


def test_a_publish_is_on_the_visitors_page_at_once(framework, django_capture_on_commit_callbacks):
    document = make_document()
    assert "Reworded for version two." not in Client().get(POSITION_PAGE).content.decode()
    statement = next(e for e in document["expectations"] if e["position"] == "role-1.l2")
    statement["text"] = "Reworded for version two."
    with django_capture_on_commit_callbacks(execute=True):
        draft_replace(framework=framework, document=document)
        version_publish(framework=framework)
    page = Client().get(POSITION_PAGE)
    assert page.context["version"].number == 2
    assert "Reworded for version two." in page.content.decode()


def test_a_framework_made_members_only_leaves_no_page_for_visitors(
    framework, django_capture_on_commit_callbacks
):
    assert Client().get(POSITION_PAGE).status_code == 200
    framework.visibility = Visibility.MEMBERS
    with django_capture_on_commit_callbacks(execute=True):
        framework.save()
    assert Client().get(POSITION_PAGE).status_code == 404


def test_languages_and_members_get_their_own_pages(framework):
    english = Client().get(POSITION_PAGE).content.decode()
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl").get(POSITION_PAGE)
    assert dutch["Content-Language"] == "nl"
    assert dutch.content.decode() != english
    member = Client()
    member.force_login(UserFactory(username="qz-member"))
    assert "qz-member" in member.get(POSITION_PAGE).content.decode()


def test_pages_rendered_while_a_change_commits_are_not_served_after_it(
    framework, django_capture_on_commit_callbacks, monkeypatch
):
    """The generation is read before the view renders: a publish committed in between (here:
    while the view looks its version up) outdates the page it renders from the old rows."""
    real = lookup_cache.published_version

    def publish_meanwhile(*args, **kwargs):
        found = real(*args, **kwargs)
        monkeypatch.setattr(lookup_cache, "published_version", real)
        with django_capture_on_commit_callbacks(execute=True):
            version_publish(framework=framework)
        return found

    monkeypatch.setattr(lookup_cache, "published_version", publish_meanwhile)
    assert Client().get(POSITION_PAGE).context["version"].number == 1  # rendered from v1
    assert Client().get(POSITION_PAGE).context["version"].number == 2
