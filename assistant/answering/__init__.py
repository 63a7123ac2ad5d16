"""Answer engines (extractive default, LLM) and the verification every answer goes through."""
