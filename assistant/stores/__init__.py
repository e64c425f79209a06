"""Stores: where an index lives and how a generation is published.

An index directory holds immutable generations (`generations`: manifest, checksums, the `CURRENT`
pointer, the writer lock, restore) with their common files (`rows`, `manifest`); a store keeps the
search indexes, either as files (`local`) or as rows of a Milvus collection (`milvus`,
`milvus_collection`, `term_statistics`), both implementing one protocol (`protocol`).
`directory.IndexDirectory` joins the two; `factory.open_index_directory` picks the store from
the settings.

May import: the base modules, `text`, `ingest`, `embed` (vector keys) and `search`.
"""
