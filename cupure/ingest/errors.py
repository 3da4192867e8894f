"""Errors of the ingestion stages. Each message is written for the operator who reads it on /sources."""


class IngestError(Exception):
    """Base class: ``str(exc)`` is the message shown on the feed."""

    kind = "error"


class Stopping(IngestError):
    """The process is stopping (SIGTERM): the fetch gave up. Nothing is wrong with the feed; it is refreshed
    again later (by another worker, or this one after its restart)."""

    kind = "stopped"


class FetchError(IngestError):
    kind = "fetch"

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class BlockedAddress(FetchError):
    kind = "blocked"


class TooLarge(FetchError):
    kind = "too-large"


class ParseError(IngestError):
    kind = "parse"


class ExtractionError(IngestError):
    kind = "extract"


class ImageError(IngestError):
    kind = "image"


class InternalError(IngestError):
    """Something cupure did not foresee went wrong with this feed (a bug, logged with its traceback)."""

    kind = "internal"
