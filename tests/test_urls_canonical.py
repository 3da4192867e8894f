"""Canonical URLs: the same article reached by two links compares equal."""

from cupure.lib.urls import canonicalize, strip_tracking


def test_tracking_parameters_and_noise_removed():
    a = canonicalize("http://WWW.Example.com:80/news/story/?utm_source=rss&utm_medium=feed&id=7&fbclid=abc#top")
    b = canonicalize("https://example.com/news/story?gclid=x&id=7")
    assert a == b == "https://example.com/news/story?id=7"


def test_real_parameters_kept_and_sorted():
    assert canonicalize("https://ex.org/a?b=2&a=1") == canonicalize("https://ex.org/a?a=1&b=2")
    assert canonicalize("https://ex.org/a?page=2") != canonicalize("https://ex.org/a?page=3")


def test_reader_link_keeps_its_form():
    assert strip_tracking("https://ex.org/A/?utm_campaign=x&q=1") == "https://ex.org/A/?q=1"
    assert strip_tracking("https://ex.org/a#section") == "https://ex.org/a#section"
