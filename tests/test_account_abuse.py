"""Account pages under abuse: password resets cannot flood an inbox, a reset lifts the log-in lockout as
promised, and sign-up cannot be used to test a list of addresses for accounts."""

import re

import pytest
from django.test import Client

from .personas import PASSWORD, reader

pytestmark = pytest.mark.django_db


def test_reset_requests_are_throttled_without_saying_whether_an_account_exists(mailoutbox):
    reader("jo")
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(30):
        client.post("/accounts/reset/", {"email": "jo@example.org"})
    assert len(mailoutbox) == 3  # three an hour for one address's owner
    # The answer for an account whose quota is used is the answer for any other address.
    used = client.post("/accounts/reset/", {"email": "jo@example.org"})
    nobody = Client(REMOTE_ADDR="10.0.0.2").post("/accounts/reset/", {"email": "nobody@example.org"})
    assert used.status_code == nobody.status_code == 302 and used["Location"] == nobody["Location"]
    # From one address, only so many requests at all, whatever the emails: then it says so.
    probe = Client(REMOTE_ADDR="10.0.0.3")
    answers = [probe.post("/accounts/reset/", {"email": f"p{n}@example.org"}).status_code for n in range(12)]
    assert answers[:10] == [302] * 10 and answers[10:] == [200, 200]
    assert "Too many password resets" in probe.post("/accounts/reset/", {"email": "q@example.org"}).content.decode()


def test_a_password_reset_lifts_the_login_lockout(client, mailoutbox, settings):
    settings.LOGIN_ATTEMPTS = 3
    reader("hal")
    for _ in range(3):
        client.post("/accounts/login/", {"username": "hal", "password": "wrong"})
    assert (
        "Too many failed log-ins"
        in client.post("/accounts/login/", {"username": "hal", "password": PASSWORD}).content.decode()
    )
    client.post("/accounts/reset/", {"email": "hal@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": "a brand new secret 77", "new_password2": "a brand new secret 77"}
    )
    assert client.post("/accounts/login/", {"username": "hal", "password": "a brand new secret 77"}).status_code == 302


def test_sign_up_cannot_test_a_list_of_addresses():
    for n in range(8):
        reader(f"user{n}")
    probe = Client(REMOTE_ADDR="10.0.0.4")
    answers = []
    for n in range(8):
        html = probe.post(
            "/accounts/signup/",
            {
                "username": f"new{n}",
                "email": f"user{n}@example.org",
                "password1": "long enough secret 99",
                "password2": "long enough secret 99",
            },
        ).content.decode()
        answers.append("exists already" in html)
    assert answers == [True] * 5 + [False] * 3
