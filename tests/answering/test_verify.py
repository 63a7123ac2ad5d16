"""Verification rejects what the passages do not support."""

from __future__ import annotations

from assistant.answering.verify import DraftSentence, find_verbatim, split_draft, verify
from assistant.models import Passage

TEXT = (
    "Twelve soldiers serving in the Myanmar military have deserted.\n\n"
    "“They are siding with the truth,” he added. The KNU signed a ceasefire in 2015."
)
PASSAGE = Passage("a:h:0", "a", 0, 0, len(TEXT), TEXT, 1.0, title="T")


def check(*drafts: DraftSentence):
    return verify(list(drafts), [PASSAGE], lambda _id: TEXT)


def test_verbatim_quote_with_offsets() -> None:
    result = check(DraftSentence("The KNU signed a ceasefire in 2015.", (1,)))
    (c,) = result.citations
    assert TEXT[c.start : c.end] == c.quote == "The KNU signed a ceasefire in 2015."
    assert result.text == "The KNU signed a ceasefire in 2015. [1]"


def test_citation_to_a_passage_not_given_is_removed() -> None:
    result = check(DraftSentence("Twelve soldiers deserted.", (3,)))
    assert not result.citations and result.text == ""
    assert "not given" in result.flagged[0]


def test_fabricated_number_is_removed() -> None:
    result = check(
        DraftSentence("Forty soldiers deserted.", (1,)),
        DraftSentence("Twelve soldiers deserted.", (1,)),
    )
    assert result.text == "Twelve soldiers deserted. [1]"
    assert "40" in result.flagged[0]


def test_fabricated_name_is_removed() -> None:
    result = check(DraftSentence("General Smith signed the ceasefire in 2015.", (1,)))
    assert not result.citations and "Smith" in result.flagged[0]


def test_uncited_sentence_is_removed() -> None:
    assert check(DraftSentence("Twelve soldiers deserted.", ())).flagged[0].endswith("no citation")


def test_quotes_and_whitespace_are_normalised_only() -> None:
    assert find_verbatim(TEXT, '"They are  siding with the truth," he added.') is not None
    assert find_verbatim(TEXT, "They are siding with the lies") is None


def test_markers_parsed_into_data() -> None:
    drafts = split_draft("Twelve soldiers deserted [1]. They sided with the truth [1, 2].")
    assert [d.cites for d in drafts] == [(1,), (1, 2)]
    assert drafts[0].text == "Twelve soldiers deserted ." or drafts[0].text.startswith(
        "Twelve soldiers deserted"
    )


def test_claim_without_names_or_numbers_needs_term_support() -> None:
    result = check(DraftSentence("The weather today is sunny and warm.", (1,)))
    assert not result.citations and "not supported" in result.flagged[0]
    assert check(DraftSentence("They are siding with the truth.", (1,))).citations


def test_number_word_at_sentence_start_is_a_number_not_a_name() -> None:
    flagged = check(DraftSentence("Forty soldiers deserted.", (1,))).flagged[0]
    assert "40" in flagged and "Forty" not in flagged.split("—")[1]


def test_copied_sentence_is_its_own_quote() -> None:
    at = TEXT.index("The KNU signed")
    sentence = "The KNU signed a ceasefire in 2015."
    (c,) = check(DraftSentence(sentence, (1,), at=at)).citations
    assert (c.start, c.end, c.quote) == (at, at + len(sentence), sentence)
    # A wrong offset is ignored: the passage is searched as for any other claim.
    (c,) = check(DraftSentence(sentence, (1,), at=0)).citations
    assert (c.start, c.quote) == (at, sentence)


def test_verbatim_search_prefers_the_occurrence_it_was_pointed_at() -> None:
    text = "A fire broke out. A fire broke out. Nobody was hurt."
    second = text.index("A fire", 1)
    quote = "A fire broke out."
    assert find_verbatim(text, quote, near=second) == (second, second + len(quote))
    assert find_verbatim(text, quote, near=0) == (0, len(quote))
    assert find_verbatim(text, "A fire  broke out.", near=second) == (second, second + len(quote))
