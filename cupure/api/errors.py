"""JSON errors for every response under /api/, including those made outside the API's own handlers."""

from __future__ import annotations

from django.http import JsonResponse

MESSAGES = {
    400: "The request is malformed.",
    401: "Authentication is needed.",
    403: "Not allowed.",
    404: "There is nothing at this address in the API.",
    405: "This address does not take that method.",
    413: "The request is too large.",
    500: "Something went wrong on the server; it has been logged.",
}


class JsonErrorsMiddleware:
    """An API client gets {"message": ...} for every error: Django's own 404, 405, 500 pages included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            status = response.status_code
            replacement = JsonResponse({"message": MESSAGES.get(status, f"HTTP {status}.")}, status=status)
            if response.has_header("Allow"):
                replacement["Allow"] = response["Allow"]
            return replacement
        return response


def not_found(request, rest=""):
    return JsonResponse({"message": MESSAGES[404]}, status=404)
