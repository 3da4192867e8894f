"""The only module that makes outbound HTTP requests.

Every fetch of a feed, a page or a WARC-less URL goes through ``fetch``. It
enforces, on every redirect hop:

- SSRF protection: the host is resolved here and the connection is made to
  the vetted address itself (no second DNS lookup that could be rebound).
  Private, loopback, link-local, multicast, reserved and unspecified
  addresses are refused unless the policy allows private networks;
- at most ``max_redirects`` redirects, loops detected;
- a connect/read timeout and one total deadline for the whole fetch, redirects included: DNS, connect,
  TLS, headers and body each get only what is left of it, so a server that trickles its headers one byte
  at a time is cut off as surely as one that trickles its body;
- a body cap counted on the *decompressed* bytes (a gzip bomb stops at the cap);
- a per-host concurrency limit within the process;
- conditional GET (ETag / Last-Modified) and a clear User-Agent.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
import idna

from cupure import __version__

from .errors import BlockedAddress, FetchError, Stopping, TooLarge
from .types import FetchResult

USER_AGENT = f"cupure/{__version__} (news aggregator; +https://github.com/cupure/cupure)"
REDIRECT_CODES = {301, 302, 303, 307, 308}


@dataclass(frozen=True)
class Policy:
    allow_private: bool = False
    timeout: float = 15.0  # connect and per-read timeout, seconds
    deadline: float = 45.0  # the whole response, seconds
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host: int = 2  # concurrent requests to one host from this process
    user_agent: str = USER_AGENT


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public_address(ip: str) -> bool:
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address to a gateway: 2002:7f00:1:: (6to4) reaches 127.0.0.1 as
        # surely as ::ffff:127.0.0.1 does. Judge the address they carry.
        inner = addr.ipv4_mapped or addr.sixtofour or (addr.teredo[1] if addr.teredo else None)
        if inner is None and addr in _NAT64:
            inner = ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
        if inner is not None:
            addr = inner
    return not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    )


def resolve(host: str, port: int, allow_private: bool) -> str:
    """Resolve ``host`` and return one address that the policy allows; raise BlockedAddress otherwise.

    All addresses must be allowed: a name that resolves to one public and one
    private address is refused, since the OS may pick either.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"could not resolve host {host!r}: {exc.strerror or exc}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(f"host {host!r} has no address")
    if not allow_private:
        for ip in addresses:
            if not is_public_address(ip):
                raise BlockedAddress(
                    f"refused to connect to {host} ({ip}): private, loopback or reserved addresses are blocked "
                    f"(set CUPURE_ALLOW_PRIVATE_NETWORKS=1 to allow them)"
                )
    return addresses[0]


# The monotonic time by which the current thread's fetch must be over (None outside a fetch). Thread-local:
# the pooled connections are shared, but a request is read and written by the thread that makes it.
_deadline = threading.local()
# getaddrinfo cannot be interrupted: it runs here so that a resolver that never answers costs a thread
# for a while, never the fetch its deadline.
_resolver = ThreadPoolExecutor(max_workers=8, thread_name_prefix="resolve")


class DeadlineExceeded(httpcore.TimeoutException):
    """The fetch's total deadline passed while waiting on the network."""


class _Stopped(httpcore.TimeoutException):
    """The process is stopping: the fetch's network waits are over."""


# When the process stopping gives every fetch's network waits up (monotonic time), in every thread; None while
# it runs. A plain float: set once by a signal handler, read by the fetching threads.
_stop_at: float | None = None
STOP_GRACE = 5.0  # seconds the fetches of a stopping process may still take: a normal page, not a slow drip


def stop_soon(grace: float = STOP_GRACE) -> None:
    """The process is stopping (SIGTERM): every fetch, in flight or started now, must be over within
    ``grace`` seconds, or it gives up by raising Stopping instead of running to its deadline (a network wait
    that began before this call is bounded by its own timeout)."""
    global _stop_at
    _stop_at = time.monotonic() + grace


def _remaining(timeout: float | None) -> float | None:
    """The timeout for one network wait: the per-read timeout, cut to what is left of the deadline (and of
    the grace a stopping process gives)."""
    until = getattr(_deadline, "at", None)
    if until is None:
        return timeout
    now = time.monotonic()
    if _stop_at is not None:
        if _stop_at <= now:
            raise _Stopped("the process is stopping")
        until = min(until, _stop_at)
    left = until - now
    if left <= 0:
        raise DeadlineExceeded("the fetch deadline passed")
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits no longer than the fetch's deadline allows."""

    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes, timeout=None):
        return self._stream.read(max_bytes, _remaining(timeout))

    def write(self, buffer, timeout=None):
        return self._stream.write(buffer, _remaining(timeout))

    def close(self):
        return self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _remaining(timeout)))

    def get_extra_info(self, info):
        return self._stream.get_extra_info(info)


class _GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses the policy allows, checked after DNS resolution, within the deadline."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        wait = _remaining(timeout)
        try:
            ip = _resolver.submit(resolve, host, port, self.allow_private).result(timeout=wait)
        except FutureTimeout:
            raise DeadlineExceeded(f"resolving {host} took too long") from None
        stream = super().connect_tcp(ip, port, _remaining(timeout), local_address, socket_options)
        return _DeadlineStream(stream)


_clients: dict[tuple, httpx.Client] = {}
_clients_lock = threading.Lock()
_host_slots: dict[str, threading.BoundedSemaphore] = {}


def _client(policy: Policy) -> httpx.Client:
    key = (policy.allow_private, policy.timeout)
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            transport = httpx.HTTPTransport(retries=0)
            # httpx has no public hook for the network backend: swap the pool for one that uses ours.
            transport._pool = httpcore.ConnectionPool(
                ssl_context=httpx.create_ssl_context(),
                max_connections=100,
                max_keepalive_connections=20,
                keepalive_expiry=30.0,
                network_backend=_GuardedBackend(policy.allow_private),
            )
            # trust_env=False: a proxy from the environment would bypass the address check.
            client = httpx.Client(
                transport=transport, follow_redirects=False, trust_env=False, timeout=httpx.Timeout(policy.timeout)
            )
            _clients[key] = client
        return client


def _slot(host: str, limit: int) -> threading.BoundedSemaphore:
    with _clients_lock:
        sem = _host_slots.get(host)
        if sem is None:
            sem = _host_slots[host] = threading.BoundedSemaphore(limit)
        return sem


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_url(url: str) -> str:
    """Reject what is not an absolute http(s) URL that can be requested, with a message an operator
    understands (never an exception of the URL parser: one bad link must not stop a feed)."""
    url = url.strip() if isinstance(url, str) else ""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number or out of range
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"not an http(s) URL: {url[:300]!r}")
        if not host:
            raise FetchError(f"URL has no host: {url[:300]!r}")
        httpx.URL(url)  # the client's own parser: characters a host cannot hold
        if not _is_ip_literal(host):
            idna.encode(host, uts46=True)  # what the resolver will be asked: label lengths, bad A-labels
    except (ValueError, UnicodeError, httpx.InvalidURL, idna.IDNAError) as exc:
        raise FetchError(f"not a valid URL: {url[:300]!r} ({exc})") from None
    return url


def fetch(
    url: str, policy: Policy = Policy(), *, etag: str = "", last_modified: str = "", accept: str = "*/*"
) -> FetchResult:
    """GET ``url`` under ``policy``; return the final response or raise FetchError.

    A 304 answer comes back with ``not_modified=True`` and an empty body. Any
    other non-2xx status raises FetchError carrying the status (and the
    Retry-After delay for 429/503).
    """
    url = check_url(url)
    if _stop_at is not None and time.monotonic() >= _stop_at:
        raise Stopping(f"not fetched, the worker is stopping: {url}")
    headers = {"User-Agent": policy.user_agent, "Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    started = time.monotonic()
    _deadline.at = started + policy.deadline
    try:
        return _follow(url, headers, policy, started)
    except (_Stopped, DeadlineExceeded) as exc:
        # A deadline that passed while stopping is the stop's grace running out, not the server's fault.
        if isinstance(exc, _Stopped) or _stop_at is not None:
            raise Stopping(f"the worker is stopping: fetching {url} was given up") from None
        raise FetchError(
            f"took longer than {policy.deadline:g} s, the limit for one fetch (CUPURE_FETCH_DEADLINE), fetching {url}"
        ) from None
    finally:
        _deadline.at = None


def _follow(url: str, headers: dict, policy: Policy, started: float) -> FetchResult:
    seen = {url}
    client = _client(policy)
    for _hop in range(policy.max_redirects + 1):
        host = urlsplit(url).hostname or ""
        slot = _slot(host, policy.per_host)
        if not slot.acquire(timeout=_remaining(None)):
            raise DeadlineExceeded(f"waited for a free connection to {host}")
        try:
            result = _get_once(client, url, headers, policy, started)
        finally:
            slot.release()
        if result.status in REDIRECT_CODES:
            location = result.headers.get("location")
            if not location:
                raise FetchError(f"redirect ({result.status}) without a Location header", status=result.status)
            try:
                target = urljoin(url, location)
            except ValueError as exc:
                raise FetchError(f"redirect to an invalid URL {location[:300]!r} ({exc})") from None
            url = check_url(target)
            if url in seen:
                raise FetchError(f"redirect loop at {url}", status=result.status)
            seen.add(url)
            continue
        return result
    raise FetchError(f"too many redirects (more than {policy.max_redirects})")


def _get_once(client: httpx.Client, url: str, headers: dict, policy: Policy, started: float) -> FetchResult:
    try:
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            if status in REDIRECT_CODES:
                return FetchResult(url=url, status=status, headers=resp_headers, content=b"")
            if status == 304:
                return FetchResult(url=url, status=status, headers=resp_headers, content=b"", not_modified=True)
            if status >= 400:
                retry = parse_retry_after(resp_headers.get("retry-after")) if status in (429, 503) else None
                reason = response.reason_phrase or ""
                raise FetchError(f"HTTP {status} {reason}".strip() + f" from {url}", status=status, retry_after=retry)
            declared = resp_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise TooLarge(
                    f"response too large: {int(declared):,} bytes declared, the limit is {policy.max_bytes:,}",
                    status=status,
                )
            chunks, size = [], 0
            # iter_bytes yields *decompressed* bytes, so the cap also stops gzip bombs.
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > policy.max_bytes:
                    raise TooLarge(
                        f"response too large: more than {policy.max_bytes:,} bytes (after decompression)", status=status
                    )
                chunks.append(chunk)
            return FetchResult(url=url, status=status, headers=resp_headers, content=b"".join(chunks))
    except httpx.TimeoutException as exc:
        if _stop_at is not None:  # the wait was cut short by the process stopping, not by the server
            raise _Stopped(str(exc)) from None
        if isinstance(exc.__context__, DeadlineExceeded) or time.monotonic() - started >= policy.deadline:
            raise DeadlineExceeded(str(exc)) from None
        raise FetchError(f"timed out after {policy.timeout:g} s ({type(exc).__name__}) fetching {url}") from exc
    except httpx.DecodingError as exc:
        raise FetchError(f"could not decompress the response from {url}: {exc}") from exc
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"could not fetch {url}: {exc}") from exc
