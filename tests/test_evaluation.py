"""The evaluation runner on a second, invented corpus and its own test set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.evaluation import load_testset, run_eval
from assistant.evaluation.runner import calibrate, check_thresholds
from assistant.evaluation.scoring import group_found
from assistant.evaluation.testset import TestSetError
from tests.conftest import FIXTURES, ROOT


def test_matching_rules() -> None:
    assert group_found(["2,500"], "Nearly 2500 soldiers")
    assert group_found(["twelve", "12"], "Twelve soldiers")
    assert not group_found(["1,043"], "1,044 people")


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


def test_runner_scores_a_second_corpus(bot_for) -> None:
    bot = bot_for(FIXTURES / "corpus_b")
    bot.index()
    cases = load_testset(FIXTURES / "corpus_b_testset.yaml")
    run = run_eval(bot, cases)
    assert run.overall.cases == len(cases) and run.overall.errors == 0
    assert run.overall.citation_verbatim == 1.0
    assert run.overall.hit_at_k > 0.8
    assert set(run.by_split) == {"tune", "heldout"}
    assert 0 < run.overall.correctness <= 1
    assert check_thresholds(run, {"correctness": 1.01})  # an impossible bar is reported as missed
    rows = calibrate(run.results)
    assert rows[0]["refusal_recall"] <= rows[-1]["refusal_recall"]


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
