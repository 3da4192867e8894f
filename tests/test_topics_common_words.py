"""Common words of the language are no topics: not from headlines ("Things You Need To Know"), not as a lone
capitalised word from a title ("Die", "Leave"), not number words ("billion"); the names readers follow stay."""

from collections import Counter

from cupure.analysis.topics import item_topics, top_topics


def tags(title, text="", language="en"):
    return top_topics(item_topics(title, text, language=language), Counter(), 0, limit=10)


def test_common_words_are_not_topics():
    assert tags("Things You Need To Know About Ebola") == ["ebola"]
    assert "billion" not in tags("Apple buys Beats for $3 billion", "Apple said it would buy Beats Electronics.")
    film = tags("Review: a family comedy", "A Million Ways to Die in the West opens Friday. Here is what to know.")
    assert not {"die", "know", "million", "way", "million way"} & set(film)
    assert tags("Chelsea Handler ends her show", "Chelsea Handler said she would leave E! next year.") == [
        "chelsea handler"
    ]


def test_names_readers_follow_stay():
    found = tags("Apple buys Beats for $3 billion", "The deal was announced by Apple and Google watchers in Cupertino.")
    assert {"apple", "google", "cupertino"} <= set(found)


def test_the_articles_language_decides_what_is_common():
    from cupure.analysis.topics import frequency

    assert frequency("regierung", "de") > frequency("regierung", "en")
    assert frequency("regierung", "xx") == frequency("regierung", "en")  # no list: English
