"""Evaluation: a scripted test set, scored through the same service the UI uses."""

from assistant.evaluation.runner import EvalRun, run_eval
from assistant.evaluation.testset import EvalCase, load_testset

__all__ = ["EvalCase", "EvalRun", "load_testset", "run_eval"]
