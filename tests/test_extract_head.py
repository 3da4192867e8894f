"""What a page says of itself in its <head> (author, picture, publisher, canonical link, language) is read
as a browser parses it, whatever the page wraps it in."""

from cupure.ingest.extract import extract_article

from .conftest import LOREM

BODY = "".join(f"<p>{LOREM}</p>" for _ in range(3))


def page(head: str, prolog: str = "<!DOCTYPE html>", lang: str = "") -> str:
    return (
        f"{prolog}<html{lang}><head><title>Rates held</title>{head}</head><body><article>{BODY}</article></body></html>"
    )


def read(head: str, url: str = "https://city.example/a", **wrapping):
    """The article as ingestion reads it (the feed gave title and date): its fields from the page's tags."""
    return extract_article(page(head, **wrapping), url, full_metadata=False)


def test_tags_behind_scripts_that_mention_head_and_body():
    art = read(
        "<script>var t = '</head><body onload=\"x()\">';</script>"
        '<meta property="og:site_name" content="City Times" name="site_name">'
        '<meta name="author" content="Ana  Lima"><meta property="og:image" content="https://city.example/a.jpg">'
        '<link rel="Canonical" href="/news/rates">',
        "https://city.example/amp/rates",
    )
    assert art.site_name == "City Times"
    assert art.author == "Ana Lima"
    assert art.image == "https://city.example/a.jpg"
    assert art.canonical_url == "https://city.example/news/rates"


def test_xhtml_with_an_encoding_declaration():
    xhtml = read(
        '<meta property="og:locale" content="pt_BR"><meta property="og:site_name" content="Folha">',
        prolog='<?xml version="1.0" encoding="utf-8"?>',
    )
    assert (xhtml.site_name, xhtml.language) == ("Folha", "pt")


def test_relative_pictures_are_no_picture_and_html_lang_wins():
    art = read(
        '<meta property="og:image" content="/a.jpg"><meta http-equiv="content-language" content="de">',
        lang=' lang="en-GB"',
    )
    assert (art.image, art.language) == ("", "en")
