"""`assistant eval` as a command: the judge it builds is the one that scores the answers."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from assistant.evaluation.command import run_command
from assistant.evaluation.judge import Judge
from assistant.evaluation.testset import EvalCase
from assistant.prompts import load_judge_prompt
from assistant.service import Assistant
from tests.fakes import scripted


def test_run_command_scores_answers_with_the_judge_it_is_given(
    shipped_bot: Assistant, tmp_path: Path
) -> None:
    cases = [
        EvalCase(id="count", question="How many soldiers defected to the KNU?", answerable=True,
                 expected=[["twelve", "12"]]),
        EvalCase(id="weather", question="What is the weather in Dawei today?", answerable=False),
    ]  # fmt: skip
    model = scripted('{"faithful": true, "relevance": 4}', '{"faithful": false, "relevance": 2}')
    judge = Judge(model, load_judge_prompt(shipped_bot.settings.prompts))
    out = tmp_path / "run.json"
    console = Console(file=None, quiet=True)
    run_command(shipped_bot, cases, console, None, {}, None, out, judge)
    results = {c["id"]: c for c in json.loads(out.read_text())["cases"]}
    answered = [c for c in cases if not results[c.id]["abstained"]]
    assert len(model.sent) == len(answered) >= 1  # one judgement per answer, none for refusals
    assert "How many soldiers" in str(model.sent[0][-1].content)
    assert results["count"]["judged_faithful"] is True and results["count"]["judged_relevance"] == 4
    assert results["weather"]["judged_faithful"] is None
