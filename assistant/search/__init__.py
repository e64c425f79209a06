"""Search: the model-free maths of finding and judging passages.

The dense (FAISS) and lexical (BM25, bm25s) indexes and the protocols every store's indexes
implement (`protocols`), rank fusion (`fusion`), how much of a question a passage or a sentence
says (`coverage`), and the answer's status (`confidence`). Functions take arrays, terms and
`(item, score)` lists, never a model.

May import: the base modules, `text` and `ingest` (for types).
"""
