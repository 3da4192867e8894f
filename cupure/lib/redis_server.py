"""Redis as cupure meets it (the cache, the task queue): which errors mean it is away, and its address
as messages may show it."""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def location(url: str) -> str:
    """A Redis URL without its password (redis://user:secret@host:6379/0 -> host:6379/0)."""
    return url.rsplit("@", 1)[-1]
