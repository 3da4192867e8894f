"""Who is reading, known at once."""

from django.contrib.auth import middleware


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """Django's, with ``request.user`` resolved when the request comes in rather than on first use: every
    page asks it anyway (the anonymous page cache first of all), and a signed-in page then reads it some
    thirty times, each read through a lazy object costing several calls (about 30 µs a page here)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = middleware.get_user(request)  # the reader, kept on the request by Django
