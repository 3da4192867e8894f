"""Duplicate keys for an article: canonical URL, exact content hash, and a MinHash for near-duplicates.

MinHash (Broder 1997) over 4-word shingles estimates the Jaccard similarity
of two texts' shingle sets. A wire story republished with a byline, a
sign-off or a reworded sentence keeps a Jaccard around 0.85; different
stories on the same event stay far below 0.3. The signature's 100 values are
cut into 20 bands of 5 (LSH): two texts with Jaccard J share at least one
band with probability 1 - (1 - J^5)^20 (0.975 at J = 0.7, 0.18 at J = 0.4), so
candidates come from an indexed equality lookup on band keys and only those
are compared on the full signature.

SimHash was tried first: on a 130-word story, a byline plus one edited
sentence moved it 10 bits of 64, far past the usual 3-bit threshold.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from cupure.lib.text import shingles, tokens
from cupure.lib.urls import canonicalize, trusted_canonical

NUM_PERM = 100
BANDS = 20
ROWS = NUM_PERM // BANDS
NEAR_JACCARD = 0.7  # estimated Jaccard at or above which two texts are the same article
MIN_WORDS = 40  # shorter texts (teasers) are too alike by chance to call near-duplicates

# Multiply-shift hash functions h(x) = (a*x + b) mod 2^64, top 32 bits; fixed seeds keep signatures stable
# across processes and releases (stored signatures must stay comparable).
_rng = np.random.default_rng(20261125)
_A = _rng.integers(1, 2**63 - 1, NUM_PERM, dtype=np.uint64) | np.uint64(1)
_B = _rng.integers(0, 2**63 - 1, NUM_PERM, dtype=np.uint64)


@dataclass(frozen=True)
class Fingerprint:
    canonical_url: str
    content_hash: str  # sha256 of the normalised words; "" for an empty text
    minhash: bytes  # NUM_PERM uint32 values; b"" when the text is too short
    band_keys: tuple[int, ...]  # BANDS signed 64-bit keys; () when the text is too short


def _hash64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")


def minhash(words: list[str]) -> np.ndarray:
    """The uint32 MinHash signature of the text's 4-word shingles."""
    grams = shingles(words)
    x = np.fromiter((_hash64(g) for g in grams), dtype=np.uint64, count=len(grams))
    with np.errstate(over="ignore"):  # wrap-around is the point of multiply-shift hashing
        h = (x[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return h.min(axis=0).astype(np.uint32)


def band_keys(signature: np.ndarray) -> tuple[int, ...]:
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return tuple(keys)


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two stored signatures (0.0 when either is missing)."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(np.frombuffer(a, dtype=np.uint32) == np.frombuffer(b, dtype=np.uint32)))


def fingerprint(url: str, text: str, canonical_hint: str = "", words: list[str] | None = None) -> Fingerprint:
    """``canonical_hint`` is the page's rel=canonical, preferred over the link when it is an http(s) URL
    on the link's own site; ``words`` are ``tokens(text)`` when the caller has them already."""
    words = tokens(text) if words is None else words
    canonical_hint = trusted_canonical(url, canonical_hint) if canonical_hint else ""
    content_hash = hashlib.sha256(" ".join(words).encode()).hexdigest() if words else ""
    if len(words) < MIN_WORDS:
        return Fingerprint(canonicalize(canonical_hint or url), content_hash, b"", ())
    sig = minhash(words)
    return Fingerprint(canonicalize(canonical_hint or url), content_hash, sig.tobytes(), band_keys(sig))
