"""The answering phrase of a sentence, for many kinds of question and sentence."""

from __future__ import annotations

import pytest

from assistant.answering.negative import negative_clause
from assistant.answering.phrases import named_thing_span
from assistant.answering.quoted import asks_for_words, quoted_words_span
from assistant.answering.short_answer import needs_typed_answer, short_span, typed_span


def phrase(question: str, sentence: str) -> str | None:
    span = typed_span(question, sentence)
    return None if span is None else sentence[span[0] : span[1]]


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # counts with their noun, qualifiers kept, labels ("Brigade 5") are not counts
        (
            "How many nurses went on strike?",
            "More than 300 nurses went on strike at the hospital on Tuesday.",
            "More than 300 nurses",
        ),
        (
            "How many soldiers defected?",
            "Twelve soldiers from Brigade 5 defected, the group said.",
            "Twelve soldiers",
        ),
        (
            "how many soldirs defected",  # misspelt noun
            "Twelve soldiers from Brigade 5 defected, the group said.",
            "Twelve soldiers",
        ),
        (
            "How many people were arrested?",
            "Police killed at least 40 people and arrested 212 others in the city.",
            "212 others",
        ),
        (
            "How much did the council pay for the bridge?",
            "The council paid 4.5 million euros for the bridge, officials said.",
            "4.5 million euros",
        ),
        ("How old is the mayor?", "The mayor, 54, was elected in May.", None),
        ("How old is the mayor?", "The mayor is 54 years old.", "54"),
        ("How old is the sprinter?", "Wilson, a 16-year-old sprinter, made the team.", "16"),
        # dates
        ("When did the strike begin?", "The strike began on Feb. 1 after talks failed.", "Feb. 1"),
        (
            "On which day did the talks collapse?",
            "The talks collapsed on Sunday, a union official said.",
            "Sunday",
        ),
        (
            "In which year was the treaty signed?",
            "The treaty was signed in 2021 by both sides.",
            "2021",
        ),
        (
            "When was the report published?",
            "The report was published on September 2nd, 2021.",
            "September 2nd, 2021",
        ),
        # places
        (
            "Where was the factory based?",
            "The factory, based in Dawei, closed last year.",
            "Dawei",
        ),
        (
            "In which town did the march end?",
            "The march ended in the town of Hpapun in Kayin state.",
            "Hpapun",
        ),
        (
            "In which state is the town of Hpapun?",
            "The march ended in the town of Hpapun in Kayin state.",
            "Kayin state",
        ),
        # names, with titles, and groups
        (
            "Which army captain spoke to reporters?",
            "Captain Lin Htet Aung, who joined last month, spoke to reporters.",
            "Captain Lin Htet Aung",
        ),
        (
            "Who is the party's spokesperson?",
            "The party's spokesperson, Maria Lopez, declined to comment further.",
            "Maria Lopez",
        ),
        (
            "Which union called the strike?",
            "The strike was called by the National Nurses Union (NNU) on Monday.",
            "National Nurses Union (NNU)",
        ),
        # who is X -> the role phrase
        (
            "Who is Thet Naing Oo?",
            "A former police officer from Myingyan told RFA that the messages were encouraging.",
            "A former police officer from Myingyan",
        ),
        (
            "Who is Tin Min Tun?",
            "Tin Min Tun, an acting major in the police force, joined the movement.",
            "an acting major in the police force",
        ),
        # why -> the clause after because / to / in a show of ...
        (
            "Why did the workers walk out?",
            "The workers walked out because they had not been paid for three months.",
            "because they had not been paid for three months",
        ),
        (
            "Why did the soldiers defect?",
            "The soldiers defected in a show of solidarity with the protesters, the group said.",
            "in a show of solidarity with the protesters",
        ),
        (
            "Why were the officers unhappy?",
            "They were unhappy that the best posts went to outsiders.",
            "the best posts went to outsiders",
        ),
        # who said -> the speaker, not the listener
        (
            "Who said the plan would fail?",
            "“The plan will fail,” a union spokesman told RFA.",
            "a union spokesman",
        ),
        (
            "Who said the plan would fail?",
            "“The plan will fail,” said Maria Lopez.",
            "Maria Lopez",
        ),
        # a place named without a preposition; a person's name after "to" is not a place
        (
            "Where did the wildfire burn?",
            "The wildfire that burned through parts of San Diego destroyed 40 homes.",
            "San Diego",
        ),
        (
            "Where did the storm hit?",
            "The storm came as a shock to Harold Greene, 71, who has farmed there since 1990.",
            None,
        ),
        (
            "Where did the storm hit?",
            "The storm came as a shock to Mr. Greene, whose farm lies in Tulare County.",
            "Tulare County",
        ),
        # a trailing preposition asks for its object
        (
            "What did the spokesman say the soldiers were siding with?",
            "“They are siding with the truth,” he added.",
            "the truth",
        ),
    ],
)
def test_typed_phrase(question: str, sentence: str, expected: str | None) -> None:
    assert phrase(question, sentence) == expected


def test_a_sentence_without_the_kind_asked_for_gives_no_typed_phrase() -> None:
    assert phrase("When did the coup happen?", "The coup was condemned abroad.") is None
    assert phrase("How many police defected?", "Twelve soldiers defected.") is None
    assert phrase("Where is the factory?", "The factory closed.") is None


def test_explicit_negative_evidence_answers_a_question_about_its_subject() -> None:
    sentence = "The identities of the victims were not released, police said."
    assert (
        phrase("Who were the victims?", sentence)
        == "The identities of the victims were not released"
    )
    unclear = "It was unclear when the defections took place, but a raid came on Sunday."
    assert phrase("When did the soldiers defect?", unclear) == (
        "It was unclear when the defections took place"
    )
    # Another subject: the unclear defections do not answer when the coup took place ...
    assert phrase("When did the coup take place?", unclear) is None
    # ... nor why the soldiers defected (the clause is about when).
    assert phrase("Why did the soldiers defect?", unclear) is None
    # The rest of the sentence still answers a question about it.
    assert phrase("On which day was the raid?", unclear) == "Sunday"


def test_negative_clause_stops_at_the_clause_boundary() -> None:
    sentence = "Officials would not disclose where the money came from, but a spokesman said more."
    span = negative_clause(sentence)
    assert span is not None
    assert sentence[span[0] : span[1]] == "Officials would not disclose where the money came from"


def test_short_span_falls_back_to_the_quotation_or_the_sentence_core() -> None:
    quoted = "“We will not give up our fight for the workers,” the leader said."
    s, e = short_span("What did the leader say?", quoted)
    assert quoted[s:e] == "We will not give up our fight for the workers"
    plain = "The ministry urged police to stop obeying orders, the statement said."
    s, e = short_span("What did the ministry urge?", plain)
    assert plain[s:e] == "The ministry urged police to stop obeying orders"


@pytest.mark.parametrize(
    ("question", "typed"),
    [
        ("How many soldiers defected?", True),
        ("When did it happen?", True),
        ("Who is Ye Mon?", True),
        ("Which group offered the money?", True),
        ("What did the spokesman say?", True),  # said by the spokesman
        ("What did he say?", False),
        ("What happened in Dawei?", False),
    ],
)
def test_needs_typed_answer(question: str, typed: bool) -> None:
    assert needs_typed_answer(question) is typed


def test_every_phrase_is_a_span_of_its_sentence() -> None:
    sentence = "Nearly 2,500 soldiers and police have joined since the Feb. 1 coup, groups said."
    for question in ("How many soldiers joined?", "When was the coup?", "What did groups say?"):
        s, e = short_span(question, sentence)
        assert 0 <= s < e <= len(sentence)
        assert sentence[s:e].strip() == sentence[s:e]


def test_a_number_the_question_states_is_not_its_answer() -> None:
    from assistant.answering.phrases import FINDERS
    from assistant.answering.question import AnswerKind

    sentence = "The harbour board reviewed plan number 3 on Monday, after 601 residents signed."
    question = "How many residents signed the petition about plan number 3?"
    span = FINDERS[AnswerKind.NUMBER](question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == "601 residents"


def test_a_count_is_not_followed_by_a_function_word() -> None:
    question = "How many Boeing 737 Max 9 jets were grounded earlier this month?"
    sentence = "The FAA grounded 171 of the 737 Max 9 jets after the incident."
    span = typed_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == "171"
    other = "Twelve were hurt and 3 people died."
    span = typed_span("How many people died?", other)
    assert span is not None and other[span[0] : span[1]] == "3 people"


def test_a_share_asked_is_answered_by_a_share() -> None:
    question = "What percentage of total sales in 2023 came from fresh produce?"
    sentence = "Markets sold 4 million dollars of goods, and 52% of sales came from fresh produce."
    span = typed_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == "52%"
    assert typed_span(question, "Markets sold goods worth 4 million dollars in 2023.") is None


def test_a_plural_of_a_question_word_only_repeats_the_question() -> None:
    from assistant.answering.spans import in_question

    assert in_question("Oreos", "What is the new Oreo cookie called?")
    assert in_question("Boxes", "How many box makers closed?")
    assert not in_question("Oregon", "What did the Ore company say?")
    assert not in_question("Space Dunk", "What is the new Oreo cookie called?")


def test_a_people_is_no_place() -> None:
    question = "In which area of the White House did the speech take place?"
    letter = "Ahead of the address, Biden issued an open letter to Americans touting his record."
    assert typed_span(question, letter) is None
    office = "Biden spoke to the nation from the Oval Office on Wednesday night."
    span = typed_span(question, office)
    assert span is not None and office[span[0] : span[1]] == "Oval Office"


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "What is Cambridge Dictionary's 2025 word of the year?",
            'The dictionary has selected "parasocial" for its 2025 Word of the Year.',
            "parasocial",
        ),
        (
            "Which slogan did the campaign adopt this week?",
            "The campaign adopted “we are not going back” as its rallying cry, aides said.",
            "we are not going back",
        ),
    ],
)
def test_a_word_asked_for_is_the_short_quotation(question, sentence, expected) -> None:
    span = typed_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == expected


def test_a_long_quotation_or_one_the_question_states_is_no_word_asked() -> None:
    question = "What is the dictionary's word of the year?"
    long_quote = 'The editor said "this word captured the mood of a whole year online" on Monday.'
    assert quoted_words_span(question, long_quote) is None
    stated = 'The dictionary picked "word of the year" entries from 6,000 new words.'
    assert quoted_words_span(question, stated) is None
    assert not asks_for_words("What did the editor say about the dictionary?")


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "What's the name of the new colour discovered by scientists?",
            'Scientists who have seen the new color they dubbed "olo" call it a deep blue-green.',
            "olo",
        ),
        (
            "What is the new beer called?",
            "The brewery said the beer, called “She Means Business”, goes on sale Monday.",
            "She Means Business",
        ),
    ],
)
def test_a_name_asked_for_is_the_quotation_a_naming_verb_introduces(
    question, sentence, expected
) -> None:
    span = typed_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == expected


def test_a_name_question_skips_a_quotation_no_naming_verb_introduces() -> None:
    question = "What's the name of the new colour?"
    said = 'One scientist said "it was stunning" before the colour they named "olo" was shown.'
    span = quoted_words_span(question, said, named=True)
    assert span is not None and said[span[0] : span[1]] == "olo"
    assert quoted_words_span(question, 'She said "it was stunning".', named=True) is None


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Both leaders are traveling to Anchorage, Alaska, for the sit-down.", "Anchorage, Alaska"),
        ("The summit will be held in Geneva, Switzerland.", "Geneva, Switzerland"),
        ("Storms hit Texas, Ohio and Iowa on Monday.", "Texas"),  # a list of states
        ("The storm reached Dallas, Texas and Iowa.", "Dallas"),  # a list, not "Dallas, Texas"
    ],
)
def test_a_place_asked_for_keeps_the_state_or_country_named_after_it(sentence, expected) -> None:
    span = typed_span("What is the location of the summit?", sentence)
    assert span is not None and sentence[span[0] : span[1]] == expected


def test_a_which_question_names_by_its_head_noun_and_whole_words() -> None:
    park = "Which theme park reported a ride collision this week?"
    sentence = "Universal Studios theme park in Orlando reported a collision between two rides."
    span = typed_span(park, sentence)
    assert span is not None and sentence[span[0] : span[1]] == "Universal Studios"
    assert named_thing_span(park, sentence) is None  # "theme" is no head noun
    app = "Which social media app surged in popularity this week?"
    happen = "Users said it could happen again as RedNote surged in popularity."
    assert named_thing_span(app, happen) is None  # "app" is not inside "happen"
