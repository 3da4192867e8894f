"""The HTTP module refuses private addresses, caps bodies, redirects and time, and speaks conditional GET."""

import gzip
import socket
from datetime import UTC, datetime

import httpcore
import pytest

from cupure.ingest import fetch
from cupure.ingest.errors import BlockedAddress, FetchError, TooLarge

from .conftest import Response

OPEN = fetch.Policy(allow_private=True, timeout=2, deadline=3, max_bytes=100_000)


def test_loopback_refused_unless_allowed(web):
    url = web.add("/feed", "<rss/>")
    with pytest.raises(BlockedAddress, match="private, loopback or reserved"):
        fetch.fetch(url, fetch.Policy(allow_private=False))
    assert web.hits.get("/feed") is None  # refused before connecting
    assert fetch.fetch(url, OPEN).status == 200


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        # IPv6 forms carrying a private IPv4 address: 6to4, NAT64, Teredo
        "2002:7f00:1::",
        "2002:a00:1::1",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
    ],
)
def test_non_public_addresses(ip):
    assert not fetch.is_public_address(ip)


def test_public_addresses():
    assert fetch.is_public_address("93.184.216.34")
    assert fetch.is_public_address("2606:4700::1111")
    assert fetch.is_public_address("2002:808:808::1")  # 6to4 of 8.8.8.8


PUBLIC_IP = "93.184.216.34"


@pytest.fixture
def fake_network(monkeypatch, web):
    """A resolver and a route at the network edge: news.example is a public address (routed to the loopback
    test server), intranet.example is the test server's own loopback address."""
    port = int(web.add("/", "").split(":")[2].split("/")[0])
    names = {"news.example": PUBLIC_IP, "intranet.example": "127.0.0.1"}
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (names[host], port))]
        return real_getaddrinfo(host, *args, **kwargs)

    real_connect = httpcore.SyncBackend.connect_tcp

    def connect_tcp(self, host, port_, *args, **kwargs):
        return real_connect(self, "127.0.0.1" if host == PUBLIC_IP else host, port_, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", connect_tcp)
    return port


def test_redirect_to_private_address_refused_on_the_hop(web, fake_network):
    """A public page that redirects to an intranet address: the second hop is refused before connecting."""
    port = fake_network
    web.add("/secret", "internal")
    web.add("/page", "public")
    web.add("/r", Response(b"", status=302, headers={"Location": f"http://intranet.example:{port}/secret"}))
    guarded = fetch.Policy(allow_private=False, timeout=1, deadline=2)
    assert fetch.fetch(f"http://news.example:{port}/page", guarded).status == 200  # the public host connects
    with pytest.raises(BlockedAddress, match="intranet.example"):
        fetch.fetch(f"http://news.example:{port}/r", guarded)
    assert web.hits.get("/r") and not web.hits.get("/secret")


def test_non_http_schemes_refused():
    for url in ("file:///etc/passwd", "ftp://example.org/x", "gopher://x", "javascript:alert(1)", "http:///x"):
        with pytest.raises(FetchError):
            fetch.fetch(url, OPEN)


def test_status_errors_are_clear(web):
    for status in (404, 410, 500):
        url = web.add(f"/s{status}", Response(b"x", status=status))
        with pytest.raises(FetchError, match=f"HTTP {status}") as exc:
            fetch.fetch(url, OPEN)
        assert exc.value.status == status


def test_retry_after_is_read(web):
    url = web.add("/busy", Response(b"", status=503, headers={"Retry-After": "120"}))
    with pytest.raises(FetchError) as exc:
        fetch.fetch(url, OPEN)
    assert exc.value.retry_after == 120
    ten = datetime(2026, 11, 25, 10, 0, tzinfo=UTC).timestamp()
    assert fetch.parse_retry_after("Wed, 25 Nov 2026 10:00:30 GMT", now=ten) == pytest.approx(30)
    assert fetch.parse_retry_after("soon") is None


def test_redirects_followed_and_capped(web):
    web.add("/final", "done")
    for i in range(7):
        web.add(f"/hop{i}", Response(b"", status=301, headers={"Location": f"/hop{i + 1}"}))
    web.add("/hop7", Response(b"", status=302, headers={"Location": "/final"}))
    assert fetch.fetch(web.url("/hop4"), OPEN).content == b"done"  # 4 redirects
    with pytest.raises(FetchError, match="too many redirects"):
        fetch.fetch(web.url("/hop0"), OPEN)  # 8 redirects


def test_redirect_loop(web):
    web.add("/a", Response(b"", status=302, headers={"Location": "/b"}))
    web.add("/b", Response(b"", status=302, headers={"Location": "/a"}))
    with pytest.raises(FetchError, match="redirect loop"):
        fetch.fetch(web.url("/a"), OPEN)


def test_oversize_body_declared_and_streamed(web):
    big = b"x" * 200_000
    url = web.add("/big", big)
    with pytest.raises(TooLarge, match="too large"):
        fetch.fetch(url, OPEN)

    def chunked(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for _ in range(30):
            chunk = b"y" * 10_000
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")

    web.add("/chunked", chunked)
    with pytest.raises(TooLarge):
        fetch.fetch(web.url("/chunked"), OPEN)


def test_gzip_bomb_stops_at_the_cap(web):
    bomb = gzip.compress(b"\0" * 50_000_000)  # ~50 KB on the wire, 50 MB inflated
    assert len(bomb) < OPEN.max_bytes
    url = web.add("/bomb", Response(bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(TooLarge, match="after decompression"):
        fetch.fetch(url, OPEN)


def test_gzip_body_decoded(web):
    url = web.add("/gz", Response(gzip.compress(b"hello feed"), headers={"Content-Encoding": "gzip"}))
    assert fetch.fetch(url, OPEN).content == b"hello feed"


def test_slow_drip_cut_off_by_deadline(web):
    url = web.add("/drip", Response(b"z" * 4000, drip=0.05))  # 500 pieces, 25 s in all
    with pytest.raises(FetchError, match="longer than"):
        fetch.fetch(url, fetch.Policy(allow_private=True, timeout=2, deadline=1))


def test_stalled_server_times_out(web):
    def stall(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.flush()
        import time

        time.sleep(3)

    web.add("/stall", stall)
    with pytest.raises(FetchError, match="timed out"):
        fetch.fetch(web.url("/stall"), fetch.Policy(allow_private=True, timeout=0.5, deadline=5))


def test_conditional_get(web):
    def handler(h):
        if h.headers.get("If-None-Match") == '"v1"':
            return Response(b"", status=304)
        return Response(b"<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Wed, 25 Nov 2026 10:00:00 GMT"})

    url = web.add("/cond", handler)
    first = fetch.fetch(url, OPEN)
    assert first.etag == '"v1"' and not first.not_modified
    second = fetch.fetch(url, OPEN, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.content == b""
    assert web.requests[-1]["headers"]["if-modified-since"] == "Wed, 25 Nov 2026 10:00:00 GMT"
    assert web.requests[-1]["headers"]["user-agent"].startswith("cupure/")


def test_unresolvable_host():
    with pytest.raises(FetchError, match="could not resolve"):
        fetch.fetch("http://no-such-host.invalid/feed", OPEN)
