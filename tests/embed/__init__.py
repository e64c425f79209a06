"""Tests of `assistant.embed`: embedders, vector keys, bulk embedding in process and on Ray."""
