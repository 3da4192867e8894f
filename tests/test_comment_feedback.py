"""After Like, Report or Delete the reader sees what happened where they are: the button says Liked, and the
confirmation stands beside the comment the page scrolls to (or atop the thread), not 2,800 px above it."""

import re

import pytest

from cupure.comments import actions

from .personas import article, reader

pytestmark = pytest.mark.django_db


def beside(page: str, comment) -> str:
    """The HTML of ``comment``'s own block, up to its actions."""
    start = page.index(f'id="c{comment.pk}"')
    return page[start : page.index('class="actions"', start)]


def test_like_says_liked_and_a_second_click_says_it_was_taken_back(client):
    art = article()
    ann, bob = reader("ann"), reader("bob")
    comment, _, _ = actions.post(user=ann, target=art, body="Trams at last.", nonce="1", address="127.0.0.1")
    client.force_login(bob)
    resp = client.post(f"/comments/{comment.pk}/like/", follow=True)
    page = resp.content.decode()
    assert resp.redirect_chain[-1][0].endswith(f"#c{comment.pk}")
    assert "You like this comment." in beside(page, comment)
    assert re.search(r'aria-pressed="true"[^>]*>Liked ✓', page)
    assert 'class="messages"><li' not in page  # not printed atop the page as well
    page = client.post(f"/comments/{comment.pk}/like/", follow=True).content.decode()
    assert "Like taken back." in beside(page, comment) and ">Like</button>" in page


def test_report_confirmed_beside_the_comment_and_delete_atop_the_thread(client):
    art = article()
    ann, bob = reader("ann"), reader("bob")
    comment, _, _ = actions.post(user=ann, target=art, body="Trams at last.", nonce="1", address="127.0.0.1")
    client.force_login(bob)
    page = client.post(f"/comments/{comment.pk}/flag/", {"reason": "spam"}, follow=True).content.decode()
    assert "Reported. Thank you" in beside(page, comment)
    client.force_login(ann)
    own, _, _ = actions.post(user=ann, target=art, body="Second thought.", nonce="2", address="127.0.0.1")
    page = client.post(f"/comments/{own.pk}/delete/", follow=True).content.decode()
    thread = page[page.index('id="comments"') :]
    assert "Your comment is deleted." in thread[: thread.index("</h2>") + 200]
