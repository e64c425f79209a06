"""Indexing: bring an index in line with its documents.

`plan` reads the watched folders and the files named and decides which documents the next
generation holds; `changes` says when stored vectors are invalid; `update` embeds only the new
passages, has the store build its indexes and publishes the generation; `report` says what
was done.

May import: the base modules, `text`, `ingest`, `embed`, `search` and `stores`.
"""
