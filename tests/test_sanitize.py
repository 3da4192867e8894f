"""Every piece of outside HTML passes the allowlist sanitizer: scripts, handlers and dangerous URLs go."""

import pytest

from cupure.lib.html import sanitize

XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<body onload=alert(1)>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<object data="x.swf"></object>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<form action="https://evil.example"><input name=q></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<scr<script>ipt>alert(1)</script>",
    "<div onclick=alert(1)>x</div>",
    '<img src="/relative.png">',
]


@pytest.mark.parametrize("payload", XSS)
def test_payload_is_inert(payload):
    out = sanitize(f"<p>before</p>{payload}<p>after</p>").lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "data:text",
        "<iframe",
        "<svg",
        "<object",
        "<form",
        "<input",
        "<meta",
        "<link",
        "<style",
        "style=",
        "alert(1)</script",
    ):
        assert bad not in out, (payload, out)
    assert "before" in out and "after" in out


def test_article_markup_is_kept_and_links_are_marked():
    html = (
        '<h2>Head</h2><p>Text <em>em</em> <a href="https://ex.org/a" target="_blank">link</a></p>'
        "<ul><li>one</li></ul><blockquote><p>quote</p></blockquote><table><tr><td>1</td></tr></table>"
    )
    out = sanitize(html)
    for keep in ("<h2>Head</h2>", "<em>em</em>", "<li>one</li>", "<blockquote>", "<td>1</td>"):
        assert keep in out
    assert 'rel="nofollow noopener noreferrer"' in out and "target" not in out
