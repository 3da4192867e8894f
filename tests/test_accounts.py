"""Readers' accounts: sign up, log in and out, passwords, throttled log-ins, profiles."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cupure.accounts.models import Profile

from .personas import PASSWORD, article, reader, say

pytestmark = pytest.mark.django_db


def test_sign_up_hashes_with_argon2_and_logs_in(client):
    resp = client.post(
        "/accounts/signup/",
        {
            "username": "dana",
            "email": "dana@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/sources/",
        },
    )
    assert resp.status_code == 302 and resp["Location"] == "/sources/"
    user = get_user_model().objects.get(username="dana")
    assert user.password.startswith("argon2$")
    assert Profile.objects.filter(user=user).exists()
    assert "dana" in client.get("/").content.decode()


def test_sign_up_refusals_are_explained(client):
    reader("erin")
    html = client.post(
        "/accounts/signup/",
        {"username": "erin", "email": "ERIN@example.org", "password1": "short", "password2": "shirt"},
    ).content.decode()
    assert "already exists" in html and "exists already" in html and "didn’t match" in html
    html = client.post(
        "/accounts/signup/",
        {"username": "bot", "email": "bot@example.org", "password1": PASSWORD, "password2": PASSWORD, "website": "x"},
    ).content.decode()
    assert "filled in by a program" in html
    assert not get_user_model().objects.filter(username="bot").exists()
    assert client.post("/accounts/signup/", {"next": "https://evil.example/"}).status_code == 400


def test_no_open_redirect_after_sign_up(client):
    resp = client.post(
        "/accounts/signup/",
        {
            "username": "fay",
            "email": "fay@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert resp["Location"] == "/"


def test_log_in_and_out(client):
    reader("gus")
    resp = client.post("/accounts/login/", {"username": "gus", "password": PASSWORD})
    assert resp.status_code == 302
    assert client.get("/accounts/settings/").status_code == 200
    assert client.get("/accounts/logout/").status_code == 405  # logging out takes a POST (a form with CSRF)
    client.post("/accounts/logout/")
    assert client.get("/accounts/settings/").status_code == 302


def test_failed_log_ins_are_throttled_per_account_and_per_address(settings):
    settings.LOGIN_ATTEMPTS, settings.LOGIN_ATTEMPTS_PER_ADDRESS = 3, 5
    reader("hal")
    c = Client()
    for _ in range(3):
        assert (
            "Please enter a correct"
            in c.post("/accounts/login/", {"username": "hal", "password": "no"}).content.decode()
        )
    # The right password is refused too now, with the reason.
    html = c.post("/accounts/login/", {"username": "hal", "password": PASSWORD}).content.decode()
    assert "Too many failed log-ins for this account" in html
    # From another address, other accounts still work until that address fails too often.
    reader("ida")
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/accounts/login/", {"username": "ida", "password": PASSWORD}).status_code == 302
    for name in ("x1", "x2"):
        Client().post("/accounts/login/", {"username": name, "password": "no"})
    html = Client().post("/accounts/login/", {"username": "ida", "password": PASSWORD}).content.decode()
    assert "from your address" in html


def test_password_change_and_reset_by_email(client, mailoutbox):
    user = reader("jo")
    client.force_login(user)
    resp = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a new long secret 42", "new_password2": "a new long secret 42"},
    )
    assert resp.status_code == 302
    client.post("/accounts/logout/")
    client.post("/accounts/reset/", {"email": "jo@example.org"})
    assert len(mailoutbox) == 1 and "jo" in mailoutbox[0].body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    resp = client.post(
        form.redirect_chain[-1][0], {"new_password1": "third secret 789xyz", "new_password2": "third secret 789xyz"}
    )
    assert resp.status_code == 302
    assert client.login(username="jo", password="third secret 789xyz")


def test_profile_lists_comments_and_settings_save(client):
    user = reader("kim")
    client.force_login(user)
    art = article()
    say(client, art, "kim's view on trams")
    html = Client().get("/u/kim/").content.decode()
    assert "kim's view on trams" in html and art.title in html
    resp = client.post(
        "/accounts/settings/", {"about": "Tram fan.", "notify_replies": "on", "email": "kim@new.example"}
    )
    assert resp.status_code == 302
    user.refresh_from_db()
    assert user.email == "kim@new.example" and user.profile.notify_replies and user.profile.about == "Tram fan."
    assert Client().get("/u/nobody/").status_code == 404
