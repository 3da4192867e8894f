"""Every form field's aria-describedby names elements the page has, so a screen reader reads a field's help
and its error with it (Django's widgets name "<id>_helptext" and "<id>_error"; the templates must give them)."""

import re

import pytest

from .personas import reader

pytestmark = pytest.mark.django_db

DESCRIBED = re.compile(r'aria-describedby="([^"]+)"')


def missing_ids(html: str) -> set[str]:
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    wanted = {i for group in DESCRIBED.findall(html) for i in group.split()}
    return wanted - ids


def test_sign_up_with_and_without_errors(client):
    page = client.get("/accounts/signup/").content.decode()
    assert DESCRIBED.search(page) and not missing_ids(page)
    bad = {"username": "", "email": "not an address", "password1": "a", "password2": "b"}
    page = client.post("/accounts/signup/", bad).content.decode()
    assert 'id="id_email_error"' in page and not missing_ids(page)


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/password_reset/", "/accounts/settings/"])
def test_other_account_forms(client, path):
    client.force_login(reader("ada"))
    if path == "/accounts/login/":
        client.logout()
    page = client.get(path).content.decode()
    assert not missing_ids(page), missing_ids(page)
