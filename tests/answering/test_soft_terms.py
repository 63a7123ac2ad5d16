"""Soft term matching: spelling variants, misspellings and close synonyms count, for less."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answering.soft_terms import (
    NO_MATCHES,
    SPELLING_CREDIT,
    SYNONYM_CREDIT,
    QuestionTerms,
    SoftMatches,
    WordVectors,
    coverage,
    respelled_query,
    respelled_question,
    spelling_matches,
    synonym_matches,
    term_weights,
)
from assistant.lexical import terms

SENTENCE = "The NUG's defense minister, Ye Mon, told RFA that police officers should leave."


def asked_of(question: str) -> dict[str, set[str]]:
    return term_weights(question, "", lambda t: (t, 1.0))[1]


def test_term_weights_keep_the_words_each_term_stands_for() -> None:
    weights, asked = term_weights("Who is the defence minster?", "", lambda t: (t, 2.0))
    assert weights == {"defenc": 2.0, "minster": 2.0}
    assert asked == {"defenc": {"defence"}, "minster": {"minster"}}


def test_misspellings_and_spelling_variants_match_the_passage_word() -> None:
    soft = spelling_matches(asked_of("the NUG defence minster"), [SENTENCE])
    assert soft.matches["defenc"] == {"defens": SPELLING_CREDIT}
    assert soft.matches["minster"] == {"minist": SPELLING_CREDIT}


@pytest.mark.parametrize(
    "question",
    [
        "Who was elected?",  # "defected" is two edits and another first letter away
        "What is the cost?",  # under five letters: too many one-edit neighbours
        "Which officer spoke?",  # found as it is: nothing soft to add
        "Which African country?",  # "Africa" is another word, not a misspelling
    ],
)
def test_words_further_than_one_edit_or_short_do_not_match(question: str) -> None:
    text = "Soldiers defected; the coast was near South Africa, an officer said."
    soft = spelling_matches(asked_of(question), [text])
    assert soft.matches == {}


def test_a_soft_match_counts_for_less_than_an_exact_one() -> None:
    weights = {"defenc": 1.0, "minist": 1.0}
    sentence = frozenset(terms(SENTENCE))
    soft = SoftMatches({"defenc": {"defens": SPELLING_CREDIT}})
    exact = coverage({"defens": 1.0, "minist": 1.0}, sentence, frozenset())
    assert exact == 1.0
    assert coverage(weights, sentence, frozenset()) == 0.5
    assert coverage(weights, sentence, frozenset(), soft) == pytest.approx(
        (1 + SPELLING_CREDIT) / 2
    )
    # In a neighbouring sentence only: the neighbour share of the soft credit.
    assert coverage(weights, frozenset(), sentence, soft, 0.5) == pytest.approx(
        (0.5 + 0.5 * SPELLING_CREDIT) / 2
    )
    assert coverage(weights, frozenset(), frozenset(), soft) == 0.0


@pytest.mark.parametrize(
    ("question", "respelled"),
    [
        ("wat is the name of the minister", "what is the name of the minister"),
        ("Wich town did they reach?", "Which town did they reach?"),
        ("how many soldiers wen?", "how many soldiers wen?"),  # only the first two words
        ("were the soldiers paid?", "were the soldiers paid?"),  # a word of its own
        ("Wat Arun is where?", "What Arun is where?"),
    ],
)
def test_misspelt_question_words_are_respelled(question: str, respelled: str) -> None:
    assert respelled_question(question) == respelled


def test_a_query_word_unknown_to_the_corpus_is_respelled_as_the_passages_write_it() -> None:
    known = {"nug", "defens", "minist", "name", "polic"}.__contains__
    assert (
        respelled_query("wat is the name of the NUG defence minister", [SENTENCE], known)
        == "what is the name of the NUG defense minister"
    )
    # Known words stay as asked, and so do unknown words with no close passage word.
    assert respelled_query("Which police unit?", [SENTENCE], known) == "Which police unit?"
    assert respelled_query("Any ministry?", [SENTENCE], known) == "Any ministry?"


class ToyVectors:
    """Police words point one way, army words another, names near the police words; every
    other word has a direction of its own."""

    groups = {
        "cops": [1, 0.1],
        "police": [1, 0],
        "officers": [0.8, 0.2],
        "troops": [0, 1],
        "nug": [0.9, 0],
        "rfa": [0.9, 0],
    }

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.others: dict[str, int] = {}

    def __call__(self, words: list[str]) -> list[list[float]]:
        self.calls.append(list(words))
        return [self.vector(w) for w in words]

    def vector(self, word: str) -> list[float]:
        vector = [0.0] * 40
        if word in self.groups:
            vector[:2] = self.groups[word]
        else:
            vector[2 + self.others.setdefault(word, len(self.others))] = 1.0
        return vector


def test_close_synonyms_match_names_never_do() -> None:
    toy = ToyVectors()
    vectors = WordVectors(toy)
    question = "How many cops did the NUG's troops meet?"
    found = synonym_matches(asked_of(question), question, SENTENCE, vectors)
    # "cops" stands for "police" (cosine 0.99) and "officers" (0.97); "troops" for nothing;
    # the name "NUG" is not compared with the name "RFA" however close their vectors.
    assert found.matches == {"cop": {"polic": SYNONYM_CREDIT, "offic": SYNONYM_CREDIT}}
    assert not any("rfa" in call or "nug" in call for call in toy.calls)


def test_word_vectors_are_computed_once_and_only_for_terms_still_missing() -> None:
    toy = ToyVectors()
    vectors = WordVectors(toy)
    question = "How many cops?"
    first = synonym_matches(asked_of(question), question, SENTENCE, vectors)
    calls = len(toy.calls)
    second = synonym_matches(asked_of(question), question, SENTENCE, vectors)
    assert first == second and len(toy.calls) == calls  # cached
    known = synonym_matches(asked_of(question), question, SENTENCE, vectors, known={"cop"})
    assert known is NO_MATCHES and len(toy.calls) == calls
    unit = vectors(["cops", "police"])
    assert np.allclose(np.linalg.norm(unit, axis=1), 1.0)


def test_a_misspelt_question_is_answered_from_the_shipped_articles(shipped_bot) -> None:
    answer = shipped_bot.ask("How many peple has the junta kiled?")
    assert not answer.abstained
    assert answer.short_answer is not None and "1,043" in answer.short_answer.text


def test_a_synonym_does_not_make_a_withheld_fact_answer_another_question(bot_for) -> None:
    # "troops" stands for "soldiers" in the sentence saying where the money came from is not
    # disclosed; that sentence is about the money, not the battalions. Synonyms are off by
    # default (answer.synonyms_below): on here.
    bot = bot_for(answer={"synonyms_below": 0.45})
    bot.index()
    assert bot.engines["extractive"].settings.synonyms_below == 0.45
    answer = bot.ask("Which battalions were the defecting troops from?")
    assert "would not disclose" not in answer.answer.split("[1]")[0]


def test_the_words_of_several_sentences_are_embedded_in_one_model_call() -> None:
    from types import SimpleNamespace

    toy = ToyVectors()
    vectors = WordVectors(toy)
    question = "How many cops left?"
    weights, asked = term_weights(question, "", lambda t: (t, 1.0))
    texts = [SENTENCE, "Two troops and three officers left the base."]
    sentences = [
        SimpleNamespace(text=t, coverage=0.0, terms=frozenset(terms(t)), context=frozenset())
        for t in texts
    ]
    question_terms = QuestionTerms(question, weights, asked, NO_MATCHES)
    question_terms.prefetch(sentences, vectors)
    assert len(toy.calls) == 1 and {"police", "troops", "cops"} <= set(toy.calls[0])
    covered = [question_terms.coverage_with_synonyms(s, vectors) for s in sentences]
    assert len(toy.calls) == 1  # every word was already embedded
    # "cops" stands for "police" in the first sentence, for "officers" in the second, which
    # holds "left" too.
    assert covered[0] == pytest.approx(SYNONYM_CREDIT / 2)
    assert covered[1] == pytest.approx((1 + SYNONYM_CREDIT) / 2)
