"""An answer as the chat shows it and as a reporter copies it."""

from __future__ import annotations

from assistant.web import chat_state
from assistant.web.answer_text import assistant_text, copy_text, source_line


def citation(n: int, **changes: object) -> dict[str, object]:
    base = {"n": n, "article_id": f"a{n}", "chunk_id": "c", "quote": "q", "start": 0, "end": 1,
            "verified": True, "title": f"Title {n}", "outlet": "RFA", "published": "2021-03-04",
            "url": "https://news.example/s", "problem": ""}  # fmt: skip
    return {**base, **changes}


def exchange(**changes: object) -> chat_state.Exchange:
    answer = "Police [1] joined *the* movement [2]."
    return {**chat_state.EMPTY, "question": "How many?", "answer": answer, **changes}


def test_short_answer_leads_and_confidence_is_worded_apart() -> None:
    text = assistant_text(
        exchange(
            short_answer={"text": "1,000 police", "n": 1, "article_id": "a1", "start": 0, "end": 5},
            confidence="partial",
            resolved_question="How many police joined?",
        )
    )
    lines = text.split("\n\n")
    assert lines[0] == "_Read as: How many police joined?_"
    assert lines[1] == "**Short answer: 1,000 police** \\[1\\]"
    assert lines[2].startswith("_Answers the question: partial")
    assert "verified" not in text.lower() and "✓" not in text
    assert lines[3] == "Police \\[1\\] joined \\*the\\* movement \\[2\\]."


def test_a_short_answer_date_says_which_day_it_stands_for() -> None:
    short = {"text": "Aug. 10", "n": 2, "article_id": "a", "start": 0, "end": 7}
    dated = chat_state.clean(
        [exchange(short_answer={**short, "resolved_date": "2021-08-10"}, answer="x [2]")]
    )[0]
    assert "**Short answer: Aug. 10** (2021-08-10) \\[2\\]" in assistant_text(dated)
    assert copy_text(dated).startswith("Short answer: Aug. 10 (2021-08-10) [2]")
    plain = chat_state.clean([exchange(short_answer=short, answer="x [2]")])[0]
    assert "**Short answer: Aug. 10** \\[2\\]" in assistant_text(plain)


def test_labels_only_from_the_three_strings_and_abstention_says_not_found() -> None:
    assert "Answers the question" not in assistant_text(exchange())
    high = assistant_text(exchange(confidence="high"))
    assert "Answers the question: high" in high
    abstained = assistant_text(exchange(abstained=True, answer="No answer."))
    assert "Answers the question: not found" in abstained
    assert assistant_text(exchange(error="bad <x>")) == "⚠️ bad &lt;x&gt;"


def test_timeline_is_a_dated_list_saying_publication_dates() -> None:
    timeline = [
        {"date": "2021-02-01", "text": "The coup.", "n": 1, "dated_by": "event"},
        {"date": "2021-03-04", "text": "Police defect.", "n": 2, "dated_by": "publication"},
    ]
    text = assistant_text(exchange(timeline=timeline, answer="- 2021-02-01: The coup. [1] ..."))
    assert text.startswith("**Timeline**\n\n- 2021-02-01 — The coup. \\[1\\]\n")
    assert "..." not in text  # the answer's prose form of the list is not shown twice
    assert "- published 2021-03-04 — Police defect. \\[2\\]" in text
    copied = copy_text(exchange(timeline=timeline, answer="- prose form [1] ..."))
    assert "..." not in copied
    assert "- published 2021-03-04: Police defect. [2]" in copied


def test_copy_is_plain_text_with_a_numbered_source_list() -> None:
    copied = copy_text(
        exchange(
            citations=[citation(1), citation(2, outlet="", published="", url="javascript:x")],
            short_answer={"text": "1,000", "n": 1, "article_id": "a1", "start": 0, "end": 5},
        )
    )
    assert "\\" not in copied and "**" not in copied
    assert copied.startswith("Short answer: 1,000 [1]\n\nPolice [1] joined *the* movement [2].")
    assert copied.endswith(
        "Sources:\n[1] Title 1. RFA, 2021-03-04. https://news.example/s\n"
        "[2] Title 2. outlet not given, date not given."
    )
    assert source_line(citation(3, title="")) == "[3] a3. RFA, 2021-03-04. https://news.example/s"


def test_read_as_only_when_the_question_was_rewritten() -> None:
    from assistant.web import chat_state
    from assistant.web.answer_text import assistant_text

    base = {**chat_state.EMPTY, "question": "How many police joined?", "answer": "x [1]"}
    assert "Read as" not in assistant_text({**base, "resolved_question": "How many police joined?"})
    shown = assistant_text({**base, "question": "And the soldiers?",
                            "resolved_question": "How many soldiers joined?"})  # fmt: skip
    assert "Read as: How many soldiers joined?" in shown
