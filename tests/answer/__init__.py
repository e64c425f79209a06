"""Tests of `assistant.answer`: the Assistant, question cleaning, retrieval, follow-ups, LLM answers."""
