"""The main journeys in a real browser, with axe-core checking every page they pass through.

- a designer browses their framework, a position, compares two levels, opens the path map;
- a reviewer reads the round and approves;
- a lead rates a criterion of an assessment;
- HR downloads an export;
- the path map and the draft editor are used with the keyboard only.

axe-core comes from npm (package.json) and is injected into each page; every WCAG 2.x A/AA
rule must pass. The demo data (``load_demo``) gives every actor something to do.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from reviews.models import Assessment, Decision, ReviewRound
from roles.models import Expectation, Framework
from roles.services import draft_get
from tests.reviews.factories import SEEDED_GROUPS, StakeholderGroupFactory

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SLUG = "customer-success-design"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def demo(transactional_db):
    # A transactional test run earlier flushed the stakeholder groups the migration seeds.
    for name in SEEDED_GROUPS:
        StakeholderGroupFactory(name=name)
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def axe_violations(page) -> list[str]:
    """axe-core's violations on the current page, one readable line each."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (axe-core is a dev dependency)")
    # Evaluated through the DevTools protocol: the page's own CSP refuses inline scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate(f"axe.run(document, {json.dumps(AXE_OPTIONS)})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def check(page) -> None:
    """axe-core finds nothing, and the browser reported no CSP refusal or script error."""
    violations = axe_violations(page)
    assert violations == [], f"{page.url}\n" + "\n".join(violations)
    refused = [e for e in page.console_errors if "404" not in e]  # a missing page is tested
    assert refused == [], f"{page.url}\n" + "\n".join(refused)


def log_in(page, live_server, username: str, next_path: str = "/") -> None:
    page.goto(f"{live_server.url}/login/?next={next_path}")
    check(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")
    page.locator("main").get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_url(re.compile(re.escape(next_path) + "$"))


def test_designer_browses_compares_and_follows_the_path_map(live_server, page, demo):
    log_in(page, live_server, "viewer", "/")
    check(page)
    page.get_by_role("link", name=re.compile("Customer Success Design")).first.click()
    page.get_by_role("heading", level=1, name=re.compile("Customer Success Design")).wait_for()
    check(page)

    page.goto(f"{live_server.url}/frameworks/{SLUG}/roles/design/")
    check(page)
    page.goto(f"{live_server.url}/frameworks/{SLUG}/roles/design/levels/mid/")
    page.get_by_role("heading", level=1).wait_for()
    check(page)

    page.goto(f"{live_server.url}/frameworks/{SLUG}/compare/?from=design.mid&to=design.senior")
    check(page)
    page.goto(f"{live_server.url}/frameworks/{SLUG}/search/?q=research")
    check(page)
    page.goto(f"{live_server.url}/frameworks/{SLUG}/paths/")
    check(page)
    for path in ("/people/", "/assessments/", "/notifications/", "/account/settings/"):
        page.goto(live_server.url + path)
        check(page)


def test_reviewer_opens_the_round_and_approves(live_server, page, demo):
    log_in(page, live_server, "stakeholder", "/reviews/")
    check(page)
    page.get_by_role("link", name=re.compile("Customer Success Design")).first.click()
    page.get_by_role("button", name=re.compile(r"Approve r\d")).wait_for()
    check(page)
    page.get_by_role("button", name=re.compile(r"Approve r\d")).click()
    page.get_by_text(re.compile(r"Recorded: approve on r\d")).wait_for()
    check(page)
    round = ReviewRound.objects.get()
    assert Decision.objects.filter(round=round, verdict="approve").exists()
    page.goto(f"{live_server.url}/frameworks/{SLUG}/diff/")
    check(page)


def test_lead_rates_a_criterion_with_evidence(live_server, page, demo):
    log_in(page, live_server, "lead", "/assessments/")
    check(page)
    draft = Assessment.objects.filter(status="draft").order_by("pk").first()
    page.goto(f"{live_server.url}/assessments/{draft.pk}/")
    check(page)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/edit/")
    check(page)
    radio = page.locator("main input[type=radio]:not(:checked)").first
    criterion, value = radio.get_attribute("name").rsplit("-", 1)[0], radio.get_attribute("value")
    radio.check()
    page.locator("main").get_by_role("button", name=re.compile("Save draft")).click()
    page.wait_for_load_state("networkidle")
    check(page)
    assert draft.ratings.get(criterion_key=criterion).rating == value


def test_hr_exports_a_framework_and_visits_the_hr_pages(live_server, page, demo):
    log_in(page, live_server, "hr", "/people/")
    check(page)
    for path in ("/people/distribution/", f"/frameworks/{SLUG}/pay/", "/assessments/"):
        page.goto(live_server.url + path)
        check(page)
    page.goto(f"{live_server.url}/frameworks/{SLUG}/")
    check(page)
    page.locator("details.cf-export-menu summary").first.click()
    with page.expect_download() as download:
        page.locator("details.cf-export-menu a[href*='format=csv']").first.click()
    assert download.value.suggested_filename.endswith(".csv")
    assert "level_order" in Path(download.value.path()).read_text().splitlines()[0]


def test_the_path_map_works_with_the_keyboard_alone(live_server, page, demo):
    page.goto(f"{live_server.url}/frameworks/{SLUG}/paths/")
    check(page)
    # Tab from the top of the page to the first link of the map, then follow it with Enter.
    links = page.locator("main a")
    target = links.filter(has_text=re.compile("Mid|Senior|Junior")).first
    href = target.get_attribute("href")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            break
    else:
        pytest.fail(f"Tab never reached {href} on the path map")
    focus_visible = page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle !== 'none'"
        " || getComputedStyle(document.activeElement).boxShadow !== 'none'"
    )
    assert focus_visible, "the focused link has no visible focus indicator"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(href) + "$"))


def test_a_statement_is_edited_with_the_keyboard_alone(live_server, page, demo):
    log_in(page, live_server, "author", f"/frameworks/{SLUG}/draft/")
    check(page)
    page.goto(f"{live_server.url}/frameworks/{SLUG}/draft/roles/design/matrix/")
    check(page)
    first_edit = page.locator("main a[href*='/expectations/'][href*='/edit/']").first
    key = first_edit.get_attribute("href").split("/expectations/")[1].split("/")[0]
    draft = draft_get(framework=Framework.objects.get(slug=SLUG))
    statement = Expectation.objects.get(version=draft, key=key)
    # Tab to the first statement's edit control and open it with Enter.
    for _ in range(400):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if f"/expectations/{key}/edit/" in href:
            break
    else:
        pytest.fail("Tab never reached the statement's edit link")
    page.keyboard.press("Enter")
    field = page.locator(f"[id='exp-{key}'] textarea")
    field.wait_for()
    assert page.evaluate("document.activeElement.tagName") in {"TEXTAREA", "INPUT", "A", "BUTTON"}
    field.fill("")  # clear it; the new words are typed key by key
    page.keyboard.type("Edited with the keyboard alone.")
    # Tab to the save button and press it.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()").startswith("Save"):
            break
    else:
        pytest.fail("Tab never reached the Save button")
    page.keyboard.press("Enter")
    page.get_by_text("Edited with the keyboard alone.").first.wait_for()
    statement.refresh_from_db()
    assert statement.text == "Edited with the keyboard alone."
