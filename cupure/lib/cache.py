"""A Redis cache that a Redis outage cannot take the site down with; each process's own short-lived copies.

Everything cupure caches (anonymous pages, rankings, comment threads, the trending bar, sessions in front
of the database) can be rebuilt from the database. So while Redis is unreachable every cache call behaves
as a miss (reads return the default, writes are dropped), a warning is logged at most once per
``QUIET_SECONDS`` per process, and Redis is not asked again for ``PAUSE_SECONDS``: a dead server must not
add a connection attempt to every request. When it answers again, caching resumes by itself.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable

from django.core.cache.backends.redis import RedisCache

from . import redis_server
from .logs import kv

log = logging.getLogger("cupure.cache")

PAUSE_SECONDS = 5.0
QUIET_SECONDS = 60.0
UNREACHABLE = (*redis_server.UNREACHABLE, OSError)


class _Breaker:
    def __init__(self):
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.last_warning = 0.0

    def closed(self) -> bool:
        return time.monotonic() >= self.open_until

    def trip(self, location: str, exc: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.open_until = now + PAUSE_SECONDS
            if now - self.last_warning >= QUIET_SECONDS:
                self.last_warning = now
                log.warning("cache unavailable, serving without it", extra=kv(url=location, error=exc))


def _tolerant(default_from=None):
    """Wrap a cache method: on an unreachable Redis, return the caller's default (or None)."""

    def wrap(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if not self._breaker.closed():
                return _fallback(default_from, args, kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as exc:
                self._breaker.trip(self._location_for_logs, exc)
                return _fallback(default_from, args, kwargs)

        return call

    return wrap


def _fallback(default_from, args, kwargs):
    if default_from is None:
        return None
    if callable(default_from):
        return default_from(args, kwargs)
    return default_from


def _default_arg(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


def _missing_key(args, kwargs):
    # incr's contract for a missing key; with Redis away every key is missing.
    raise ValueError("the cache is unavailable")


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        # Fail fast: a black-holed Redis host must cost a request milliseconds, not the OS's TCP timeout.
        params["OPTIONS"] = {"socket_connect_timeout": 0.5, "socket_timeout": 2.0, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        self._breaker = _Breaker()
        self._location_for_logs = redis_server.location(server) if isinstance(server, str) else "redis"

    get = _tolerant(_default_arg)(RedisCache.get)
    get_many = _tolerant({})(RedisCache.get_many)
    set = _tolerant()(RedisCache.set)
    set_many = _tolerant([])(RedisCache.set_many)
    add = _tolerant(False)(RedisCache.add)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant()(RedisCache.delete_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    clear = _tolerant()(RedisCache.clear)
    incr = _tolerant(_missing_key)(RedisCache.incr)


class Recent:
    """What this process read last, kept as it is for ``seconds``, at most ``size`` entries (the least
    recently used go first). For values read on nearly every request whose key changes with them (it holds a
    generation read from the database), where the shared cache would cost a round trip or an unpickling."""

    def __init__(self, size: int, seconds: float):
        self.size = size
        self.seconds = seconds
        self.items: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()
        self.lock = threading.Lock()  # gunicorn's threads share it

    def get(self, key: Hashable):
        with self.lock:
            hit = self.items.get(key)
            if hit is None:
                return None
            if hit[0] < time.monotonic():
                del self.items[key]
                return None
            self.items.move_to_end(key)
            return hit[1]

    def clear(self) -> None:
        with self.lock:
            self.items.clear()

    def set(self, key: Hashable, value) -> None:
        with self.lock:
            self.items[key] = (time.monotonic() + self.seconds, value)
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)
