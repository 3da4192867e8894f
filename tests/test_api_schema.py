"""The API against its own OpenAPI schema: Schemathesis generates requests for every operation (no 5xx,
every response and status documented), and every status the schema documents is shown to really happen."""

import itertools

import hypothesis
import pytest
import schemathesis
from django.test import Client
from django.utils import timezone
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cupure.accounts.models import ApiToken, Profile
from cupure.ingest import fetch
from cupure.news.models import Section, Story, Topic
from cupure.sources.models import Feed, Source

from .conftest import rss
from .personas import publish, reader

pytestmark = pytest.mark.django_db
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def wsgi_in_test_transaction():
    """Calls through the WSGI app (as Schemathesis makes them) must not close the test's connection at the
    end of each request, as Django's own test client arranges too."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(monkeypatch, settings):
    """A small site, a staff token, and no network beyond loopback (other names resolve to nothing)."""
    real_resolve = fetch.resolve

    def loopback_only(host, port, allow_private):
        if host not in ("127.0.0.1", "localhost"):
            raise fetch.FetchError(f"could not resolve host {host!r}: tests do not use the network")
        return real_resolve(host, port, allow_private)

    monkeypatch.setattr(fetch, "resolve", loopback_only)
    settings.COMMENTS_PER_MINUTE = settings.COMMENTS_PER_HOUR = settings.COMMENTS_PER_ADDRESS_MINUTE = 10**6
    src = Source.objects.create(name="City Times", slug="city-times")
    now = timezone.now()
    art = publish(
        source=src,
        section=Section.objects.get(slug="world"),
        url="https://c.example/1",
        title="Tram line approved",
        at=now,
    )
    Story.objects.create(
        id=1, headline="Tram", lead=art, first_seen=now, last_updated=now, article_count=2, source_count=2
    )
    Topic.objects.create(key="tram", name="Tram", slug="tram", mentions=1)
    Feed.objects.create(source=src, url="https://c.example/feed.xml")
    _, token = ApiToken.issue(reader("mo", staff=True), "schemathesis")
    return {"article": art, "token": token}


def test_every_operation_conforms(world, wsgi_in_test_transaction):
    """Schemathesis's generated requests for each operation, run as Hypothesis tests (its pytest plugin
    does not load under pytest 9), with a staff token so that the staff operations are reached too."""
    from cupure.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation, mode in itertools.product(operations, GenerationMode):
        # POSITIVE: valid requests; NEGATIVE: invalid ones, which must be refused with a documented 4xx.
        @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
        @hypothesis.settings(
            max_examples=25, deadline=None, database=None, suppress_health_check=list(hypothesis.HealthCheck)
        )
        def run(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {world['token']}"}, checks=CHECKS)

        try:
            run()
        except hypothesis.errors.Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # nothing invalid can be sent to it (no parameters): fine


def _ok_args(path: str, world) -> str:
    if path == "/api/v1/search":
        return path + "?q=tram"
    return (
        path.replace("{article_id}", str(world["article"].pk))
        .replace("{story_id}", "1")
        .replace(
            "{slug}",
            {
                "/api/v1/topics/{slug}": "tram",
                "/api/v1/sections/{slug}": "world",
                "/api/v1/sources/{slug}": "city-times",
            }.get(path, "x"),
        )
        .replace("{feed_id}", str(Feed.objects.first().pk if Feed.objects.exists() else 0))
    )


def _missing(path: str) -> str:
    return (
        path.replace("{article_id}", "999999")
        .replace("{story_id}", "999999")
        .replace("{slug}", "nothing-here")
        .replace("{feed_id}", "999999")
    )


BODIES = {
    "/api/v1/articles/{article_id}/comments": {"body": "Hello"},
    "/api/v1/stories/{story_id}/comments": {"body": "Hello"},
    "/api/v1/feeds": {"url": "http://127.0.0.1:9/feed.xml"},
    "/api/v1/feeds/{feed_id}": {"active": False},
}


def _request(client, method, path, body=None, **extra):
    if method == "get":
        return client.get(path, **extra)
    return getattr(client, method)(path, body if body is not None else {}, content_type="application/json", **extra)


def test_every_documented_status_really_happens(world, settings, web):
    spec = Client().get("/api/v1/openapi.json").json()
    staff = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    _, reader_token = ApiToken.issue(reader("ann"), "t")
    plain_reader = {"HTTP_AUTHORIZATION": f"Bearer {reader_token}"}
    client = Client()
    seen = set()
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            documented = set(op["responses"])
            secured = bool(op.get("security"))
            auth = staff if secured else {}
            ok_path = _ok_args(path, world)
            body = BODIES.get(path)
            for code in sorted(documented):
                status = int(code)
                if status in (200, 201, 204):
                    if path == "/api/v1/feeds" and method == "post":
                        resp = _feed_subscription(client, staff, web)
                    else:
                        resp = _request(client, method, ok_path, body, **auth)
                elif status == 304:
                    first = client.get(ok_path)
                    resp = client.get(ok_path, HTTP_IF_NONE_MATCH=first["ETag"])
                elif status == 400:
                    resp = _bad_request(client, method, path, ok_path, auth)
                elif status == 401:
                    resp = _request(client, method, ok_path, body)
                elif status == 403:
                    if "comments" in path:
                        profile = Profile.of(ApiToken.user_for(reader_token))
                        profile.banned_at = timezone.now()
                        profile.save()
                        resp = _request(client, method, ok_path, body, **plain_reader)
                        profile.banned_at = None
                        profile.save()
                    else:
                        resp = _request(client, method, ok_path, body, **plain_reader)
                elif status == 404 and method == "get" and "{" not in path:  # a list: a page that is not there
                    resp = client.get(ok_path, {"cursor": "not-a-cursor"}, **auth)
                elif status == 404:
                    resp = _request(client, method, _missing(path), body, **auth)
                elif status == 422:
                    resp = _unprocessable(client, method, path, ok_path, auth)
                elif status == 429:
                    settings.COMMENTS_PER_MINUTE = 1  # staff have no limit: a reader posts
                    _request(client, method, ok_path, {"body": "one"}, **plain_reader)
                    resp = _request(client, method, ok_path, {"body": "two"}, **plain_reader)
                    settings.COMMENTS_PER_MINUTE = 10**6
                else:
                    pytest.fail(f"no way to provoke {status} for {method.upper()} {path}")
                assert resp.status_code == status, (method, path, status, resp.content[:300])
                seen.add((method, path, status))
    assert len(seen) > 60


def _feed_subscription(client, staff, web):
    """A real subscription needs a feed to fetch: the loopback server serves one."""
    url = web.add(
        "/feed.xml", rss([{"title": "One", "link": web.url("/1")}], title="Loop"), content_type="application/rss+xml"
    )
    return client.post("/api/v1/feeds", {"url": url}, content_type="application/json", **staff)


def _bad_request(client, method, path, ok_path, auth):
    if method == "get":
        return client.get(ok_path, {"x": "\x00"}, **auth)
    if "comments" in path:
        return _request(client, method, ok_path, {"body": "   "}, **auth)
    if method == "post":
        return _request(client, method, ok_path, {"url": "ftp://example.org/feed"}, **auth)
    return _request(client, method, ok_path, {"section": "no-such-section"}, **auth)


def _unprocessable(client, method, path, ok_path, auth):
    if method in ("get", "delete") and path.endswith(("{article_id}", "{story_id}", "{feed_id}")):
        return _request(client, method, path.rsplit("/", 1)[0] + "/not-a-number", **auth)
    if path == "/api/v1/search":
        return client.get(path)  # no q
    if method == "get":
        return client.get(ok_path, {"limit": "many"}, **auth)
    return _request(client, method, ok_path, {"active": "sometimes"} if "{feed_id}" in path else {"wrong": 1}, **auth)
