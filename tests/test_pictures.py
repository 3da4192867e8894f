"""Pictures: the worker fetches an article's picture once, through the guarded HTTP module, and cupure serves
it (a card thumbnail, the article's lead image) from its own origin with long cache headers; what is not a
picture is refused with the reason recorded, and never fetched again."""

import io
import struct
import zlib

import pytest
from django.test import Client
from PIL import Image

from cupure.ingest.errors import ImageError
from cupure.ingest.images import make_images
from cupure.news.models import Article, ArticlePicture
from cupure.news.pictures import cache_pictures

from .personas import outlet, publish

pytestmark = pytest.mark.django_db


def png(width=800, height=500, color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


def bomb_header(width=60000, height=60000) -> bytes:
    """A PNG that declares 3.6 gigapixels in a few bytes."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")
    )


def test_cards_and_article_show_cupures_copy(web):
    src = outlet("City Times")
    arts = [
        publish(src, f"Story {n}", image_url=web.add(f"/p{n}.png", png(), content_type="image/png")) for n in range(20)
    ]
    plain = publish(src, "No picture here")
    assert cache_pictures() == 20 and cache_pictures() == 0  # each fetched once
    assert Article.objects.filter(has_picture=True).count() == 20
    client = Client()
    home = client.get("/").content.decode()
    thumbs = [f'src="/picture/{a.pk}/thumb.webp"' for a in arts]
    assert sum(t in home for t in thumbs) == 20 and "127.0.0.1" not in home  # 100%, none from the publisher
    assert f"/picture/{plain.pk}/" not in home
    resp = client.get(f"/picture/{arts[0].pk}/thumb.webp")
    assert resp["Content-Type"] == "image/webp" and "immutable" in resp["Cache-Control"]
    assert Image.open(io.BytesIO(resp.content)).size == (320, 180)
    page = client.get(arts[0].get_absolute_url()).content.decode()
    assert f'src="/picture/{arts[0].pk}/lead.webp" alt="Story 0"' in page
    assert client.get(f"/picture/{plain.pk}/thumb.webp").status_code == 404
    assert client.get(f"/picture/{arts[0].pk}/other.webp").status_code == 404


@pytest.mark.parametrize(
    "body, content_type, reason",
    [
        (b"<html>not a picture</html>", "text/html", "not a readable image"),
        (png(1, 1), "image/png", "too small"),
        (bomb_header(), "image/png", "too large to decode"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml", "not a readable"),
    ],
)
def test_what_is_no_picture_is_refused_with_its_reason(web, body, content_type, reason):
    art = publish(outlet("City Times"), "Story", image_url=web.add("/x", body, content_type=content_type))
    cache_pictures()
    row = ArticlePicture.objects.get(article=art)
    assert reason in row.error and not row.thumb
    assert not Article.objects.get(pk=art.pk).has_picture
    assert cache_pictures() == 0  # not fetched again


def test_a_picture_on_a_private_address_is_never_fetched(web, settings):
    settings.ALLOW_PRIVATE_NETWORKS = False
    art = publish(outlet("City Times"), "Story", image_url=web.add("/p.png", png(), content_type="image/png"))
    cache_pictures()
    assert "private" in ArticlePicture.objects.get(article=art).error.lower() or "blocked" in (
        ArticlePicture.objects.get(article=art).error.lower()
    )


def test_make_images_keeps_the_shape_of_the_lead():
    images = make_images(png(2048, 1024))
    lead = Image.open(io.BytesIO(images.lead))
    assert lead.size == (1024, 512) and (images.width, images.height) == (1024, 512)
    with pytest.raises(ImageError):
        make_images(b"")


def test_a_stopping_worker_leaves_the_picture_for_the_next_run(web, monkeypatch):
    """A worker told to stop gives its fetches up: that is no reason against the picture, which the next run
    fetches and stores."""
    from cupure.ingest import fetch

    art = publish(outlet("City Times"), "Story", image_url=web.add("/p.png", png(), content_type="image/png"))
    monkeypatch.setattr(fetch, "_stop_at", 0.0)  # stopping since long ago
    cache_pictures()
    assert not ArticlePicture.objects.filter(article=art).exists()
    monkeypatch.setattr(fetch, "_stop_at", None)
    cache_pictures()
    assert ArticlePicture.objects.get(article=art).error == "" and Article.objects.get(pk=art.pk).has_picture
