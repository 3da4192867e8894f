"""The admin as an operator meets it at 1280 px: a source's feeds and the feed list fit the window (no table
cut at the right edge, whatever the feed's URL or error), and the models are named in good English."""

from .conftest import ARTIFACTS
from .personas import PASSWORD
from .server import live_site, sqlite_only

# Live sites serve SQLite whatever the pass: these run once, in the SQLite pass.
pytestmark = sqlite_only

SEED = f"""
from django.contrib.auth import get_user_model
from cupure.sources.models import Feed, Source

s = Source.objects.create(name="City Times", slug="city-times", site_url="https://city.example/")
for n in range(3):
    Feed.objects.create(source=s, url="https://feeds.city.example/" + "very-long-section-name/" * 6 + f"{{n}}.xml",
                        title=f"City Times section {{n}}", error_count=2,
                        last_error="HTTP 503 Service Unavailable: " + "the upstream server said no " * 12)
get_user_model().objects.create_superuser("root", "root@example.org", {PASSWORD!r})
"""


def test_the_feed_tables_fit_a_laptop_screen(tmp_path, browser):
    with live_site(tmp_path) as site:
        site.manage(code=SEED)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(site.url + "/admin/login/")
        page.fill("#id_username", "root")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url("**/admin/")
        assert "Feed entries" in page.content() and "Feed entrys" not in page.content()
        for path, name in (("/admin/sources/source/1/change/", "source"), ("/admin/sources/feed/", "feeds")):
            page.goto(site.url + path)
            page.screenshot(path=str(ARTIFACTS / f"admin-{name}-1280.png"), full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 1280, f"{path} is {width} px wide at 1280 px"
            # The admin scrolls a wide table inside its box: that cuts it as surely.
            cut = page.evaluate(
                "[...document.querySelectorAll('.results, .tabular')].some(e => e.scrollWidth > e.clientWidth + 1)"
            )
            assert not cut, f"a table on {path} is wider than its box"
