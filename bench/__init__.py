"""Benchmarks: one command each (python -m bench.<name>); see BENCHMARKS.md."""
