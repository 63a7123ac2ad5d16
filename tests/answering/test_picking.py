"""Picking the answer inside a chosen sentence: which name or number of it answers the
question, when the sentence holds several of the asked kind (issue 13)."""

from __future__ import annotations

import re

import pytest

from assistant.answering.entities import asked_entity, best_entity, entity_candidates
from assistant.answering.name_context import acronym_after, equated_with_noun, names_a_thing
from assistant.answering.phrases import FINDERS
from assistant.answering.question import AnswerKind


def count(question: str, sentence: str) -> str | None:
    span = FINDERS[AnswerKind.NUMBER](question, sentence)
    return None if span is None else sentence[span[0] : span[1]]


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the question names the month: the day after it is a date, not the count
        (
            "How many patients fled from a clinic in Dover in June?",
            "Staff are still shaken by the flight of 7 patients late on June 3, officials said.",
            "7 patients",
        ),
        (
            "How many ships sank off Malta in Oct. during the storm?",
            "The storm, which peaked on Oct. 21, sank 4 ships off Malta.",
            "4 ships",
        ),
        # a number after a capitalised word of the question is a label, not a count
        (
            "How many missions landed on the moon after Apollo?",
            "After Apollo 11, five more missions landed on the moon.",
            "five more missions",
        ),
    ],
)
def test_a_number_after_a_capitalised_question_word_is_not_the_count(
    question: str, sentence: str, expected: str
) -> None:
    assert count(question, sentence) == expected


def test_the_number_after_the_question_verb_is_still_its_count() -> None:
    question = "How many people did police arrest after the march?"
    sentence = "Police arrested 212 others after the march on Sunday."
    assert count(question, sentence) == "212 others"


def name(question: str, sentence: str) -> str | None:
    found = best_entity(question, sentence)
    return None if found is None else sentence[found.start : found.end]


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # a tour, show, report, award or law is never a person
        (
            "Which singer is being sued for starting her shows late?",
            "Her Nov. 2 Midnight Sun Tour show was due at 8 p.m., but Lorna Vale took the stage at 11.",
            "Lorna Vale",
        ),
        (
            "Which actor walked out of the ceremony?",
            "At the Golden Reel Awards on Sunday, Tom Arden walked out of the ceremony.",
            "Tom Arden",
        ),
        # a one-word name with an age in commas is a person
        (
            "Which pop star is being sued for starting her concerts hours late?",
            "The Dec. 9 Harbour Lights Tour concert was set for 8 p.m., but Zelda, 58, came late.",
            "Zelda",
        ),
    ],
)
def test_an_event_is_not_a_person(question: str, sentence: str, expected: str) -> None:
    assert name(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # a planet or a country is not an organisation
        (
            "Which company will fly the first private crew around the moon?",
            "The crew will orbit Earth twice in a capsule built by Orbitex.",
            "Orbitex",
        ),
        (
            "Which company makes the new rover?",
            "Venus is the target of the new rover, made by Kestrel Dynamics.",
            "Kestrel Dynamics",
        ),
        # an acronym after its expansion is that expansion, typed like it: a term, not a firm
        (
            "Which company will attempt the first private spacewalk?",
            "The crew will wear Deep Vacuum Protection (DVP) suits designed by Orbitex.",
            "Orbitex",
        ),
        # an organisation spelled out keeps its acronym
        (
            "Which organization called the strike?",
            "The Harbour Pilots Union (HPU) called the strike on Monday.",
            "Harbour Pilots Union (HPU)",
        ),
    ],
)
def test_what_is_not_an_organisation(question: str, sentence: str, expected: str) -> None:
    assert name(question, sentence) == expected


def test_an_acronym_in_parentheses_is_not_a_second_candidate() -> None:
    question = "Which company will attempt the first private spacewalk?"
    sentence = "The crew will wear Deep Vacuum Protection (DVP) suits designed by Orbitex."
    found = entity_candidates(asked_entity(question), question, sentence)  # type: ignore[arg-type]
    assert [sentence[c.start : c.end] for c in found] == [
        "Orbitex",
        "Deep Vacuum Protection (DVP)",
    ]


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the name the sentence equates with the asked noun, not the one nearer other words
        (
            "Which is the coldest country on the list for the fifth year in a row?",
            "The survey named Norway as the world's coldest country for the second year in a "
            "row, with Sweden in second place in a row of cold years.",
            "Norway",
        ),
        (
            "Which country topped the press freedom index this year?",
            "Iceland was crowned the freest country in the press freedom index, ahead of Chile "
            "and Peru this year.",
            "Iceland",
        ),
        (
            "Which city hosted the most visitors this summer?",
            "Among the hosts this summer, Lisbon, the busiest city of all, drew more visitors "
            "than Madrid and Rome.",
            "Lisbon",
        ),
        (
            "Which singer won the most awards this year?",
            "Awards went to Ana Ruiz and Tim Cole this year, though singer Maya Kell won the most.",
            "Maya Kell",
        ),
    ],
)
def test_the_name_equated_with_the_asked_noun_wins(
    question: str, sentence: str, expected: str
) -> None:
    assert name(question, sentence) == expected


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # the subject of the question's own verb, not a name nearer the question's noun
        (
            "Which company said its founder was ousted without a vote by the board?",
            "In a filing, Hale & Dunn said an independent board was set up in 2001 following "
            "the company's sale to Corvex.",
            "Hale & Dunn",
        ),
        (
            "Which airline cut its flights to the island this winter?",
            "Skyward has also cut flights, after the airline's partner Nordjet this winter "
            "dropped the island route.",
            "Skyward",
        ),
        (
            "Who founded the charity that runs the shelter?",
            "The shelter, run by the Harbor Trust, was founded by Ana Ruiz, whom Tim Cole "
            "joined later; Lena Park founded the charity in 2009.",
            "Lena Park",
        ),
    ],
)
def test_the_subject_of_the_question_verb_wins(question: str, sentence: str, expected: str) -> None:
    assert name(question, sentence) == expected


def test_a_company_keeps_its_own_possessive_before_a_verb_only() -> None:
    question = "Which retailer said it will close stores?"
    assert name(question, "Late on Friday, Bell & Moss’s said it will close stores.") == (
        "Bell & Moss’s"
    )
    # a possessive before a noun is the owner's: "Bell & Moss's stores"
    assert name(question, "Bell & Moss's stores will close, the retailer said.") == "Bell & Moss"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # an organisation of another kind than the noun asked for
        (
            "Which university announced it will end its early-admission program?",
            "The State Department of Schooling announced on Monday that Carrow University will "
            "end its early-admission program.",
            "Carrow University",
        ),
        (
            "Which company was fined for dumping waste in the river?",
            "The Environment Agency announced that Delmont Chemicals was fined for dumping "
            "waste in the river.",
            "Delmont Chemicals",
        ),
        # a law is not an organisation
        (
            "Which company must comply with the new rules?",
            "Under Title VII, the rules bind Norvale, which must comply by June.",
            "Norvale",
        ),
    ],
)
def test_an_organisation_of_another_kind_is_not_the_one_asked(
    question: str, sentence: str, expected: str
) -> None:
    assert name(question, sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "name", "noun", "equated"),
    [
        ("Norway was named the world's coldest country.", "Norway", "country", True),
        ("They rated Norway as the coldest country.", "Norway", "country", True),
        ("Lisbon, the busiest city of all, drew crowds.", "Lisbon", "city", True),
        ("Fans cheered pop star Lena Park all night.", "Lena Park", "star", True),
        # a noun past a preposition is not the name's noun: a cereal made with cookies
        ("Crumbo Bits, a cereal made with cookies, came back.", "Crumbo Bits", "cookie", False),
        ("Norway beat the coldest country in the league.", "Norway", "country", False),
    ],
)
def test_equated_with_noun(sentence: str, name: str, noun: str, equated: bool) -> None:
    start = sentence.index(name)
    assert equated_with_noun(sentence, start, start + len(name), noun) is equated


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # an event is answered by an event's name, not the museum or firm that hosts it
        (
            "Which event is known as the art world's busiest night of the year?",
            "The Lantern Gala, the annual fundraiser for the Harbour Museum of Modern Art's "
            "Costume Institute, may be the single busiest night of the year for the art world.",
            "Lantern Gala",
        ),
        (
            "Which festival drew a record crowd of 300,000 this weekend?",
            "Organisers at Kelso Records said the River Lights Festival drew a record crowd.",
            "River Lights Festival",
        ),
        # a league or a cup is where teams play, not a team
        (
            "Which team won the cup with a 2-1 victory over Harbourside?",
            "The trophy went to Avonmouth United, who sealed a 2-1 victory over Harbourside in "
            "the Northern League cup final.",
            "Avonmouth United",
        ),
    ],
)
def test_an_event_or_a_team_of_the_kind_asked(question: str, sentence: str, expected: str) -> None:
    assert name(question, sentence) == expected


def test_acronym_after() -> None:
    sentence = "The Harbour Pilots Union (HPU) and the Dock Board (DoB) met Acme (Reuters) today."
    union_end = sentence.index(" (HPU)")
    assert acronym_after(sentence, union_end) == len(" (HPU)")
    assert acronym_after(sentence, sentence.index(" (DoB)")) == len(" (DoB)")
    assert acronym_after(sentence, sentence.index(" (Reuters)")) == 0  # a source
    assert acronym_after(sentence, sentence.index(" and")) == 0


def test_names_that_look_like_events_or_places_still_answer() -> None:
    # a surname that is also an event word ("Day") is still a person
    person = "At the Golden Reel Awards on Sunday, Lena Day walked out of the ceremony."
    assert name("Which actress walked out of the ceremony?", person) == "Lena Day"
    # a company named like a region ("Amazon") is still a company; a country is not
    company = "Officials in Ohio said Amazon bought the grocer, not Germany's state fund."
    assert name("Which company bought the grocer?", company) == "Amazon"


def test_the_name_given_to_a_thing_answers() -> None:
    question = "What is the name of the cookie that Crunchos launched in 2024?"
    sentence = "Crunchos chief Maria Lopez said the cookie launched in 2024 is called Moon Bite."
    best = best_entity(question, sentence)
    assert best is not None and sentence[best.start : best.end] == "Moon Bite"


@pytest.mark.parametrize(
    ("sentence", "name", "noun", "expected"),
    [
        (
            "The cookies get their name – Space Rise – from the launch.",
            "Space Rise",
            "cookie",
            True,
        ),
        ("They checked the Skylark spacecraft on Tuesday.", "Skylark", "spacecraft", True),
        ("A storm dubbed Delphine hit the coast.", "Delphine", "storm", True),
        ("Two NASA astronauts will fly.", "NASA", "spacecraft", False),
        ("Maria Lopez said the cookie is new.", "Maria Lopez", "cookie", False),
    ],
)
def test_names_a_thing(sentence: str, name: str, noun: str, expected: bool) -> None:
    start = sentence.index(name)
    assert names_a_thing(sentence, start, start + len(name), noun) is expected


@pytest.mark.parametrize(
    ("sentence", "name", "person"),
    [
        ("Madonna, 65, did not attend.", "Madonna", True),
        ("It came as a surprise to Perry Akins, 85.", "Perry Akins", True),
        ("Flooding hit parts of Los Angeles, 12 miles away.", "Los Angeles", False),
        ("Sen. Tom Carper spoke in Dover.", "Tom Carper", True),
        ("Crowds gathered in Dover on Monday.", "Dover", False),
    ],
)
def test_an_age_after_a_name_or_a_title_before_it_makes_a_person(
    sentence: str, name: str, person: bool
) -> None:
    from assistant.answering.places import person_like

    start = sentence.index(name)
    assert person_like(sentence, start, start + len(name)) is person


def test_an_age_ending_the_sentence_still_follows_the_name() -> None:
    from assistant.answering.name_context import aged_after

    sentence = "It came as a surprise to Perry Akins, 85."
    assert aged_after(sentence, sentence.index(", 85"))
    assert not aged_after("Troops left Akins, a town, in May.", len("Troops left Akins"))


@pytest.mark.parametrize(
    ("article", "full"),
    [
        (
            "Actor Adrien Brody won. Later, Mr. Brody spoke. The star Brody set a record.",
            "Adrien Brody",
        ),
        ("Robert F. Kennedy Jr. spoke on Monday. Then Kennedy won.", "Robert F. Kennedy"),
        ("Secretary of State Marco Rubio said so. Then Rubio won.", "Marco Rubio"),
        ("When Brody spoke, the hall went quiet. Then Brody won.", None),
    ],
)
def test_a_surname_answer_takes_the_full_name_the_article_gave(
    article: str, full: str | None
) -> None:
    from assistant.answering.name_context import full_name_before

    surname = re.findall(r"[A-Z]\w+", article)[-1]  # the last name of the article
    start = article.rindex(surname)
    found = full_name_before(article, start, start + len(surname))
    assert (article[found[0] : found[1]] if found else None) == full
