"""Who is asking: the client's address behind trusted proxies, and the forms it is kept in.

Behind the reverse proxy of docs/deploy.md every request arrives from the proxy's address. The client's own
is then the right-most address of X-Forwarded-For that is not a trusted proxy's (each proxy appends the
address it received the request from; anything left of the first untrusted hop may be forged by the
client). Only requests that come from a trusted proxy are read that way: a client that sends the header
straight to the site gets its own address, whatever it claims.

Nothing stores the raw address. Comments keep it anonymised as isso does (the last octet of IPv4, the last
80 bits of IPv6 zeroed); the limits on log-ins and posts count a keyed hash of the full address, so two
readers of one network are still limited apart.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def _trusted(addr) -> bool:
    return addr is not None and any(addr in net for net in settings.TRUSTED_PROXIES)


def client_address(request) -> str:
    """The client's IP address as text ("unknown" when the connection has none, a unix socket say)."""
    peer = _address(request.META.get("REMOTE_ADDR", "") or "")
    if peer is None:
        return "unknown"
    if _trusted(peer):
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        for hop in reversed(hops):
            addr = _address(hop)
            if addr is None:
                break  # garbage in the chain: stop at the last hop that made sense
            peer = addr
            if not _trusted(addr):
                break
    return str(peer)


def anonymised(address: str) -> str | None:
    """The address with its host part zeroed (IPv4 /24, IPv6 /48), as stored with a comment; None when the
    text is no address."""
    addr = _address(address or "")
    if addr is None:
        return None
    prefix = 24 if addr.version == 4 else 48
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False).network_address)


def address_key(address: str) -> str:
    """A stable key for counting one address's requests without keeping the address itself."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()[:32]
