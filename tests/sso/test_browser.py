"""Single sign-on in a real browser: the login page passes axe, the button leads through the
provider's page back into careerframe."""

from __future__ import annotations

import re

import pytest

from sso.models import TargetKind
from tests.browser.test_journeys import check
from tests.browser_fixtures import watch_errors
from tests.sso.factories import GroupMappingFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:get_jwt_config:DeprecationWarning"),
]


@pytest.fixture
def offline_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch_errors(page)
    # The provider's page loads a stylesheet from a CDN; the tests never leave this machine.
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    yield page
    context.close()


def test_hr_logs_in_with_single_sign_on(live_server, offline_page, provider, transactional_db):
    GroupMappingFactory(claim_value="design-hr", target=TargetKind.HR)
    provider.set_user("ada", email="ada@example.com", name="Ada Lovelace", groups=["design-hr"])
    page = offline_page

    page.goto(f"{live_server.url}/login/?next=/people/import/")
    check(page)
    page.get_by_role("link", name="Log in with single sign-on").click()
    page.get_by_placeholder("sub").fill("ada")
    page.get_by_role("button", name="Authorize").click()

    page.wait_for_url(re.compile(r"/people/import/$"))
    page.get_by_role("heading", level=1).wait_for()
    assert "ada" in page.locator("header").inner_text()


def test_the_single_sign_on_only_login_page_is_accessible(
    live_server, offline_page, settings, transactional_db
):
    settings.OIDC_ISSUER = "https://id.example.com"
    settings.OIDC_RP_CLIENT_ID = "careerframe"
    settings.LOCAL_LOGIN = False
    page = offline_page

    page.goto(f"{live_server.url}/login/")

    check(page)
    assert page.get_by_label("Password").count() == 0
    page.get_by_role("link", name="Log in with single sign-on").wait_for()
