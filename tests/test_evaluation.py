"""The evaluation runner on a second, invented corpus and its own test set."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.evaluation import EvalCase, load_testset, run_eval
from assistant.evaluation.matching import exact_match, fact_found, group_found, token_f1
from assistant.evaluation.runner import calibrate, check_thresholds, choose_threshold
from assistant.evaluation.scoring import score_case, summarise
from assistant.evaluation.source_check import SourceFiles, normalise_source
from assistant.evaluation.testset import TestSetError
from assistant.models import Answer, Citation, ShortAnswer
from tests.conftest import ARTICLES, FIXTURES, ROOT, SEED_IDS

KNU = SEED_IDS[0]


def test_matching_rules() -> None:
    assert group_found(["2,500"], "Nearly 2500 soldiers")
    assert group_found(["2500"], "Nearly 2,500 soldiers")
    assert group_found(["twelve", "12"], "Twelve soldiers")
    assert not group_found(["1,043"], "1,044 people")
    assert fact_found("1,000", "about 1000 people") and fact_found("1000", "about 1,000 people")
    assert not fact_found("12", "in 2012 they")  # no number inside a longer number
    assert not fact_found("12", "120 soldiers") and not fact_found("12", "12.5 percent")
    assert fact_found("12", "12, said the report") and fact_found("12", "(12)")
    assert fact_found("5 million", "pay 5  million kyat") and not fact_found(
        "5 million", "25 million"
    )
    assert not fact_found("police", "policeman") and fact_found("Police", "the police said")
    assert fact_found("$3,037", "U.S.$3,037") and fact_found("U.S.", "the U.S. dollar")


def test_short_answer_exact_match_and_f1_as_in_squad() -> None:
    assert exact_match("The Karen National Union.", ["Karen National Union"]) == 1.0
    assert exact_match("Karen National Union soldiers", ["Karen National Union"]) == 0.0
    assert token_f1("Karen National Union soldiers", ["Karen National Union"]) == pytest.approx(
        2 * 0.75 * 1.0 / 1.75
    )
    assert token_f1("", ["KNU"]) == 0.0 and token_f1("Dawei", ["Hpa-an", "Dawei"]) == 1.0


def _case(**fields) -> EvalCase:
    base = {"id": "c", "question": "How many soldiers defected?", "answerable": True}
    return EvalCase.model_validate(base | {"expected": [["12", "twelve"]]} | fields)


def _answer(text: str, citations: tuple[Citation, ...], **fields) -> Answer:
    return Answer("q", text, False, citations, (), "extractive", **fields)


def _article_text(article_id: str) -> str:
    return (ARTICLES / f"{article_id}.txt").read_text(encoding="utf-8")


def _real_citation(quote: str) -> Citation:
    text = _article_text(KNU)
    start = text.index(quote)
    return Citation(1, KNU, f"{KNU}:x:0", quote, start, start + len(quote), True)


def test_a_corrupted_quote_is_caught_against_the_file() -> None:
    """Verbatim is checked against the article FILE, not only against the store's copy."""
    sources = SourceFiles(ARTICLES)
    good = _real_citation("Twelve soldiers")
    ok = score_case(_case(), _answer("Twelve soldiers [1]", (good,)), _article_text, sources)
    assert ok.correct and ok.citations_verbatim == ok.citations_in_source == 1
    # A quote altered after verification: its offsets no longer slice it, and no file has it.
    bad = replace(good, quote="Twelve sailors")
    hit = score_case(_case(), _answer("Twelve sailors [1]", (bad,)), _article_text, sources)
    assert hit.citations_verbatim == 0 and not hit.correct
    # A corrupted STORE: its text and the quote agree with each other but not with the file.
    corrupted = _article_text(KNU).replace("Twelve soldiers", "Twelve sailors")
    store = score_case(
        _case(), _answer("Twelve sailors [1]", (bad,)), lambda _id: corrupted, sources
    )
    assert store.citations_in_source == 0 and store.citations_verbatim == 0 and not store.correct
    assert summarise([hit]).citation_verbatim == 0.0
    # Whitespace, NFC and invisible characters are the only normalisations.
    assert normalise_source("Twelve\n\n soldiers\u200b") == "Twelve soldiers"
    assert sources.contains(KNU, "Twelve  soldiers") and not sources.contains("nope", "Twelve")


def test_an_answer_without_citations_fails_its_case_and_the_gate() -> None:
    sources = SourceFiles(ARTICLES)
    uncited = score_case(_case(), _answer("Twelve soldiers.", ()), _article_text, sources)
    assert uncited.missing == [] and uncited.correct is False
    summary = summarise([uncited])
    assert summary.uncited_answers == 1 and summary.citation_verbatim is None
    assert summary.refusal_recall is None and summary.refusal_precision is None

    class Run:
        overall = summary

    missed = check_thresholds(Run(), {"citation_verbatim": 1.0, "refusal_recall": 0.5})  # type: ignore[arg-type]
    from assistant.evaluation.report import _failures
    from assistant.evaluation.runner import EvalRun

    (failure,) = _failures(EvalRun("extractive", [uncited], summary, {}, {}, 0.0))
    assert "0 of 0 citations verbatim" in failure["expected"]
    assert len(missed) == 2 and all("n/a" in m for m in missed)


def test_short_answers_are_scored_and_checked_like_quotes() -> None:
    sources = SourceFiles(ARTICLES)
    good = _real_citation("Twelve soldiers")
    short = ShortAnswer("Twelve", 1, KNU, good.start, good.start + 6)
    case = _case(short=["12", "twelve"])
    result = score_case(
        case, _answer("Twelve soldiers [1]", (good,), short_answer=short), _article_text, sources
    )
    assert result.short_em == 1.0 and result.short_f1 == 1.0 and result.short_verbatim is True
    moved = replace(short, start=short.start + 1, end=short.end + 1)
    wrong = score_case(
        case, _answer("Twelve soldiers [1]", (good,), short_answer=moved), _article_text, sources
    )
    assert wrong.short_verbatim is False
    none = score_case(case, _answer("Twelve soldiers [1]", (good,)), _article_text, sources)
    assert none.short_em == 0.0 and summarise([none]).short_em == 0.0
    assert summarise([result, none]).short_f1 == 0.5
    assert (
        summarise([score_case(_case(), _answer("x", ()), _article_text, sources)]).short_em is None
    )
    assert Answer("q", "a", False, (), (), "e", short_answer=short).to_dict()["short_answer"] == {
        "text": "Twelve",
        "n": 1,
        "article_id": KNU,
        "start": short.start,
        "end": short.end,
        "resolved_date": "",
    }
    with pytest.raises(ValueError, match="short"):
        EvalCase.model_validate({"id": "r", "question": "q", "answerable": False, "short": ["x"]})


def test_confidence_labels_are_checked_against_the_answers(tmp_path: Path) -> None:
    """Each label's answers and the share of them right; refusals carry no label."""
    sources = SourceFiles(ARTICLES)
    good = _real_citation("Twelve soldiers")
    right = score_case(
        _case(), _answer("Twelve soldiers [1]", (good,), confidence="high"), _article_text, sources
    )
    wrong = score_case(
        _case(expected=[["KNU Brigade 7"]]),
        _answer("Twelve soldiers [1]", (good,), confidence="high"),
        _article_text,
        sources,
    )
    unanswerable = score_case(
        _case(answerable=False, expected=[]),
        _answer("Twelve soldiers [1]", (good,), confidence="partial"),
        _article_text,
        sources,
    )
    refused = score_case(
        _case(answerable=False, expected=[]),
        Answer("q", "No answer.", True, (), (), "extractive"),
        _article_text,
        sources,
    )
    assert [r.confidence for r in (right, wrong, unanswerable, refused)] == [
        "high", "high", "partial", "none"
    ]  # fmt: skip
    summary = summarise([right, wrong, unanswerable, refused])
    assert (summary.high_answers, summary.high_right) == (2, 0.5)
    assert (summary.partial_answers, summary.partial_right) == (1, 0.0)
    assert summarise([refused]).high_right is None  # nothing labelled: n/a, not a free 1.0

    from assistant.evaluation.report import write_report
    from assistant.evaluation.runner import EvalRun

    run = EvalRun("extractive", [right, wrong], summarise([right, wrong]), {}, {}, 0.0)
    assert check_thresholds(run, {"high_right": 0.95}) == ["high_right 0.500 < 0.950"]
    assert check_thresholds(run, {"high_right": 0.5}) == []
    write_report(run, tmp_path / "report.md")
    text = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "| all | 2 | 0.50 | 0 | n/a |" in text


def test_answer_length_is_reported() -> None:
    sources = SourceFiles(ARTICLES)
    good = _real_citation("Twelve soldiers")
    results = [
        score_case(
            _case(), _answer(" ".join(["Twelve"] * n) + " [1]", (good,)), _article_text, sources
        )
        for n in (2, 4, 10)
    ]
    assert [r.answer_words for r in results] == [2, 4, 10]
    summary = summarise(results)
    assert summary.answer_words_median == 4 and 4 < (summary.answer_words_p90 or 0) <= 10


def test_calibration_writes_and_checks_the_shipped_file(bot_for, tmp_path: Path) -> None:
    from rich.console import Console

    from assistant.answering.calibration import load_calibration, save_calibration
    from assistant.evaluation.command import ABSTENTION_OFF, calibrate_command

    cases = load_testset(FIXTURES / "corpus_b_testset.yaml")
    with pytest.raises(ValueError, match="abstention off"):
        calibrate_command(bot_for(FIXTURES / "corpus_b"), cases, Console(), "b")
    bot = bot_for(FIXTURES / "corpus_b", answer={"abstain_below": ABSTENTION_OFF})
    bot.index()
    shipped = tmp_path / "calibration.json"
    save_calibration(replace(load_calibration(), abstain_below=0.0), shipped)
    console = Console(file=io.StringIO())
    assert calibrate_command(bot, cases, console, "b", write=True, path=shipped) == 0
    written = load_calibration(shipped)
    assert written.abstain_below > 0 and "split tune" in written.testset and written.rule
    assert calibrate_command(bot, cases, console, "b", check=True, path=shipped) == 0
    save_calibration(replace(written, abstain_below=written.abstain_below + 0.01), shipped)
    assert calibrate_command(bot, cases, console, "b", check=True, path=shipped) == 1


def test_threshold_choice_is_the_middle_of_the_widest_best_run() -> None:
    def rows(accuracies: list[float]) -> list[dict[str, float]]:
        return [{"threshold": 0.2 + 0.01 * i, "accuracy": a} for i, a in enumerate(accuracies)]

    # best accuracy 0.8 at index 1 alone and at 4..8: the widest run's middle, index 6
    chosen = choose_threshold(rows([0.5, 0.8, 0.7, 0.7, 0.8, 0.8, 0.8, 0.8, 0.8, 0.6]))
    assert chosen["threshold"] == pytest.approx(0.26)
    # equal widths: the lower run; an even run: its lower middle
    assert choose_threshold(rows([0.9, 0.9, 0.1, 0.9, 0.9]))["threshold"] == pytest.approx(0.20)
    # runs of equal accuracy: the one refusing more of what must be refused, however narrow
    recall = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.0, 1.0, 1.0]
    tied = [
        {"threshold": 0.2 + 0.01 * i, "accuracy": a, "refusal_recall": r}
        for i, (a, r) in enumerate(zip([0.9] * 5 + [0.8] + [0.9] * 3, recall, strict=True))
    ]
    assert choose_threshold(tied)["threshold"] == pytest.approx(0.27)
    with pytest.raises(ValueError):
        choose_threshold([])


def test_shipped_test_set_is_valid_and_balanced() -> None:
    cases = load_testset(ROOT / "evals" / "shipped.yaml")
    assert len(cases) >= 60
    assert sum(not c.answerable for c in cases) >= 15
    splits = {c.split for c in cases}
    assert splits == {"tune", "heldout"}
    assert any(len(c.history) >= 4 for c in cases)  # 3-turn conversations


def test_bad_test_set_names_the_case(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("cases:\n- id: a\n  question: q\n  answerable: true\n")
    with pytest.raises(TestSetError, match="case a: .*expected"):
        load_testset(bad)


def test_runner_scores_a_second_corpus(bot_for, monkeypatch: pytest.MonkeyPatch) -> None:
    bot = bot_for(FIXTURES / "corpus_b")
    bot.index()
    cases = load_testset(FIXTURES / "corpus_b_testset.yaml")
    run = run_eval(bot, cases)
    assert run.overall.cases == len(cases) and run.overall.errors == 0
    assert run.overall.citation_verbatim == 1.0  # checked against corpus_b's files
    assert run.overall.hit_at_k > 0.8
    assert set(run.by_split) == {"tune", "heldout"}
    by_id = {r.id: r for r in run.results}
    # A case whose answer sentence is plain in the article is answered, cited and correct.
    known = by_id["ferry-passenger-capacity"]
    assert known.correct and known.citations_verbatim == known.citations >= 1
    assert run.overall.correctness >= 0.5
    assert not check_thresholds(run, {"correctness": run.overall.correctness})
    assert check_thresholds(run, {"correctness": run.overall.correctness + 0.01})

    # A known-bad engine: the same fluent, uncited answer to every question.
    def confident_nonsense(question, history=None, filters=None, engine=None, as_of=None) -> Answer:
        return Answer(question, "The ferry carries 84 passengers.", False, (), (), "bad")

    monkeypatch.setattr(bot, "ask", confident_nonsense)
    bad = run_eval(bot, cases)
    assert bad.overall.correctness == 0.0  # uncited, so wrong even where "84" is right
    assert bad.overall.refusal_recall == 0.0 and bad.overall.refusal_precision is None
    missed = check_thresholds(bad, {"correctness": 0.5, "citation_verbatim": 1.0})
    assert len(missed) == 2

    # Calibration: a threshold above every evidence score refuses everything; one below none
    # keeps every answer the engine gave, right ones included.
    low, high = calibrate(run.results, grid=[-1.0, 2.0])
    unanswerable = sum(1 for r in run.results if not r.answerable)
    assert high["refusal_recall"] == 1.0 and high["correctness"] == 0.0
    assert high["refusal_precision"] == unanswerable / len(run.results)
    assert low["correctness"] >= run.overall.correctness > 0


@pytest.mark.slow
def test_eval_command_writes_report_and_json_and_gates(tmp_path: Path) -> None:
    args = [
        sys.executable,
        "-m",
        "assistant.cli",
        "eval",
        str(FIXTURES / "corpus_b_testset.yaml"),
        "--articles",
        str(FIXTURES / "corpus_b"),
        "--index",
        str(tmp_path / "index"),
        "--report",
        str(tmp_path / "report.html"),
        "--json",
        str(tmp_path / "out.json"),
    ]
    ok = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    assert "correct" in ok.stdout + ok.stderr
    data = json.loads((tmp_path / "out.json").read_text())
    assert len(data["cases"]) == 12 and "overall" in data
    report = (tmp_path / "report.html").read_text()
    assert "<svg" in report and "Failures" in report
    failing = subprocess.run(
        [*args, "--min-correctness", "1.01"], capture_output=True, text=True, timeout=300
    )
    assert failing.returncode == 1 and "below threshold" in failing.stdout + failing.stderr


def test_llm_judge_is_optional_and_labelled(bot_for) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.evaluation.judge import Judge, parse_judgement
    from assistant.prompts import load_judge_prompt

    assert parse_judgement('sure: {"faithful": true, "relevance": 4}').relevance == 4
    assert parse_judgement("no json here").faithful is None
    assert parse_judgement('{"faithful": "yes", "relevance": 9}') == parse_judgement("{}")
    bot = bot_for(FIXTURES / "corpus_b")
    bot.index()
    cases = [c for c in load_testset(FIXTURES / "corpus_b_testset.yaml") if c.answerable][:3]
    without = run_eval(bot, cases)
    assert without.overall.llm_judged_faithfulness is None  # off by default
    model = FakeListChatModel(
        responses=['{"faithful": true, "relevance": 5}', '{"faithful": false, "relevance": 2}'] * 3
    )
    judged = run_eval(bot, cases, judge=Judge(model, load_judge_prompt(ROOT / "prompts")))
    answered = [r for r in judged.results if not r.abstained]
    assert all(r.judged_relevance in (2, 5) for r in answered)
    assert judged.overall.llm_judged_faithfulness is not None


def test_follow_up_gate_reads_the_conversation_cases() -> None:
    from assistant.evaluation.runner import EvalRun
    from assistant.evaluation.scoring import Summary

    conversation = Summary(cases=4, correctness=0.75)

    def run_with(categories: dict[str, Summary]) -> EvalRun:
        return EvalRun("extractive", [], Summary(cases=10, correctness=1.0), {}, categories, 0.0)

    assert not check_thresholds(run_with({"conversation": conversation}), {"follow_ups": 0.75})
    (missed,) = check_thresholds(run_with({"conversation": conversation}), {"follow_ups": 0.9})
    assert missed.startswith("follow_ups 0.750")
    (absent,) = check_thresholds(run_with({}), {"follow_ups": 0.9})
    assert "n/a" in absent  # no follow-up case to measure is not a pass


def test_a_case_is_asked_as_of_its_own_date(bot_for, tmp_path: Path) -> None:
    """``as_of`` in a case reaches ``ask``: before an article was published it cannot answer."""
    bot = bot_for()
    bot.index()
    question = "How many people has the junta killed while repressing anti-coup protests?"
    rows = [
        {"id": "today", "question": question, "answerable": True, "expected": [["1,043"]]},
        # 002 is dated September 2, 2021: the day before, the archive did not hold it.
        {"id": "before", "question": question, "answerable": False, "as_of": "2021-09-01"},
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    cases = load_testset(path)
    assert str(cases[1].as_of) == "2021-09-01"
    by_id = {r.id: r for r in run_eval(bot, cases).results}
    assert by_id["today"].correct
    assert by_id["before"].refusal_ok


def test_a_bad_as_of_names_the_case(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    row = {"id": "x", "question": "q?", "answerable": False, "as_of": "last tuesday"}
    path.write_text(json.dumps(row), encoding="utf-8")
    with pytest.raises(TestSetError, match="case x: as_of"):
        load_testset(path)
