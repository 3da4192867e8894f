"""The site as a reader and an operator meet it, in Chromium on a laptop (1280 px) and a phone (390 px): pictures
from cupure's own origin, site-styled error pages, comment feedback where the comment is, search that
suggests and groups, the operator's sources and table, and a first start without internet that explains
itself. Screenshots of each step are kept under test-artifacts/ (named by width)."""

import re

import pytest

from .conftest import ARTIFACTS
from .server import live_site, sqlite_only

# Live sites serve SQLite whatever the pass: these run once, in the SQLite pass.
pytestmark = sqlite_only

SEED = """
import io
from PIL import Image
from tests.personas import reader, trending_day
from cupure.news.models import Article, ArticlePicture
from cupure.sources.models import Feed, Source

trending_day()
reader("bo")
reader("mo", staff=True)
def jpeg(w, h):
    out = io.BytesIO()
    Image.new("RGB", (w, h), (40, 90, 160)).save(out, "JPEG")
    return out.getvalue()
for a in Article.objects.all():
    ArticlePicture.objects.create(article=a, thumb=jpeg(160, 90), lead=jpeg(640, 360), width=640, height=360)
Article.objects.update(has_picture=True)
Feed.objects.create(source=Source.objects.get(name="Daily Planet"), url="https://planet.example/feed",
                    error_count=3, last_error="could not resolve planet.example")
"""

WIDTHS = {"laptop": (1280, 900), "phone": (390, 844)}


def shot(page, width: str, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"tour-{width}-{name}.png"), full_page=True)


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect();"
        " return r.bottom > 0 && r.top < window.innerHeight; })()"
    )


# Words the browser broke across two lines ("databa / se"): a word whose range has more than one line box.
BROKEN_WORDS = """sel => [...document.querySelectorAll(sel)].flatMap(cell => {
  const out = [], walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) for (const m of n.data.matchAll(/\\S+/g)) {
    const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
    const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
    if (tops.size > 1) out.push(m[0]);
  }
  return out; })"""


@pytest.mark.parametrize("width", WIDTHS)
def test_a_tour_of_the_site(tmp_path, browser, width):
    w, h = WIDTHS[width]
    with live_site(tmp_path) as site:
        site.manage(code=SEED)
        page = browser.new_page(viewport={"width": w, "height": h})
        page.set_default_timeout(15_000)

        # Pictures: lists carry thumbnails, and every picture comes from cupure, never from a publisher.
        page.goto(site.url + "/")
        cards = page.evaluate("[...document.querySelectorAll('main li.card')].map(c => !!c.querySelector('img.thumb'))")
        assert len(cards) >= 2 and all(cards), cards
        sources = page.evaluate("[...document.images].map(i => i.currentSrc || i.src)")
        assert sources and all(s.startswith(site.url + "/") for s in sources), sources
        page.wait_for_load_state("networkidle")
        shown = page.evaluate(
            "[...document.images].filter(i => i.getBoundingClientRect().top < innerHeight)"
            ".map(i => i.complete && i.naturalWidth)"
        )
        assert shown and all(shown), "a thumbnail in sight did not load"
        shot(page, width, "home")

        # An article: its lead picture (described), its time with a zone, its story, its publisher.
        page.goto(site.url + "/article/1/")
        assert page.get_attribute("img.lead", "alt")
        assert page.evaluate("document.querySelector('img.lead').naturalWidth") == 640
        stamp = page.inner_text("main .meta time")
        assert stamp.endswith(("UTC", "GMT")) or stamp.split()[-1].isupper(), stamp
        assert "Read at source: " + page.inner_text("main .meta a[href^='/source/']") in page.inner_text(".source-link")
        assert re.fullmatch(r"Full coverage: \d sources, \d articles", page.inner_text(".full-coverage"))
        title = page.inner_text("main h1")
        shot(page, width, "article")
        page.click(".full-coverage a")
        assert "/story/" in page.url and title in page.inner_text("main")

        # Errors look like the site: its header and its search, and the icon browsers ask for first exists.
        response = page.goto(site.url + "/no-such-page/")
        assert response.status == 404
        assert page.locator("header.masthead").count() == 1 and page.locator("input[name=q]").count() >= 1
        assert page.request.get(site.url + "/favicon.ico").status == 200
        shot(page, width, "404")

        # Search: one card per story, a misspelling answered with the name the site knows, an unknown filter said.
        page.goto(site.url + "/search/?q=twitter")
        # The four Twitter-ban reports: each story once, the rest of its matches counted under it.
        more = [int(m.split()[0]) for m in page.locator(".more-in-story").all_inner_texts()]
        assert more and page.locator("ol.results > li").count() + sum(more) == 4, more
        overflow = page.evaluate(
            "(() => { const a = document.querySelector('aside.facets').getBoundingClientRect();"
            " return [...document.querySelectorAll('aside.facets .count')]"
            ".filter(c => c.getBoundingClientRect().right > a.right + 1).length; })()"
        )
        assert overflow == 0, "a facet count sticks out of the sidebar"
        shot(page, width, "search")
        page.goto(site.url + "/search/?q=turky")
        page.click(".did-you-mean a")
        assert page.locator("ol.results > li").count() >= 1
        page.goto(site.url + "/search/?q=title:obama")
        assert "title:" in page.inner_text("p.notice")

        # Comments: a quote is set apart; Like says it took; a report is confirmed where the comment is.
        site.log_in_page(page, "ana")
        page.goto(site.url + "/article/1/")
        page.fill("#body-new", "> Ankara blocked the service\n\nAnd lifted it a week later.")
        page.click("button:has-text('Post comment')")
        quote = page.locator(".comment-body blockquote")
        assert quote.count() == 1
        assert quote.evaluate("q => parseFloat(getComputedStyle(q).borderLeftWidth)") > 0
        site.log_in_page(page, "bo")
        page.goto(site.url + "/article/1/")
        page.click("li.comment button:has-text('Like')")
        assert page.locator("li.comment button[aria-pressed=true]").inner_text().startswith("Liked")
        page.click("li.comment summary:has-text('Report')")
        page.fill("li.comment input[name=reason]", "off topic")
        page.click("li.comment form button:has-text('Report')")
        assert in_view(page, "li.comment p.notice"), "the report's confirmation is out of sight"
        shot(page, width, "comment")

        # The operator: a link to the operator view, its table words whole, feeds in error one click away,
        # the OPML export linked and the import on the page.
        site.log_in_page(page, "mo")
        page.click("header >> text=Operator")
        page.wait_for_url("**/operator/")
        assert page.evaluate(BROKEN_WORDS, "main table td, main table th") == []
        shot(page, width, "operator")
        page.goto(site.url + "/sources/")
        page.click("a.bad")
        assert "state=error" in page.url and "could not resolve planet.example" in page.inner_text("main")
        assert page.locator("text=Import an OPML file").count() == 1
        assert page.request.get(site.url + page.get_attribute("a:has-text('Download as OPML')", "href")).status == 200
        shot(page, width, "sources-errors")

    # A first start without internet: the home page says why it is empty and leads to the failing feeds.
    with live_site(tmp_path / "fresh") as site:
        site.manage(
            code="from cupure.sources.models import Feed, Source\n"
            "s = Source.objects.create(name='Planet', slug='planet')\n"
            "[Feed.objects.create(source=s, url=f'https://p{n}.example/feed', error_count=1,"
            " last_error='could not resolve p0.example') for n in range(3)]"
        )
        page.goto(site.url + "/")
        assert "All 3 feeds failed at their last poll" in page.inner_text("main")
        shot(page, width, "first-start")
        page.click("main a[href='/sources/?state=error']")
        assert page.locator("text=could not resolve p0.example").count() >= 1
