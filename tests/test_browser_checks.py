"""What a browser's own checks would find, at 1280 px, signed in and not: no console error on any kind of page,
no serious or critical accessibility violation (axe-core, as axe-playwright-python ships it), and every link
two levels deep from those pages answers 200."""

from urllib.parse import urldefrag, urlsplit

import lxml.html

from .server import live_site, sqlite_only

# Live sites serve SQLite whatever the pass: these run once, in the SQLite pass.
pytestmark = sqlite_only


SEED = "from tests.personas import trending_day; trending_day()"
PAGES = ["/", "/section/world/", "/story/1/", "/article/1/", "/topic/t-turkey/", "/search/?q=twitter", "/sources/"]
SIGNED_IN = ["/for-you/", "/saved/", "/accounts/settings/", "/you/muted/"]
MAX_LINKS = 400
# Links a crawl must not follow: they act (log out, unsubscribe) or are the admin's own world.
SKIP = ("/accounts/logout/", "/admin/", "/you/unsubscribe/")


def links_of(html: str, url: str, origin: str) -> set[str]:
    doc = lxml.html.fromstring(html, base_url=url)
    doc.make_links_absolute(url)
    out = set()
    for href in doc.xpath("//a/@href"):
        url = urldefrag(href)[0]
        if url.startswith(origin) and not urlsplit(url).path.startswith(SKIP):
            out.add(url)
    return out


def test_console_accessibility_and_links(tmp_path, browser):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    with live_site(tmp_path) as site:
        site.manage(code=SEED)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        serious, level_one = [], set()
        for who, pages in (
            ("anonymous", PAGES + ["/accounts/login/", "/accounts/signup/"]),
            ("ana", PAGES + SIGNED_IN),
        ):
            if who == "ana":
                site.log_in_page(page, "ana")
            for path in pages:
                response = page.goto(site.url + path)
                assert response.status == 200, (who, path, response.status)
                # The page's heading outranks its sections' headings in size too.
                sizes = page.evaluate(
                    "['h1', 'h2'].map(t => Math.max(0, ...[...document.querySelectorAll('main ' + t)]"
                    ".map(e => parseFloat(getComputedStyle(e).fontSize))))"
                )
                assert sizes[0] >= sizes[1], (who, path, sizes)
                for v in axe.run(page).response["violations"]:
                    if v["impact"] in ("serious", "critical"):
                        serious.append((who, path, v["id"], v["nodes"][0]["target"]))
                level_one |= links_of(page.content(), page.url, site.url)
        assert not errors, errors[:5]
        assert not serious, serious[:5]

        # Two levels deep, as the signed-in reader: every link answers 200 (redirects followed).
        seen, failures = set(), []
        frontier = sorted(level_one)
        for depth in (1, 2):
            found = set()
            for url in frontier[: MAX_LINKS - len(seen)]:
                seen.add(url)
                response = page.request.get(url)
                if response.status != 200:
                    failures.append((url, response.status))
                elif depth == 1 and "html" in response.headers.get("content-type", ""):
                    found |= links_of(response.text(), url, site.url)
            frontier = sorted(found - seen)
    assert len(seen) > 40, "the crawl found too few links to test anything"
    assert not failures, failures[:10]


def test_the_reader_chooses_light_or_dark_and_it_stays(tmp_path, browser):
    """The footer's switch goes auto -> light -> dark and back; the choice outlives a reload, overrides the
    system's setting either way, and leaves the page's HTML the same for everyone (it is kept in the browser)."""
    dark, light = "rgb(18, 19, 22)", "rgb(253, 253, 252)"
    with live_site(tmp_path) as site:
        site.manage(code=SEED)
        page = browser.new_page(color_scheme="light")

        def background():
            return page.evaluate("getComputedStyle(document.body).backgroundColor")

        page.goto(site.url + "/article/1/")
        switch = page.locator("#theme-switch")
        assert switch.inner_text() == "Theme: auto" and background() == light
        switch.click()
        switch.click()
        assert switch.inner_text() == "Theme: dark" and background() == dark
        page.goto(site.url + "/")  # another page, a fresh load: still dark, before and after it is drawn
        assert page.locator("#theme-switch").inner_text() == "Theme: dark" and background() == dark
        page.emulate_media(color_scheme="dark")
        page.locator("#theme-switch").click()
        assert background() == dark  # auto again: the system's dark
        page.locator("#theme-switch").click()
        assert page.locator("#theme-switch").inner_text() == "Theme: light" and background() == light
