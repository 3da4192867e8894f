"""The site on a phone (390 x 844 in Chromium): the masthead stays at most 120 px tall on every kind of page,
signed in or not, with ten trending topics; sections and topics scroll sideways in one row; an article's
first paragraph starts above 400 px. Screenshots are kept under test-artifacts/."""

from .conftest import ARTIFACTS
from .server import live_site, sqlite_only

# Live sites serve SQLite whatever the pass: these run once, in the SQLite pass.
pytestmark = sqlite_only


SEED = "from tests.personas import trending_day; trending_day()"
PAGES = ["/", "/article/1/", "/story/1/", "/section/world/", "/topic/t-turkey/", "/search/?q=twitter", "/sources/"]


def test_masthead_on_a_phone(tmp_path, browser):
    with live_site(tmp_path) as site:
        site.manage(code=SEED)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        for who in ("anonymous", "signed-in"):
            if who == "signed-in":
                site.log_in_page(page, "ana")
                pages = PAGES + ["/for-you/", "/saved/", "/accounts/settings/"]
            else:
                pages = PAGES + ["/accounts/login/"]
            for path in pages:
                page.goto(site.url + path)
                header = page.evaluate("document.querySelector('header.masthead').getBoundingClientRect().height")
                assert header <= 120, (who, path, header)
                rows = page.evaluate(
                    "[...new Set([...document.querySelectorAll('.trending li, .sections li')]"
                    ".map(e => e.parentElement.className + Math.round(e.getBoundingClientRect().top)))].length"
                )
                assert rows <= 2, (who, path, "sections and trending topics each fit one row")
                sizes = page.evaluate(
                    "['h1', 'h2'].map(t => Math.max(0, ...[...document.querySelectorAll('main ' + t)]"
                    ".map(e => parseFloat(getComputedStyle(e).fontSize))))"
                )
                assert sizes[0] >= sizes[1], (who, path, "the page's heading is the largest", sizes)
            page.goto(site.url + "/article/1/")
            first = page.evaluate("document.querySelector('.article .body p').getBoundingClientRect().top")
            assert first < 400, (who, first)
            page.screenshot(path=str(ARTIFACTS / f"phone-article-{who}.png"))
            page.goto(site.url + "/")
            page.screenshot(path=str(ARTIFACTS / f"phone-home-{who}.png"))
            # Everything in the scrolling rows can be reached: the last account link is inside the row.
            last = page.evaluate(
                "(() => { const n = document.querySelector('nav.account'); n.scrollLeft = 1e6;"
                " const r = n.lastElementChild.getBoundingClientRect(); return r.right <= window.innerWidth + 1; })()"
            )
            assert last
