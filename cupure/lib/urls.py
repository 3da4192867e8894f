"""URL canonicalization: the first half of the duplicate key.

Two links to the same article should compare equal: scheme and host
lower-cased, default ports and fragments dropped, tracking parameters
(utm_*, fbclid, gclid and friends) removed, remaining parameters sorted,
``/index.html``-style trailing noise kept (servers differ on it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from courlan import extract_domain

_TRACKING_EXACT = {
    "fbclid",
    "gclid",
    "gclsrc",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "twclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "ocid",
    "cmpid",
    "cmp",
    "ncid",
    "sr_share",
    "smid",
    "smtyp",
    "ito",
    "spm",
    "ref_src",
    "ref_url",
    "taid",
    "__twitter_impression",
    "xtor",
    "at_medium",
    "at_campaign",
    "at_custom1",
    "at_custom2",
    "at_custom3",
    "at_custom4",
    "mbid",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "soc_src",
    "soc_trk",
    "s_cid",
    "wt_mc",
    "wt.mc_id",
    "ns_mchannel",
    "ns_source",
    "ns_campaign",
    "ns_linkname",
    "ns_fee",
    "icid",
    "utm",
}
_TRACKING_PREFIX = ("utm_", "pk_", "mtm_", "hsa_", "oly_", "vero_", "__hs", "_hs", "at_")


def is_tracking_param(name: str) -> bool:
    low = name.lower()
    return low in _TRACKING_EXACT or low.startswith(_TRACKING_PREFIX)


def canonicalize(url: str) -> str:
    """A stable form of ``url`` for duplicate detection (the link readers follow stays the original)."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # a malformed netloc or port: compare the text as it is
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = port if port and (scheme, port) not in (("http", 80), ("https", 443)) else None
    netloc = f"{host}:{port}" if port else host
    path = quote(unquote(parts.path or "/"), safe="/:@!$&'()*+,;=~%-._")
    path = re.sub(r"/{2,}", "/", path)
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    query.sort()
    # http and https are one article: the key uses https.
    return urlunsplit(("https" if scheme in ("http", "https") else scheme, netloc, path, urlencode(query), ""))


def strip_tracking(url: str) -> str:
    """The link as the reader should follow it: original form, tracking parameters removed."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        return (url or "").strip()
    if not parts.query and not parts.fragment.startswith(("utm_", "xtor")):
        return url.strip()
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    fragment = "" if parts.fragment.startswith(("utm_", "xtor")) else parts.fragment
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), fragment))


def site_of(url: str) -> str:
    """The registrable domain of an http(s) URL ("bbc.co.uk" for www.bbc.co.uk and news.bbc.co.uk, by the
    public suffix list courlan ships), its host when it has none (an address, "localhost"); "" when the URL
    is not http(s)."""
    try:
        parts = urlsplit((url or "").strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not host:
        return ""
    return _registrable(host)


@lru_cache(maxsize=4096)
def _registrable(host: str) -> str:
    return extract_domain(f"http://{host}/") or host


def trusted_canonical(url: str, canonical: str) -> str:
    """The page's rel=canonical when it may stand for ``url``: an http(s) URL on the same site. A page
    cannot claim another publisher's article (it would suppress theirs as a duplicate of its own), nor
    name a javascript: or data: URL; "" otherwise."""
    site = site_of(canonical)
    return canonical.strip() if site and site == site_of(url) else ""


# Host prefixes that name a publisher's web or feed server rather than a part of the site.
_SERVER_PREFIXES = ("www.", "feeds.", "feed.", "rss.", "rssfeeds.")


def host_of(url: str) -> str:
    """The publisher's host as cupure keys it: lower case, without a www./feeds./rss. server prefix
    ("bbc.co.uk" for www.bbc.co.uk and feeds.bbc.co.uk, "news.bbc.co.uk" stays); "" for no URL."""
    try:
        host = (urlsplit(url or "").hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    for prefix in _SERVER_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            return host[len(prefix) :]
    return host
