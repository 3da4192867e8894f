"""Hidden sources and muted words apply on every surface a reader sees, at once and to what is already
stored, and a page says what it left out with a way to show it."""

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cupure.accounts.models import ApiToken, Profile
from cupure.news.models import Article, Story, Topic
from cupure.readers.models import Follow, Mute

from .personas import news_day, reader

pytestmark = pytest.mark.django_db

WORDS = ["twitter", "turkey", "geldof", "crypto", "peaches", "ban", "erdogan", "bitcoin", "tribute", "dns tricks"]


def surfaces(client, token: str, feed_key: str) -> dict[str, str]:
    """Every page, feed and API list a signed-in reader (and their token) reads, as text."""
    pages = ["/", "/section/world/", "/for-you/", "/search/?q=twitter", "/search/?q=geldof", "/search/?q=crypto"]
    pages += [t.get_absolute_url() for t in Topic.objects.filter(hidden=False)]
    pages += [s.get_absolute_url() for s in Story.objects.filter(merged_into__isnull=True)]
    pages += [f"/you/{feed_key}/for-you/rss/"]
    out = {p: client.get(p).content.decode() for p in pages}
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for p in ("/api/v1/articles", "/api/v1/stories", "/api/v1/stories/top", "/api/v1/search?q=twitter"):
        out[p] = client.get(p, **auth).content.decode()
    return out


def leaks(text: str, arts: list[Article]) -> list[str]:
    plain = html.unescape(text)
    return [a.title for a in arts if a.title in plain or a.get_absolute_url() in text]


@pytest.fixture
def day(client, settings):
    settings.PAGE_CACHE = True  # as in production: shared fragments must not carry one reader's mutes to another
    outlets, stories = news_day()
    ana = reader("ana")
    for t in Topic.objects.filter(hidden=False):
        Follow.objects.create(user=ana, topic=t)
    client.force_login(ana)
    _, token = ApiToken.issue(ana, "reader app")
    return ana, outlets, token, Profile.of(ana).personal_feed_key()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    phrases=st.lists(st.sampled_from(WORDS), max_size=3, unique=True),
    hidden=st.lists(
        st.sampled_from(["Daily Planet", "Gotham Gazette", "Metropolis Post", "Star City Sun"]), max_size=2, unique=True
    ),
)
def test_nothing_muted_or_hidden_leaks_onto_any_surface(client, day, phrases, hidden):
    ana, outlets, token, key = day
    Mute.objects.filter(user=ana).delete()
    for p in phrases:
        Mute.objects.create(user=ana, phrase=p)
    for name in hidden:
        Mute.objects.create(user=ana, source=outlets[name])
    rules = Mute.rules_for(ana)
    muted = [a for a in Article.objects.all() if rules.reason(a.title, a.summary, a.source_id)]
    for where, text in surfaces(client, token, key).items():
        assert not leaks(text, muted), (where, phrases, hidden)


def test_a_new_mute_holds_on_the_next_page_and_says_so(client, day):
    ana, outlets, token, key = day
    home = client.get("/").content.decode()
    assert "Crypto exchange halts withdrawals" in home
    client.post("/you/muted/", {"phrase": "  CRYPTO "})
    home = client.get("/").content.decode()
    assert "Crypto exchange halts withdrawals" not in home
    assert "1 article is hidden (muted: &#x27;CRYPTO&#x27;)" in home
    shown = client.get("/?muted=show").content.decode()
    assert "Crypto exchange halts withdrawals" in shown and "Hide it again" in shown
    assert "CRYPTO" in client.get("/you/muted/").content.decode()


def test_hiding_a_source_keeps_its_stories_led_by_another(client, day):
    ana, outlets, token, key = day
    turkey = Article.objects.get(title="Turkey blocks Twitter ahead of local elections").story
    lead_source = turkey.lead.source
    client.post("/you/hide-source/", {"id": lead_source.pk})
    home = client.get("/").content.decode()
    assert turkey.lead.title not in home
    assert any(a.title in home for a in turkey.articles.exclude(source=lead_source))  # the story stays
    page = client.get(turkey.get_absolute_url()).content.decode()
    assert turkey.lead.title not in page and "hidden source: " + lead_source.name in page
    assert f"You hide {lead_source.name}" in client.get(lead_source.get_absolute_url()).content.decode()
    client.post("/you/hide-source/", {"id": lead_source.pk, "action": "show"})
    assert turkey.lead.title in client.get("/").content.decode()


def test_bad_mutes_are_refused_with_a_reason(client, day):
    resp = client.post("/you/muted/", {"phrase": "!!!"})
    assert resp.status_code == 400 and "Type a word or a phrase" in resp.content.decode()
    resp = client.post("/you/muted/", {"phrase": "a b c d e f g h i"})
    assert resp.status_code == 400 and "at most 8 words" in resp.content.decode()
    assert not Mute.objects.exists()


def test_api_with_a_bad_token_says_so_and_without_one_is_everybodys(client, day):
    ana, outlets, token, key = day
    Mute.objects.create(user=ana, phrase="crypto")
    assert client.get("/api/v1/articles", HTTP_AUTHORIZATION="Bearer cpr_wrong").status_code == 401
    client.logout()
    everybody = client.get("/api/v1/articles").json()
    assert any(a["title"].startswith("Crypto") for a in everybody["items"]) and everybody["hidden"] == 0
    mine = client.get("/api/v1/articles", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert not any(a["title"].startswith("Crypto") for a in mine["items"]) and mine["hidden"] == 1


def test_other_readers_and_anonymous_pages_are_untouched(client, day):
    ana, outlets, token, key = day
    Mute.objects.create(user=ana, phrase="crypto")
    client.logout()
    assert "Crypto exchange halts withdrawals" in client.get("/").content.decode()
    client.force_login(reader("bo"))
    assert "Crypto exchange halts withdrawals" in client.get("/").content.decode()
    assert not re.search(r"hidden \(", client.get("/").content.decode())
