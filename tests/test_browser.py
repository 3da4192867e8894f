"""A reader and a moderator in a real browser (Playwright driving Debian's Chromium), no JavaScript needed
by the site: sign up, comment, reply, edit; a moderator removes a comment; "/" focuses the search box."""

import pytest

from .personas import PASSWORD
from .server import live_site, sqlite_only

# Live sites serve SQLite whatever the pass: these run once, in the SQLite pass.
pytestmark = sqlite_only

SEED = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from cupure.accounts.models import Profile
from cupure.news.models import Article
from cupure.sources.models import Source

s = Source.objects.create(name="City Times", slug="city-times")
Article.objects.create(source=s, url="https://city.example/1", canonical_url="https://city.example/1",
                       title="Council approves the tram", text="The council voted.", published_at=timezone.now())
mo = get_user_model().objects.create_user("mo", "mo@example.org", {PASSWORD!r}, is_staff=True)
Profile.objects.create(user=mo)
"""


@pytest.fixture
def browser_page(browser):
    page = browser.new_page()
    page.set_default_timeout(15_000)
    return page


def test_reader_and_moderator(tmp_path, browser_page):
    page = browser_page
    with live_site(tmp_path) as site:
        site.manage(code=SEED)
        page.goto(site.url + "/article/1/")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "q"

        site.sign_up_page(page, "ana")
        page.wait_for_url("**/article/1/**")

        page.fill("#body-new", "Trams at *last*.")
        page.click("button:has-text('Post comment')")
        page.wait_for_selector(".comment-body em:has-text('last')")

        first = page.locator("li.comment").first
        first.locator("summary:has-text('Reply')").click()
        first.locator("textarea").fill("Replying to myself, on second thought.")
        first.locator("button:has-text('Reply')").click()
        page.wait_for_selector("ol.replies .comment-body:has-text('second thought')")

        page.locator("ol.replies li.comment a:has-text('Edit')").click()
        page.fill("#body", "Replying to myself, edited.")
        page.click("button:has-text('Save')")
        page.wait_for_selector("ol.replies .comment-body:has-text('edited')")
        assert "second thought" not in page.content()

        page.click("button:has-text('Log out')")
        page.click("text=Log in")
        page.fill("#id_username", "mo")
        page.fill("#id_password", PASSWORD)
        page.click("button:has-text('Log in')")
        page.goto(site.url + "/article/1/")
        reply = page.locator("ol.replies li.comment")
        reply.locator("summary:has-text('Moderate')").click()
        reply.locator("form.moderate input[name=reason]").fill("off topic")
        reply.locator("button:has-text('Remove')").click()
        page.wait_for_selector("text=Removed the comment by ana")

        page.click("button:has-text('Log out')")
        page.goto(site.url + "/article/1/")
        html = page.content()
        assert "Trams at" in html and "edited" not in html
