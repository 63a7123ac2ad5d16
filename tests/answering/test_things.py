"""Common-noun answers of the asked kind (things.py): "Which sea animal ...?" -> a noun of the
sentence typed by meaning, near the question's words, never a word the question states."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answering.entity_question import Entity, asked_entity
from assistant.answering.inline_wh import inline_what_span
from assistant.answering.short_answer import needs_typed_answer, typed_span
from assistant.answering.things import (
    SIMILAR_FROM,
    ThingTyper,
    asked_kind,
    is_open,
    named_candidates,
    open_thing,
    thing_candidates,
)


class FakeTyper:
    """Unit vectors chosen per word: a word's cosine to the kind is set by the test."""

    def __init__(self, cosines: dict[str, float]) -> None:
        self.cosines = cosines
        self.embedded: list[str] = []

    def __call__(self, texts: list[str]) -> np.ndarray:
        self.embedded.extend(texts)
        rows = []
        for k, text in enumerate(texts):
            if k == 0:
                rows.append([1.0, 0.0])  # the kind
                continue
            c = self.cosines.get(text, 0.0)
            rows.append([c, float(np.sqrt(1 - c * c))])
        return np.asarray(rows, dtype=np.float32)


def _typer(cosines: dict[str, float]) -> ThingTyper:
    return ThingTyper(FakeTyper(cosines))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which sea animal has been documented bringing gifts to humans?", "sea animal"),
        ("New research suggests that overindulging in what food may trigger nightmares?", "food"),
        ("What type of ape became the first wild animal to tend a wound?", "ape"),
        ("Which Thanksgiving dish was invented in the 1950s?", "thanksgiving dish"),
    ],
)
def test_the_kind_asked_keeps_the_word_that_narrows_it(question: str, kind: str) -> None:
    asked = asked_entity(question)
    assert asked is not None and asked.entity is Entity.THING
    assert asked_kind(question, asked.noun) == kind


def test_the_noun_of_the_kind_is_chosen_and_is_a_span_of_the_sentence() -> None:
    question = "Which sea animal has been documented bringing gifts to humans?"
    sentence = "Researchers say orcas have offered prey to people in boats, the study found."
    asked = asked_entity(question)
    assert asked is not None
    found = thing_candidates(asked, question, sentence, _typer({"orcas": 0.8, "boats": 0.4}))
    assert [sentence[t.start : t.end] for t in found] == ["orcas"]


def test_below_the_threshold_nothing_answers() -> None:
    question = "Which sea animal has been documented bringing gifts to humans?"
    sentence = "Researchers say orcas have offered prey to people in boats, the study found."
    asked = asked_entity(question)
    assert asked is not None
    low = {"orcas": SIMILAR_FROM - 0.01}
    assert thing_candidates(asked, question, sentence, _typer(low)) == []


def test_words_the_question_states_and_other_kinds_are_not_candidates() -> None:
    question = "Which sea animal has been documented bringing gifts to humans?"
    sentence = "The animal, a species of dolphin, brought gifts to humans near the sea."
    fake = FakeTyper({"dolphin": 0.7, "animal": 0.99, "species": 0.95, "gifts": 0.9})
    asked = asked_entity(question)
    assert asked is not None
    found = thing_candidates(asked, question, sentence, ThingTyper(fake))
    assert [sentence[t.start : t.end] for t in found] == ["dolphin"]
    embedded = set(fake.embedded[1:])
    assert not embedded & {"animal", "species", "gifts", "humans", "sea"}


def test_closeness_to_the_question_words_decides_between_candidates() -> None:
    question = "Overindulging in what food may trigger nightmares?"
    sentence = (
        "Pasta was served at the event, and a study found that cheese, eaten late, "
        "may trigger nightmares in some adults."
    )
    asked = asked_entity(question)
    assert asked is not None
    found = thing_candidates(asked, question, sentence, _typer({"pasta": 0.7, "cheese": 0.7}))
    assert [sentence[t.start : t.end] for t in found][:2] == ["cheese", "Pasta"]


def test_a_pair_of_nouns_beats_its_head_only_when_nearer_the_kind() -> None:
    question = "Which material did the agents remove from the border?"
    sentence = "Agents took down the razor wire along the border."
    asked = asked_entity(question)
    assert asked is not None and asked.entity is Entity.THING
    pair = thing_candidates(asked, question, sentence, _typer({"razor wire": 0.8, "wire": 0.6}))
    assert sentence[pair[0].start : pair[0].end] == "razor wire"
    head = thing_candidates(asked, question, sentence, _typer({"razor wire": 0.6, "wire": 0.6}))
    assert sentence[head[0].start : head[0].end] == "wire"


def test_without_a_typer_a_kind_of_thing_gets_no_answer() -> None:
    question = "Which sport did the city choose for the new arena?"
    sentence = "The city chose tennis for the new arena."
    assert needs_typed_answer(question)
    assert typed_span(question, sentence) is None
    span = typed_span(question, sentence, _typer({"tennis": 0.7}))
    assert span is not None and sentence[span[0] : span[1]] == "tennis"
    assert named_candidates(question, sentence, None) == []


def test_names_still_go_to_the_name_finder() -> None:
    question = "Which comedian announced he will return to late-night TV?"
    sentence = "Comedian Jon Stewart will return to host The Daily Show on Mondays."
    found = named_candidates(question, sentence, _typer({}))
    assert found and sentence[found[0].start : found[0].end] == "Jon Stewart"


def test_the_bundled_model_types_common_nouns_by_meaning(embeddings) -> None:
    def vectors(texts: list[str]) -> np.ndarray:
        return np.asarray(embeddings.embed_documents(texts), dtype=np.float32)

    typer = ThingTyper(vectors)
    cases = [
        (
            "Which sport will the city's new arena host?",
            "Officials said the arena will host basketball games and concerts from next year.",
            "basketball",
        ),
        (
            "Overindulging in what food may trigger nightmares, new research suggests?",
            "Researchers found that eating cheese late in the evening was linked to nightmares.",
            "cheese",
        ),
    ]
    for question, sentence, expected in cases:
        span = typed_span(question, sentence, typer)
        assert span is not None, question
        assert sentence[span[0] : span[1]] == expected


@pytest.mark.parametrize(
    "question", ["What caused the fire at the plant?", "Agents can remove what installed by Texas?"]
)
def test_a_verb_after_what_is_no_head_noun(question: str) -> None:
    assert asked_entity(question) is None


def test_inline_what_answered_through_a_relative_clause() -> None:
    question = "The court ruled that border agents can remove what installed by state officials?"
    sentence = (
        "The ruling lets federal agents remove razor wire that Texas installed along the river."
    )
    span = inline_what_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == "razor wire"


def test_a_sentence_answering_an_inline_what_offers_the_kind_asked() -> None:
    from assistant.answering.kind_match import kind_matcher

    question = "The court ruled that border agents can remove what installed by state officials?"
    match = kind_matcher(question)
    assert match("Agents may now remove razor wire that Texas installed on the border.") == 1.0
    assert match("Agents may now cut razor wire on the border, the court said.") == 0.0


ARTICLE = """Late-night snacks may give you bad dreams, study finds

A new study suggests that overindulging in cheese late at night may trigger nightmares, researchers at the University of Montreal said on Tuesday.

The survey asked 1,000 students about their sleep and their evening habits over a month.

Students who went to bed hungry reported the fewest bad dreams, the researchers added.
"""


def test_the_engine_answers_a_kind_of_thing_with_a_cited_verbatim_noun(bot_for, tmp_path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "001_dreams.txt").write_text(ARTICLE, encoding="utf-8")
    bot = bot_for(articles)
    bot.index(articles)
    answer = bot.ask("Overindulging in what food may trigger nightmares, according to the study?")
    assert not answer.abstained
    short = answer.short_answer
    assert short is not None and short.text == "cheese"
    article = bot.article(short.article_id)
    assert article is not None and article.text[short.start : short.end] == short.text
    assert short.n in {c.n for c in answer.citations}
    # No plain noun of the kind "sport" in the article: no answer rather than a wrong one.
    assert bot.ask("Which sport did the students of the study play before bed?").abstained


def test_a_pair_is_embedded_only_when_its_head_word_comes_near_the_kind() -> None:
    question = "Which material did the agents remove from the border?"
    sentence = "Agents took down the razor wire along the border."
    asked = asked_entity(question)
    assert asked is not None
    fake = FakeTyper({"razor wire": 0.9, "wire": 0.2})
    assert thing_candidates(asked, question, sentence, ThingTyper(fake)) == []
    assert "razor wire" not in fake.embedded and "wire" in fake.embedded


def test_prepare_embeds_the_nouns_of_all_sentences_in_one_call() -> None:
    question = "Which sport will the new arena host?"
    sentences = ["The arena will host tennis matches.", "Fans prefer hockey to concerts."]
    calls: list[list[str]] = []

    def vectors(texts: list[str]) -> np.ndarray:
        calls.append(texts)
        return FakeTyper({})(texts)

    ThingTyper(vectors).prepare(question, sentences)
    assert len(calls) == 1  # no pair's head came near the kind: no second call
    assert {"tennis", "hockey", "concerts"} <= set(calls[0])
    calls.clear()
    ThingTyper(vectors).prepare("Which comedian will host the show?", sentences)
    assert calls == []  # a name is asked: nothing to embed


@pytest.mark.parametrize(
    ("question", "is_open_kind"),
    [
        ("Which type of livestock in the US is being hit by a bird flu outbreak?", True),
        ("Which food item is running low in many grocery stores?", True),
        ("The regulator rejected which drug to treat PTSD?", True),
        ("Which festival is the band hosting in Delaware this summer?", False),
        ("Which royal residence hosted the state visit?", False),
        ("Which comedian announced he will return to late-night TV?", False),  # a known noun
    ],
)
def test_an_unknown_noun_is_a_kind_of_thing_by_meaning(embeddings, question, is_open_kind) -> None:
    def vectors(texts: list[str]) -> np.ndarray:
        return np.asarray(embeddings.embed_documents(texts), dtype=np.float32)

    asked = asked_entity(question)
    assert asked is not None
    assert is_open(asked, question, ThingTyper(vectors)) is is_open_kind


def test_an_open_question_takes_a_common_noun_of_the_kind_over_a_name(embeddings) -> None:
    def vectors(texts: list[str]) -> np.ndarray:
        return np.asarray(embeddings.embed_documents(texts), dtype=np.float32)

    typer = ThingTyper(vectors)
    question = "Which type of livestock in the US is being hit by a bird flu outbreak?"
    sentence = "Eight states reported bird flu outbreaks in dairy cows, beginning in Texas."
    span = typed_span(question, sentence, typer)
    assert span is not None and sentence[span[0] : span[1]] in ("cows", "dairy cows")
    found = named_candidates(question, sentence, typer)
    assert found and (found[0].start, found[0].end) == span
    # A question whose noun is no kind of thing still gets the name.
    festival = "Which festival is the band hosting in Delaware this summer?"
    sentence = "The band will host its Mondegreen festival with fans in Dover, Delaware."
    span = typed_span(festival, sentence, typer)
    assert span is not None and sentence[span[0] : span[1]].startswith("Mondegreen")


def test_a_name_typed_near_the_kind_keeps_an_open_question() -> None:
    question = "Which medicine is the government urging to change its safety label?"
    sentence = "Officials said Tylenol, sold in every pharmacy, needs a new safety label."
    asked = asked_entity(question)
    assert asked is not None and asked.entity is Entity.NAME
    kind_like = {"substance": 0.7}  # "medicine" is a kind of thing: the question is open
    near = _typer({**kind_like, "pharmacy": 0.75, "Tylenol": 0.6})
    assert open_thing(asked, question, sentence, near) is None  # within the margin: the name
    far = _typer({**kind_like, "pharmacy": 0.75, "Tylenol": 0.5})
    thing = open_thing(asked, question, sentence, far)
    assert thing is not None and sentence[thing.start : thing.end] == "pharmacy"
    closed = _typer({"substance": 0.4, "pharmacy": 0.75, "Tylenol": 0.1})
    assert open_thing(asked, question, sentence, closed) is None  # not a kind of thing


def test_a_plain_noun_capitalised_after_a_colon_is_a_candidate() -> None:
    question = "Which vegetable was recalled in more than a dozen states?"
    sentence = "Vegetable recall:Cucumbers in 14 states recalled over salmonella fears"
    asked = asked_entity(question)
    assert asked is not None
    found = thing_candidates(asked, question, sentence, _typer({"cucumbers": 0.6}))
    assert [sentence[t.start : t.end] for t in found] == ["Cucumbers"]
    # Capitalised mid-sentence without a colon: a name, not a plain noun.
    sentence = "The recall of Cucumbers in 14 states was announced over salmonella fears"
    assert thing_candidates(asked, question, sentence, _typer({"cucumbers": 0.6})) == []
