"""An article that does not say its language is read in the language its words are in: its own word
frequencies decide what is common (wordfreq's lists), and English stays the answer for English headlines that
quote a few foreign words."""

import os
import subprocess
import sys

import pytest

from cupure.analysis.language import guess_language
from cupure.analysis.topics import item_topics


@pytest.mark.parametrize(
    "language,text",
    [
        ("de", "Die Bundesregierung hat am Montag beschlossen, dass die Steuern für Unternehmen sinken sollen."),
        ("fr", "Le gouvernement a annoncé lundi que les impôts des entreprises vont baisser cette année."),
        ("pt", "O governo anunciou na segunda-feira que os impostos das empresas vão cair este ano."),
        ("es", "El gobierno anunció el lunes que los impuestos de las empresas van a bajar este año."),
        ("it", "Il governo ha annunciato lunedì che le tasse per le imprese scenderanno quest'anno."),
        ("vi", "Hai người thiệt mạng trong vụ tai nạn giao thông tại Hà Nội vào sáng nay."),
        ("en", "The government said on Monday that taxes on companies would fall this year."),
        ("en", "Die Hard 5 opens this weekend"),
        ("en", "U.S. court upholds Fed's cap on debit card fees"),
        ("en", "GOP Offers Up a New Health Care Propo....z z z z z....al"),
    ],
)
def test_the_language_of_a_text(language, text):
    assert guess_language(text) == language


def test_an_article_without_a_language_is_read_in_its_own():
    text = "Hai người thiệt mạng trong vụ tai nạn giao thông tại Hà Nội vào sáng nay, công an cho biết."
    assert item_topics("Tai nạn ở Hà Nội", text).language == "vi"
    assert item_topics("Tai nạn ở Hà Nội", text, language="en-GB").language == "en"  # what it says wins


def test_the_same_text_gets_the_same_language_in_every_process():
    # Words two languages share as often: the answer must not follow the order string hashing gives them.
    text = "Marchers say 'Si se puede' on 18th annual César Chávez event"
    code = f"from cupure.analysis.language import guess_language; print(guess_language({text!r}))"
    answers = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(8)
    }
    assert len(answers) == 1, answers
