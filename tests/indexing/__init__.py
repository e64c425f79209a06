"""Tests of `assistant.indexing`: planning and running an update, and what invalidates an index."""
