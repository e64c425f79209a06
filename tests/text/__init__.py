"""Tests of `assistant.text`: Vietnamese normalisation, sentences, language, terms, diacritics, answer types."""
