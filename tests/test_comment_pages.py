"""Long comment threads come in pages of top-level comments (each with its replies): a thread of thousands
is a page a phone can load, and a posted comment's link leads to the page that shows it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from cupure.comments.models import Comment
from cupure.comments.thread import THREADS_PER_PAGE

from .personas import article, reader, say

pytestmark = pytest.mark.django_db


def test_threads_are_paged_and_a_new_comment_links_to_its_page(client):
    art, ann = article(), reader("ann")
    start = timezone.now() - timedelta(hours=3)
    roots = Comment.objects.bulk_create(
        [
            Comment(
                article=art,
                author=ann,
                body=f"Top comment {n}",
                html=f"<p>Top comment {n}</p>",
                nonce=f"n{n}",
                created_at=start + timedelta(seconds=n),
            )
            for n in range(2 * THREADS_PER_PAGE + 20)
        ]
    )
    Comment.objects.create(
        article=art,
        author=ann,
        parent=roots[0],
        depth=2,
        body="A reply",
        html="<p>A reply</p>",
        nonce="r",
        created_at=start + timedelta(hours=1),
    )
    first = client.get(art.get_absolute_url()).content.decode()
    assert "Top comment 0<" in first and "A reply" in first
    assert f"Top comment {THREADS_PER_PAGE}<" not in first
    assert 'cpage=3#comments">3</a>' in first and "(121)" in first

    third = client.get(art.get_absolute_url(), {"cpage": 3}).content.decode()
    assert len(re.findall(r"Top comment \d+<", third)) == 20 and "Top comment 119<" in third
    newest = client.get(art.get_absolute_url(), {"comments": "newest"}).content.decode()
    assert "Top comment 119<" in newest and "Top comment 0<" not in newest
    assert client.get(art.get_absolute_url(), {"cpage": "999"}).status_code == 200
    assert client.get(art.get_absolute_url(), {"cpage": "x"}).status_code == 200

    client.force_login(reader("bob"))
    resp = say(client, art, "Posted last, shown on the last page")
    assert resp.status_code == 302 and "?cpage=3#c" in resp["Location"]
    assert "Posted last" in client.get(resp["Location"].split("#")[0]).content.decode()
