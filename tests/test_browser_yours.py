"""A new reader in a real browser (Playwright driving Debian's Chromium): signs up, follows a topic, saves a
story with the keyboard, mutes a word, hides a source, asks for a daily digest and receives it (the console
email backend prints it). Screenshots of For you at desktop and phone widths are kept under
``test-artifacts/`` for a person to look at."""

from .conftest import ARTIFACTS
from .server import live_site, sqlite_only

# Live sites serve SQLite whatever the pass: these run once, in the SQLite pass.
pytestmark = sqlite_only


SEED = "from tests.personas import news_day; news_day()"
DIGEST = "from cupure.readers.digest import send_due_digests; print('sent', send_due_digests())"


def test_follow_save_mute_hide_and_digest(tmp_path, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(15_000)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with live_site(tmp_path) as site:
        site.manage(code=SEED)
        page.goto(site.url + "/")
        assert "Crypto exchange halts withdrawals" in page.content()
        site.sign_up_page(page, "ana")

        # Follow a topic from its page; For you now leads with its story and says why.
        page.goto(site.url + "/search/?q=geldof")
        page.goto(site.url + "/")
        page.click("nav.account >> text=For you")
        assert "You follow nothing yet" in page.content()
        page.goto(site.url + "/topic/peaches-geldof/")
        page.click("button:has-text('Follow')")
        page.wait_for_selector("button:has-text('Following ✓')")
        page.click("nav.account >> text=For you")
        first = page.locator("ol.for-you li.card").first
        assert "Peaches Geldof" in first.inner_text() and "You follow Peaches Geldof" in first.inner_text()

        # Keys: j picks the first card, o opens it, s saves the story, ? lists the keys.
        page.keyboard.press("j")
        assert page.locator("li.card.current").count() == 1
        page.keyboard.press("o")
        page.wait_for_url("**/story/**")
        page.keyboard.press("s")
        page.wait_for_selector("button:has-text('Saved ✓')")
        page.keyboard.press("?")
        assert page.locator("#keys-help").is_visible()
        page.click("nav.account >> text=Read later")
        assert "Peaches Geldof" in page.locator("ol.saved").inner_text()

        # Mute a word: gone from the home page at once, and the page says so.
        page.goto(site.url + "/you/muted/")
        page.fill("#phrase", "crypto")
        page.click("button:has-text('Mute')")
        page.goto(site.url + "/")
        assert "Crypto exchange halts withdrawals" not in page.content()
        assert "1 article is hidden (muted: 'crypto')" in page.locator(".hidden-note").inner_text()

        # Hide a source from one of its articles.
        page.goto(site.url + "/search/?q=dns")
        page.click("ol.results h2 a")
        source = page.locator("article header .meta a").first.inner_text()
        page.click(f"button:has-text('Hide {source}')")
        page.goto(site.url + "/")
        assert "Turkish users dodge Twitter ban" not in page.content()

        # A daily digest, chosen in settings, arrives by the console backend.
        page.goto(site.url + "/accounts/settings/")
        page.select_option("#id_digest", "daily")
        page.click("button:has-text('Save')")
        page.wait_for_selector("text=Your settings are saved")
        out = site.manage(code=DIGEST)
        assert "sent 1" in out and "Subject: Your cupure day: Peaches Geldof" in out
        assert "ana@example.org" in out and "Crypto" not in out and "/you/unsubscribe/" in out

        page.goto(site.url + "/for-you/")
        page.screenshot(path=str(ARTIFACTS / "for-you-1280.png"), full_page=True)
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.context.add_cookies(page.context.cookies())
        phone.goto(site.url + "/for-you/")
        phone.screenshot(path=str(ARTIFACTS / "for-you-390.png"), full_page=True)
    assert not errors, errors
