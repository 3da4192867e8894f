"""An article whose body the site cuts into containers of one kind, with advertising between them, is read
whole; the next story of an endless page, in the same kind of container under its own headline, is not."""

from cupure.ingest.extract import extract_article

PARAGRAPHS = [
    f"Paragraph {n} of the report says the harbour authority will spend {n} million euros on the quays, "
    f"the dredging of the channel and a new terminal for the ferries that link the islands {n} times a day."
    for n in range(1, 10)
]


def chunk(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<div class="grid"><div class="body article__body">{body}</div></div>'


AD = '<div class="ad"><span>Advertisement</span><div class="slot"></div></div>'


def page(after: str) -> str:
    first = chunk(PARAGRAPHS[:3])
    return (
        "<html><head><title>Harbour to get new quays</title></head><body>"
        f'<main><h1>Harbour to get new quays</h1><div class="chunks">{first}{after}</div></main></body></html>'
    )


def test_every_chunk_of_the_article_is_read_in_order():
    art = extract_article(page(AD + chunk(PARAGRAPHS[3:6]) + AD + chunk(PARAGRAPHS[6:])), "https://port.example/a")
    positions = [art.text.find(p) for p in PARAGRAPHS]
    assert -1 not in positions, "a chunk of the article is missing"
    assert positions == sorted(positions)
    assert "Advertisement" not in art.text


def test_the_next_story_of_an_endless_page_is_not_read_as_a_chunk():
    story = f'<div class="next"><h1>Ferry strike called off</h1>{chunk(PARAGRAPHS[3:6])}</div>'
    art = extract_article(page(AD + story), "https://port.example/a")
    assert PARAGRAPHS[0] in art.text and PARAGRAPHS[2] in art.text
    assert PARAGRAPHS[3] not in art.text
