"""Hostile text in comments, usernames and profiles renders inert: nothing in it can run."""

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from lxml import etree

from cupure.accounts.models import Profile
from cupure.comments.models import Comment

from .personas import PASSWORD, article, say

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    '![x](https://evil.example/x.png" onerror="alert(1))',
    '<a href="https://ok.example" onclick="alert(1)">ok</a>',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<form action=https://evil.example><button>go</button></form>",
    "<input autofocus onfocus=alert(1)>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<base href=https://evil.example/>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "`<script>alert(1)</script>`",
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[x](&#106;avascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<x onmouseover=alert(1)>hover</x>",
    "javascript:alert(1)",
    "https://ok.example/<script>alert(1)</script>",
    "\u202e<script>alert(1)</script>",
]

BAD_TAGS = {
    "script",
    "iframe",
    "svg",
    "math",
    "object",
    "embed",
    "style",
    "form",
    "input",
    "base",
    "meta",
    "link",
    "img",
    "details",
    "template",
    "noscript",
    "x",
    "body",
}


def assert_inert(html: str, region_xpath: str):
    doc = lxml.html.fromstring(html)
    regions = doc.xpath(region_xpath)
    assert regions, f"nothing at {region_xpath}"
    for region in regions:
        for el in region.iter():
            if not isinstance(el.tag, str):
                continue
            assert el.tag not in BAD_TAGS, lxml.html.tostring(el)
            for name, value in el.attrib.items():
                assert not name.lower().startswith("on"), (name, value)
                assert name != "style"
                v = "".join(value.split()).lower()
                assert not v.startswith(("javascript:", "data:", "vbscript:")), (name, value)


def test_comment_bodies(settings):
    settings.COMMENTS_PER_MINUTE = settings.COMMENTS_PER_HOUR = settings.COMMENTS_PER_ADDRESS_MINUTE = 1000
    art = article()
    c = Client()
    user = get_user_model().objects.create_user("poster", "p@example.org", PASSWORD)
    c.force_login(user)
    for payload in PAYLOADS:
        assert say(c, art, payload).status_code == 302
    assert Comment.objects.count() == len(PAYLOADS)
    page = Client().get(art.get_absolute_url()).content.decode()
    assert_inert(page, "//div[@class='comment-body']")
    # And in the comment feed, whose descriptions carry the HTML.
    feed = etree.fromstring(Client().get(f"/article/{art.pk}/comments/rss/").content)
    items = feed.findall(".//item")
    assert len(items) == len(PAYLOADS)
    for item in items:
        assert "<" not in item.findtext("title") and ">" not in item.findtext("title")
        assert_inert(f"<div class='d'>{item.findtext('description')}</div>", "//div[@class='d']")


@pytest.mark.parametrize("payload", PAYLOADS[:12])
def test_usernames_and_profiles(payload):
    # Sign-up allows letters, digits and @.+-_ only; a name made elsewhere (the admin, an import) is escaped too.
    user = get_user_model().objects.create_user(f"u{abs(hash(payload)) % 10**8}", "x@example.org", PASSWORD)
    get_user_model().objects.filter(pk=user.pk).update(username=payload[:150])
    user.refresh_from_db()
    Profile.objects.create(user=user, about=payload)
    art = article()
    c = Client()
    c.force_login(user)
    say(c, art, "hello")
    assert_inert(Client().get(art.get_absolute_url()).content.decode(), "//section[@id='comments']")
    from django.urls import reverse

    profile = Client().get(reverse("profile", args=[user.username]))
    assert profile.status_code == 200  # the hostile name still has its page, inert
    assert_inert(profile.content.decode(), "//main")


def test_sign_up_refuses_markup_in_usernames(client):
    html = client.post(
        "/accounts/signup/",
        {"username": "<script>", "email": "s@example.org", "password1": PASSWORD, "password2": PASSWORD},
    ).content.decode()
    assert "Enter a valid username" in html and not get_user_model().objects.exists()
