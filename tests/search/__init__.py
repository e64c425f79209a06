"""Tests of `assistant.search`: dense and lexical indexes, fusion, sentence scoring, confidence."""
