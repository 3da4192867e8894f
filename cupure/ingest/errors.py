"""Errors of the ingestion stages. Each message is written for the operator who reads it on /sources."""


class IngestError(Exception):
    """Base class: ``str(exc)`` is the message shown on the feed."""

    kind = "error"


class Stopping(IngestError):
    """The process is stopping (SIGTERM): the fetch gave up. Nothing is wrong with the feed; it is refreshed
    again later (by another worker, or this one after its restart)."""

    kind = "stopped"


class FetchError(IngestError):
    """The fetch failed: no answer, an HTTP error status (``status``; ``retry_after`` seconds when the server
    said when to come back), a broken or over-long transfer."""

    kind = "fetch"

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class BlockedAddress(FetchError):
    """The address is on a private or loopback network, which cupure does not fetch unless the operator
    allows it (CUPURE_ALLOW_PRIVATE_NETWORKS)."""

    kind = "blocked"


class TooLarge(FetchError):
    """The response is bigger than cupure reads: its declared length, or its body once decompressed."""

    kind = "too-large"


class ParseError(IngestError):
    """The document is no feed cupure reads (RSS, Atom, RDF or JSON Feed), or too malformed to read."""

    kind = "parse"


class ExtractionError(IngestError):
    """An article's page holds no article text, or could not be parsed."""

    kind = "extract"


class ImageError(IngestError):
    """An article's picture is empty, or in a format cupure does not serve."""

    kind = "image"


class InternalError(IngestError):
    """Something cupure did not foresee went wrong with this feed (a bug, logged with its traceback)."""

    kind = "internal"
