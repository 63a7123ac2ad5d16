"""The type of named thing a quiz-style question asks for, and the name of that type a
sentence offers (entities.py), over many kinds of question and sentence."""

from __future__ import annotations

import pytest

from assistant.answering.entities import Entity, asked_entity, best_entity, entity_candidates
from assistant.answering.inline_wh import inline_what_span
from assistant.answering.short_answer import needs_typed_answer, typed_span


@pytest.mark.parametrize(
    ("question", "entity", "noun"),
    [
        ("Which comedian announced he will return to late-night TV?", Entity.PERSON, "comedian"),
        ("Which athlete was named the NBA's Most Valuable Player?", Entity.PERSON, "athlete"),
        ("Which country recently launched a mission to the moon?", Entity.COUNTRY, "country"),
        ("The second diamond was found in which African country?", Entity.COUNTRY, "country"),
        ("Which US state is poised to ban child marriage?", Entity.STATE, "state"),
        ("A warning was issued for which major city in the US?", Entity.CITY, "city"),
        ("Which region of the US was pummeled by rain?", Entity.REGION, "region"),
        ("Brian Niccol was the CEO of which fast-food chain?", Entity.ORG, "chain"),
        ("Which airline plans to buy Hawaiian Airlines?", Entity.ORG, "airline"),
        ('"Moana 2" set a record, surpassing which other Disney film?', Entity.WORK, "film"),
        ("What is the name of the Boeing spacecraft that was delayed?", Entity.NAME, "spacecraft"),
        ("The robocall used AI to fake the voice of who?", Entity.PERSON, ""),
        ("Whom did the government dispatch to the Middle East?", Entity.PERSON, ""),
        ("Who was elected as the next president of the committee?", Entity.PERSON, ""),
        ("Who wrote the anthem?", Entity.PERSON, ""),
        ("Which is the happiest country on Earth?", Entity.COUNTRY, "country"),
        ("A blizzard stranded hundreds of trekkers near which mountain?", Entity.PLACE, "mountain"),
        # "What was its name?": the thing the question's first sentence introduced.
        ("A lunar lander successfully touched down. What was its name?", Entity.NAME, "lander"),
        ("Which basketball player holds the record?", Entity.PERSON, "player"),
        (
            "Musk said he's launching a new political party. What is its name?",
            Entity.NAME,
            "party",
        ),
        # An owner is what is asked: "Which company's cloud service ...?" asks for a company.
        ("Which company’s cloud service went down on Monday?", Entity.ORG, "company"),
        ("Which country's leader resigned this week?", Entity.COUNTRY, "country"),
        ("Which Formula 1 team announced the departure of its boss?", Entity.ORG, "team"),
        ("What's the name of the new colour discovered by scientists?", Entity.NAME, "colour"),
        # A noun of a person by its ending: "congressperson", "chairwoman", "frontman".
        (
            "Which Democratic congressperson called for new elections?",
            Entity.PERSON,
            "congressperson",
        ),
        ("Which frontman announced a solo tour?", Entity.PERSON, "frontman"),
        ("Which chairwoman resigned from the board?", Entity.PERSON, "chairwoman"),
    ],
)
def test_asked_entity(question: str, entity: Entity, noun: str) -> None:
    asked = asked_entity(question)
    assert asked is not None
    assert (asked.entity, asked.noun) == (entity, noun)
    assert needs_typed_answer(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who is Thet Naing Oo?",  # a role, not a name
        "Who said the soldiers left?",  # a speaker: the speaker finder's
        "In which town did they meet?",  # a town: the place finder's
        "What time can bars start serving alcohol?",  # a time
        "How many soldiers defected?",
        "What did the spokesman say?",
        "What is the name of the army colonel who defected?",  # the person finder's
    ],
)
def test_other_kinds_are_left_to_other_finders(question: str) -> None:
    assert asked_entity(question) is None


def test_an_unknown_noun_prefers_a_name_but_does_not_require_one() -> None:
    asked = asked_entity("Which outfit has been seen bringing gifts to humans?")
    assert asked is not None
    assert (asked.entity, asked.noun, asked.required) == (Entity.NAME, "outfit", False)


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        # a person's name, split from the title before it, not the question's own name
        (
            "Which athlete was named the NBA's Most Valuable Player?",
            "Denver Nuggets center Nikola Jokic was named the NBA's Most Valuable Player on Wednesday.",
            "Nikola Jokic",
        ),
        (
            "Brian Niccol was the CEO of which fast-food chain before joining Starbucks?",
            "Chipotle CEO Brian Niccol will be leaving the fast casual chain for Starbucks.",
            "Chipotle",
        ),
        (
            "Which comedian announced he will return to late-night TV?",
            "Comedian Jon Stewart will return to host The Daily Show on Mondays, the network said.",
            "Jon Stewart",
        ),
        # a country from the gazetteer, not a city or a person
        (
            "Which country this week halted all trade with Israel?",
            "Officials in Ankara said Turkey halted all trade with Israel, President Erdogan said.",
            "Turkey",
        ),
        (
            "Which state conducted a Republican primary contest this week?",
            "Voters in New Hampshire cast ballots in the Republican primary on Tuesday.",
            "New Hampshire",
        ),
        (
            "A tsunami warning was issued for which major city in the Western US?",
            "A tsunami warning was issued for San Francisco after a quake off Northern California.",
            "San Francisco",
        ),
        (
            "Which region of the US was pummeled by a month's worth of rain?",
            "Storms pummeled the South with a month's worth of rain in three days.",
            "South",
        ),
        # a name in quotes for a titled work
        (
            "Which song did the band play first?",
            "The band opened with “Bohemian Rhapsody” before a crowd of 40,000.",
            "Bohemian Rhapsody",
        ),
        # an organisation named with its acronym
        (
            "Which company is set to attempt the first private spacewalk?",
            "The mission by SpaceX will attempt the first private spacewalk.",
            "SpaceX",
        ),
        # a name with initials stays whole
        (
            "Who served as vice president under Ronald Reagan?",
            "George H.W. Bush served as vice president under Ronald Reagan for eight years.",
            "George H.W. Bush",
        ),
    ],
)
def test_best_entity(question: str, sentence: str, expected: str) -> None:
    found = best_entity(question, sentence)
    assert found is not None
    assert sentence[found.start : found.end] == expected
    span = typed_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == expected


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # only the question's own names: nothing new to answer with
        (
            "Which athlete was named the NBA's Most Valuable Player?",
            "The NBA named its Most Valuable Player on Wednesday.",
        ),
        # a country asked, only cities and people offered
        (
            "Which country launched a mission to the moon?",
            "Officials in Houston and John Smith praised the mission to the moon.",
        ),
        # a person asked, only organisations and places offered
        (
            "Which comedian will return to late-night TV?",
            "The network said the show will return to late-night TV in Chicago.",
        ),
        # a song title in quotes is not a person
        ("Which singer is being sued?", "As the suit was filed, fans sang “Into the Groove”."),
    ],
)
def test_no_name_of_the_type(question: str, sentence: str) -> None:
    assert best_entity(question, sentence) is None
    assert typed_span(question, sentence) is None


def test_the_name_nearest_the_question_words_wins() -> None:
    question = "Which state was drenched by unprecedented flooding this week?"
    sentence = (
        "While Texas stayed dry, Connecticut was drenched by unprecedented flooding, "
        "officials in Florida said."
    )
    found = entity_candidates(asked_entity(question), question, sentence)  # type: ignore[arg-type]
    assert [sentence[c.start : c.end] for c in found][0] == "Connecticut"
    assert {sentence[c.start : c.end] for c in found} == {"Texas", "Connecticut", "Florida"}


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "The court ruled that agents can remove what installed by state officials?",
            "The court allowed Border Patrol agents to remove razor wire installed by Texas.",
            "razor wire",
        ),
        (
            "The festival will feature what made by local artists?",
            "Organisers said the festival will feature the giant lanterns made by local artists.",
            "giant lanterns",
        ),
        # the word after "what" does not follow the phrase: no guess
        (
            "The festival will feature what made by local artists?",
            "The festival will feature music on Sunday.",
            None,
        ),
        # "what" opening the question is no inline "what"
        ("What did agents remove?", "Agents removed razor wire on Monday.", None),
    ],
)
def test_inline_what(question: str, sentence: str, expected: str | None) -> None:
    span = inline_what_span(question, sentence)
    assert (sentence[span[0] : span[1]] if span else None) == expected


def test_a_couple_is_two_names_joined() -> None:
    question = "Which celebrity couple called it quits this week?"
    sentence = (
        "Jennifer Lopez and Ben Affleck called it quits after two years, sources told Variety."
    )
    assert typed_span(question, sentence) == (0, len("Jennifer Lopez and Ben Affleck"))


def test_a_time_of_day() -> None:
    question = "What time can bars start serving alcohol under the new law?"
    sentence = "From Wednesday, bars may start serving at 8 a.m. under the new law."
    span = typed_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == "8 a.m"


def test_what_noun_wants_a_name_by_that_noun() -> None:
    question = "What unique holiday tradition is celebrated in Claymont?"
    by_noun = "Residents of Claymont keep a tradition they call the Christmas Weed every December."
    elsewhere = "Claymont residents met Governor John Carney at the fire hall on Sunday night."
    span = typed_span(question, by_noun)
    assert span is not None and by_noun[span[0] : span[1]] == "Christmas Weed"
    assert best_entity(question, elsewhere) is None


def test_another_name_of_a_country_the_question_names_is_no_answer() -> None:
    question = "The UK signed a deal handing control of the islands to which nation?"
    sentence = "Britain agreed to hand the islands to Mauritius after talks in London."
    span = typed_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == "Mauritius"


def test_a_name_holding_the_noun_asked_ranks_first() -> None:
    question = "Which US university announced it will ban transgender women from its teams?"
    sentence = (
        "After talks with the Department of Education, the University of Pennsylvania "
        "announced it will ban transgender women from its teams."
    )
    span = typed_span(question, sentence)
    assert span is not None and sentence[span[0] : span[1]] == "University of Pennsylvania"


def test_a_plain_who_question_may_be_answered_by_a_company_but_a_person_comes_first() -> None:
    question = "Who runs the ferry between Lindqvist Harbour and Osterby?"
    sentence = (
        "The ferry between Lindqvist Harbour and Osterby is run by the Brannvik Ferry Company."
    )
    found = best_entity(question, sentence)
    assert found is not None and sentence[found.start : found.end] == "Brannvik Ferry Company"
    both = "Anna Berg, who chairs the Brannvik Ferry Company, runs the ferry."
    person = best_entity("Who runs the ferry?", both)
    assert person is not None and both[person.start : person.end] == "Anna Berg"


def test_a_kind_of_thing_is_not_answered_by_a_proper_name() -> None:
    asked = asked_entity("Which sea animal has been documented bringing gifts to humans?")
    assert asked is not None and asked.entity is Entity.THING and asked.required
    sentence = "Researchers in China documented orcas bringing gifts to humans."
    assert best_entity("Which sea animal has been documented bringing gifts?", sentence) is None
    found = best_entity("Which country documented orcas bringing gifts?", sentence)
    assert found is not None and sentence[found.start : found.end] == "China"


def test_a_number_word_opening_a_sentence_is_not_a_person() -> None:
    sentence = "Twelve soldiers defected to the rebels on Monday, a spokesperson said."
    assert best_entity("Who is the spokesperson's boss?", sentence) is None
    named = "Several soldiers said Anna Berg led them."
    found = best_entity("Who led the soldiers?", named)
    assert found is not None and named[found.start : found.end] == "Anna Berg"


def test_a_headline_title_in_single_quotes_is_not_a_person() -> None:
    question = "Which comedian announced he will return to late-night TV next month?"
    sentence = "John Oliver surprised by Jon Stewart's 'Daily Show' return: 'It'll be exciting'"
    found = best_entity(question, sentence)
    assert found is not None and sentence[found.start : found.end] == "Jon Stewart"


def test_a_film_title_in_single_quotes_is_a_candidate_work() -> None:
    question = "Which film led the Oscar nominations with the most nods?"
    sentence = "Netflix's 'Emilia Pérez' leads with 13 nominations."
    found = best_entity(question, sentence)
    assert found is not None and sentence[found.start : found.end] == "Emilia Pérez"


def test_an_ampersand_joins_a_company_name() -> None:
    question = "Which company said its CEO was ousted without board approval?"
    sentence = "Ben & Jerry's said its CEO was ousted by its parent company."
    found = best_entity(question, sentence)
    # the "'s" a verb follows is the company's own ("Ben & Jerry's said"), kept
    assert found is not None and sentence[found.start : found.end] == "Ben & Jerry's"


def test_a_misspelt_head_noun_keeps_its_type() -> None:
    # "minster": "minister" one letter short, a person; a person's name is the person
    # finder's, so no name of any type ("RFA") answers it
    assert asked_entity("what is the name of the NUG defence minster") is None
    assert asked_entity("Which contry won the cup?").entity is Entity.COUNTRY
    # no known noun one edit away: a name of no particular type, as before
    assert asked_entity("Which tower fell?").entity is Entity.NAME


@pytest.mark.parametrize(
    ("question", "sentence", "names"),
    [
        # The office after "Secretary of" is not the person's name.
        (
            "An imposter used AI to mimic which US official?",
            "An imposter impersonated Secretary of State Marco Rubio and contacted ministers.",
            ["Marco Rubio"],
        ),
        (
            "Who leads the health department?",
            "Secretary of Health and Human Services Robert F. Kennedy Jr. said so.",
            ["Robert F. Kennedy Jr."],
        ),
        # An organisation keeps its office words.
        (
            "Which agency said so?",
            "The Department of Homeland Security said so.",
            ["Department of Homeland Security"],
        ),
        # Modifiers, faiths, parties and sentence openers are not names.
        (
            "Which chain is ending its restroom policy?",
            "The Seattle-based chain is now allowing anyone to use its restrooms.",
            [],
        ),
        (
            "Which social media app surged in popularity?",
            "Many fans flooded a Chinese-language, Chinese-owned app, reveling in the irony.",
            [],
        ),
        (
            "Which holiday, known as the festival of lights, was celebrated?",
            "Diwali, also known as the Hindu festival of lights, began on Monday.",
            ["Diwali"],
        ),
        (
            "Which workers may carry guns in schools?",
            "The bill's sponsor, Sen. Jones, R-Waynesboro, said teachers may carry guns.",
            ["Jones"],
        ),
        (
            "Which platform could be banned?",
            "Republican lawmakers voted to ban TikTok on Wednesday.",
            ["TikTok"],
        ),
        ("Which party won the most seats?", "Republicans won the most seats.", ["Republicans"]),
        ("Which food item is running low?", "To be sure, eggs are running low.", []),
        # "the network's show" speaks of the network's show: the show is no network.
        (
            "Which network is taking Jimmy Kimmel’s talk show off the air?",
            'ABC said it was pulling "Jimmy Kimmel Live!," the network\'s talk show, off the air.',
            ["ABC"],
        ),
        # A co-founder's company ("Acme co-founder Jo Smith quit"), not its parent.
        (
            "Which brand announced that its co-founder has quit?",
            "Acme co-founder Jo Smith has quit, as its rift with parent Unilever deepened.",
            ["Acme"],
        ),
        # A numbered name keeps its number; an office before a title is not the thing asked.
        (
            "Which artificial color additive was banned?",
            "The agency has banned Red No. 3, an additive used for a bright color.",
            ["Red No. 3"],
        ),
        # A place and a plural is a team, not a person; a people is no place.
        (
            "Which NFL team won its first playoff game?",
            "The Detroit Lions won on Sunday.",
            ["Detroit Lions"],
        ),
        ("Which player scored the most points?", "The New Orleans Pelicans lost.", []),
        (
            "In which room of the White House did he speak?",
            "He told Americans, speaking from the Oval Office.",
            ["Oval Office"],
        ),
        (
            "Which part of the White House was demolished?",
            "Part of the East Wing was razed.",
            ["East Wing"],
        ),
    ],
)
def test_names_that_are_not_what_they_seem(question: str, sentence: str, names: list[str]) -> None:
    asked = asked_entity(question)
    assert asked is not None
    found = [sentence[c.start : c.end] for c in entity_candidates(asked, question, sentence)]
    assert found[: len(names)] == names and (names or not found)


def test_an_office_before_a_title_is_not_the_thing_asked() -> None:
    question = "Which medicine should change its safety label?"
    sentence = "The label will change, said U.S. Health Secretary Robert F. Kennedy Jr."
    asked = asked_entity(question)
    assert asked is not None
    found = [sentence[c.start : c.end] for c in entity_candidates(asked, question, sentence)]
    assert "U.S. Health" not in found and found


@pytest.mark.parametrize(
    ("question", "sentence", "expected"),
    [
        (
            "Which company's cloud service went down for hours on Monday?",
            "SAN FRANCISCO — A four-hour outage at Amazon's cloud division caused headaches.",
            "Amazon",
        ),
        (
            "Which company's cloud service went down for hours on Monday?",
            "WASHINGTON (AP) — An outage at Amazon's cloud division caused headaches.",
            "Amazon",
        ),
        (  # an acronym of a common thing opens no name
            "Which airline is under investigation for its handling of cancellations?",
            "Airlines were caught up in a massive IT outage, and Delta canceled 400 flights.",
            "Delta",
        ),
        (  # a place question may still be answered by where the report was filed
            "Which country did the drones strike overnight?",
            "KYIV, Ukraine — Drones struck power stations overnight, officials said.",
            "Ukraine",
        ),
    ],
)
def test_a_dateline_answers_only_a_place_question(question, sentence, expected) -> None:
    found = best_entity(question, sentence)
    assert found is not None and sentence[found.start : found.end] == expected
