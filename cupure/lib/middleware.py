"""Site-wide request hygiene."""
from __future__ import annotations

from django.http import HttpResponseNotFound, JsonResponse, QueryDict


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
