"""Near-duplicate signatures: a republished wire story is close, a different story is far."""

from cupure.ingest.fingerprint import NEAR_JACCARD, fingerprint, similarity

from .conftest import LOREM

WIRE = " ".join(LOREM)
OTHER = (
    "The football club confirmed on Monday that its manager had left by mutual consent after a run of "
    "seven defeats, and named the academy coach as interim manager for the weekend match against the "
    "league leaders. Supporters had protested outside the stadium before the last home game, and the "
    "board said a permanent appointment would follow before the transfer window opens in January."
)


def test_republished_copy_is_near():
    copy = (
        "By Staff and wire reports. " + WIRE.replace("analysts said", "analysts told the agency") + " Reporting by A."
    )
    a, b = fingerprint("https://a.example/x", WIRE), fingerprint("https://b.example/y", copy)
    assert a.content_hash != b.content_hash
    assert similarity(a.minhash, b.minhash) >= NEAR_JACCARD
    assert set(a.band_keys) & set(b.band_keys)  # found by the banded lookup


def test_different_story_is_far():
    a, b = fingerprint("https://a.example/x", WIRE), fingerprint("https://b.example/y", OTHER)
    assert similarity(a.minhash, b.minhash) < 0.2
    assert not set(a.band_keys) & set(b.band_keys)


def test_short_teasers_get_no_signature():
    fp = fingerprint("https://a.example/x", "Rates held steady")
    assert fp.minhash == b"" and fp.band_keys == ()


def test_same_words_same_hash_whatever_the_spacing():
    assert fingerprint("u", "A  b\n\nC").content_hash == fingerprint("v", "a b c").content_hash
