"""Tests of `assistant.ingest`: finding, loading and chunking article files, and their metadata."""
