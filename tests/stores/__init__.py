"""Tests of `assistant.stores`: generations, the index directory, and the local and Milvus stores."""
