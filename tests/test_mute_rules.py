"""Muted words match whole words, any case, with or without accents; hidden sources hide all they publish."""

from cupure.readers.mutes import MuteRules, phrase_words


def rules(*phrases, sources=None):
    return MuteRules(phrases={p: phrase_words(p) for p in phrases}, sources=sources or {})


def test_whole_words_any_case_and_accents():
    r = rules("crypto", "élysée palace")
    assert r.reason("CRYPTO: prices slide") == "muted: 'crypto'"
    assert r.reason("Why crypto's winter is over") == "muted: 'crypto'"
    assert r.reason("Cryptography prize for two Swiss") is None
    assert r.reason("Inside the Elysee Palace") == "muted: 'élysée palace'"
    assert r.reason("Palace near the Élysée") is None  # a phrase is its words in order
    assert r.reason("Markets calm", "Crypto lenders fold") == "muted: 'crypto'"  # the summary counts


def test_hidden_source_and_no_rules():
    r = rules(sources={7: "Fox News"})
    assert r.reason("Anything", source_id=7) == "hidden source: Fox News"
    assert r.reason("Anything", source_id=8) is None
    assert not MuteRules() and MuteRules().reason("crypto") is None
