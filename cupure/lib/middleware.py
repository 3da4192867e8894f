"""Site-wide request hygiene."""

from __future__ import annotations

import errno
import logging

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponseNotFound, JsonResponse, QueryDict
from django.shortcuts import render

log = logging.getLogger("cupure.storage")

FULL_MESSAGE = (
    "What you sent could not be saved: the site's disk is full. Nothing was changed; reading goes "
    "on as usual. Please try again later."
)


class NullCharactersMiddleware:
    """No NUL character in the path or the query string gets further: PostgreSQL cannot store or compare one,
    so it would otherwise surface as a server error deep in a query. The API refuses it; pages drop it.
    (Forms refuse it in posted fields.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if "\x00" in request.path:  # nothing can live at such an address
            message = "There is nothing at an address with a null character."
            return JsonResponse({"message": message}, status=404) if api else HttpResponseNotFound(message)
        if any("\x00" in k or any("\x00" in v for v in vs) for k, vs in request.GET.lists()):
            if api:
                return JsonResponse({"message": "Null characters are not allowed in query parameters."}, status=400)
            # A page (a search box, say) reads what was typed, less the null characters.
            cleaned = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                cleaned.setlist(key.replace("\x00", ""), [v.replace("\x00", "") for v in values])
            cleaned._mutable = False
            request.GET = cleaned
        return self.get_response(request)


def is_storage_full(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) says the disk or the database's storage is full: SQLite's
    SQLITE_FULL, PostgreSQL's disk_full (SQLSTATE 53100), or ENOSPC/EDQUOT from the operating system."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if getattr(exc, "sqlstate", None) == "53100":
            return True
        if (isinstance(exc, DatabaseError) and "disk is full" in str(exc)) or "No space left on device" in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class StorageFullMiddleware:
    """A write that fails because the disk is full answers 503 with a message that says so, instead of a
    server error: the reader knows their post was not saved and can send it again later. Pages that only
    read are unaffected (they never get here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_storage_full(exception):
            return None
        log.error("a write failed: the disk is full", extra={"path": request.path})
        if request.path.startswith("/api/"):
            response = JsonResponse({"message": FULL_MESSAGE}, status=503)
        else:
            response = render(request, "storage_full.html", {"message": FULL_MESSAGE}, status=503)
        response["Retry-After"] = "300"
        return response


class ContentSecurityPolicyMiddleware:
    """settings.CONTENT_SECURITY_POLICY on every response that does not set its own: a script that slipped
    into a page (a feed's, a comment's) would not run."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response
