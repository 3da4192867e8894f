"""Duplicate keys for an article: canonical URL, exact content hash, and a SimHash for near-duplicates.

SimHash (Charikar 2002) over 4-word shingles gives a 64-bit signature whose
Hamming distance tracks text similarity. The signature is stored as four
16-bit bands: two signatures within ``NEAR_DISTANCE`` bits share at least one
band exactly (pigeonhole), so candidates come from an indexed equality lookup
and only those are compared bit by bit.
"""
from __future__ import annotations

import hashlib

import numpy as np
from dataclasses import dataclass

from cupure.lib.text import shingles, tokens
from cupure.lib.urls import canonicalize

NEAR_DISTANCE = 3  # bits of 64; measured on republished wire copies (see tests/test_fingerprint.py)
MIN_WORDS = 40  # shorter texts (teasers) are too alike by chance to call near-duplicates


@dataclass(frozen=True)
class Fingerprint:
    canonical_url: str
    content_hash: str  # sha256 of the normalised words; "" for an empty text
    simhash: int  # signed 64-bit, to fit a database BIGINT; 0 when the text is too short
    bands: tuple[int, int, int, int]


def _hash64(s: str) -> int:
    return int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "big")


def simhash(words: list[str]) -> int:
    """Unsigned 64-bit SimHash of the text's 4-word shingles."""
    grams = shingles(words)
    if not grams:
        return 0
    hashes = np.fromiter((_hash64(g) for g in grams), dtype=np.uint64, count=len(grams))
    # Bit-count per position, vectorised: (n, 64) bits, summed down the column.
    bits = np.unpackbits(hashes.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little")
    ones = bits.sum(axis=0, dtype=np.int64)
    weights = (ones * 2 > len(grams)).astype(np.uint8)  # majority vote per bit, little-endian within bytes
    return int.from_bytes(np.packbits(weights, bitorder="little").tobytes(), "little")


def to_signed(u: int) -> int:
    return u - (1 << 64) if u >= 1 << 63 else u


def to_unsigned(s: int) -> int:
    return s + (1 << 64) if s < 0 else s


def bands_of(u: int) -> tuple[int, int, int, int]:
    return tuple((u >> (16 * i)) & 0xFFFF for i in range(4))  # type: ignore[return-value]


def distance(a: int, b: int) -> int:
    return (to_unsigned(a) ^ to_unsigned(b)).bit_count()


def fingerprint(url: str, text: str, canonical_hint: str = "") -> Fingerprint:
    """``canonical_hint`` is the page's rel=canonical, preferred over the link when present."""
    words = tokens(text)
    content_hash = hashlib.sha256(" ".join(words).encode()).hexdigest() if words else ""
    u = simhash(words) if len(words) >= MIN_WORDS else 0
    return Fingerprint(canonicalize(canonical_hint or url), content_hash, to_signed(u), bands_of(u) if u else (0, 0, 0, 0))
