"""One total deadline for a fetch, whatever the server does: trickled headers, a trickled body, silence,
a redirect chain of slow hops. Each ends within the deadline plus a little, every time."""

import socket
import threading
import time
from contextlib import contextmanager

import pytest

from cupure.ingest import fetch
from cupure.ingest.errors import FetchError

# Per-read timeout above the gap between bytes: only the total deadline can stop these servers.
POLICY = fetch.Policy(allow_private=True, timeout=3, deadline=2)
SLACK = 1.5


@contextmanager
def raw_server(behave):
    """A loopback TCP server that hands each connection to ``behave(conn, port)`` in its own thread."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=_guarded, args=(behave, conn, port), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop.set()
        listener.close()


def _guarded(behave, conn, port):
    try:
        conn.recv(65536)
        behave(conn, port)
    except OSError:
        pass  # the client hung up: what the deadline is for
    finally:
        conn.close()


def trickle(conn, data: bytes, gap: float):
    for i in range(len(data)):
        conn.sendall(data[i : i + 1])
        time.sleep(gap)


def trickled_headers(conn, port):
    trickle(conn, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 500 + b"\r\n\r\n", 0.5)


def trickled_body(conn, port):
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1000\r\n\r\n")
    trickle(conn, b"x" * 1000, 0.5)


def silent(conn, port):
    time.sleep(30)


def slow_redirects(conn, port):
    # Each hop answers just within the per-read timeout; together they outlast the deadline.
    time.sleep(1.2)
    conn.sendall(
        f"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:{port}/next{time.monotonic()}\r\n"
        f"Content-Length: 0\r\n\r\n".encode()
    )


@pytest.mark.parametrize("behave", [trickled_headers, trickled_body, silent, slow_redirects])
def test_every_fetch_ends_within_its_deadline(behave):
    with raw_server(behave) as url:
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetch.fetch(url + "/feed.xml", POLICY)
        took = time.monotonic() - started
    assert took < POLICY.deadline + SLACK, f"{behave.__name__}: the fetch took {took:.1f} s"
    assert "2 s" in str(caught.value)


def test_a_resolver_that_never_answers_does_not_hold_the_fetch(monkeypatch):
    def hang(*args, **kwargs):
        time.sleep(10)
        raise socket.gaierror("never")

    monkeypatch.setattr(fetch.socket, "getaddrinfo", hang)
    started = time.monotonic()
    with pytest.raises(FetchError, match="longer than 1 s"):
        fetch.fetch("http://slow-dns.example/feed.xml", fetch.Policy(timeout=5, deadline=1))
    assert time.monotonic() - started < 1 + SLACK


def test_a_fast_server_after_a_slow_one_is_fetched_normally(web):
    """The deadline belongs to one fetch: the next fetch in the same thread starts with its own."""
    with raw_server(silent) as url:
        with pytest.raises(FetchError):
            fetch.fetch(url + "/", POLICY)
    ok = web.add("/ok", "<p>fine</p>")
    assert fetch.fetch(ok, POLICY).content == b"<p>fine</p>"
