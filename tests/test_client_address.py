"""The client's address behind the deployment guide's proxy: read from X-Forwarded-For only through trusted
proxies, so readers behind the proxy are limited apart and a forged header changes nothing; stored only
anonymised."""

import pytest
from django.test import Client, RequestFactory

from cupure.accounts.models import Throttle
from cupure.comments.models import Comment
from cupure.lib.clients import anonymised, client_address

from .personas import PASSWORD, article, reader, say

pytestmark = pytest.mark.django_db


def address(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


def test_the_header_is_read_only_through_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = []
    assert address("203.0.113.9", "1.2.3.4") == "203.0.113.9"  # no proxy configured: a forged header is ignored
    from ipaddress import ip_network

    settings.TRUSTED_PROXIES = [ip_network("127.0.0.1/32"), ip_network("10.0.0.0/8")]
    assert address("127.0.0.1", "198.51.100.7") == "198.51.100.7"
    # The client put its own "X-Forwarded-For: 1.2.3.4"; nginx appended the real address: the right-most
    # untrusted hop is the client.
    assert address("127.0.0.1", "1.2.3.4, 198.51.100.7") == "198.51.100.7"
    assert address("127.0.0.1", "198.51.100.7, 10.1.2.3") == "198.51.100.7"  # through two proxies
    assert address("203.0.113.9", "198.51.100.7") == "203.0.113.9"  # not from a proxy: its own address
    assert address("127.0.0.1", "not-an-address") == "127.0.0.1"
    assert address("", None) == "unknown"


def test_two_readers_behind_the_proxy_are_limited_apart(settings):
    from ipaddress import ip_network

    settings.TRUSTED_PROXIES = [ip_network("127.0.0.1/32")]
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 3
    reader("ada")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for n in range(5):
        attacker.post("/accounts/login/", {"username": f"guess{n}", "password": "x"})
    assert (
        "from your address"
        in attacker.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).content.decode()
    )
    # Forging the header from behind the proxy does not get the attacker a fresh address.
    forged = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.7")
    assert (
        "from your address"
        in forged.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).content.decode()
    )
    neighbour = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert neighbour.post("/accounts/login/", {"username": "ada", "password": PASSWORD}).status_code == 302
    assert not Throttle.objects.filter(key__contains="198.51.100").exists()  # counted, not kept


def test_a_comment_keeps_only_an_anonymised_address(client, settings):
    from ipaddress import ip_network

    settings.TRUSTED_PROXIES = [ip_network("127.0.0.1/32")]
    settings.COMMENTS_HOLD_FIRST = 0
    client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.77")
    client.force_login(reader("bo"))
    say(client, article(), "A view on the tram.")
    assert Comment.objects.get().address == "198.51.100.0"
    assert anonymised("2001:db8:1234:5678::1") == "2001:db8:1234::"
