"""The Milvus store on XQuAD Vietnamese: our fusion on Milvus' candidates against Milvus' own `hybrid_search`.

    python -m benchmarks milvus [--limit N]      # needs the scale extra (pymilvus, milvus-lite)

Every method ranks the same two candidate lists: the 50 nearest passages by inner product and the
50 best by BM25 over our terms (sparse vectors, `assistant/stores/term_statistics.py`). `ours` is
what `Assistant.retrieve` does (z-score fusion, then the best-sentence boost of the five best), on
the local store and on the Milvus store; `ours, fusion only` leaves the boost out, to compare fusion
with fusion. Recall@k: the gold paragraph's passage holding the answer within the first k.
Milliseconds: the median time from the embedded question to the ranked passages; for the `ours`
rows that is all of `retrieve` after the embedding (highlighting and confidence included).
Then why every write is flushed: the same passages searched before and after `flush`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

from assistant import Settings
from assistant.search.fusion import fuse
from assistant.text.normalize import nfc
from assistant.text.terms import query_terms

from .common.archives import open_xquad_assistant
from .common.datasets import XQUAD, load_xquad, require

CANDIDATES = 50
K = 5


def add_options(parser) -> None:
    parser.add_argument("--limit", type=int, help="only the first N questions")


def variant(options) -> str | None:
    return f"limit-{options.limit}" if options.limit else None


def methods(local, milvus) -> dict:
    """Name -> `rank(question, vector) -> passage indexes, best first`."""
    from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker

    snapshot = milvus.snapshot
    term_statistics = snapshot.lexical.statistics
    collection = milvus.index_directory.store.collection
    dense_rows = snapshot.dense.rows
    position = {(chunk.document_id, chunk.start): i for i, chunk in enumerate(snapshot.chunks)}

    def milvus_hybrid(ranker):
        def rank(question: str, vector) -> list[int]:
            requests = [
                AnnSearchRequest(data=[vector.tolist()], anns_field="vector", param={"params": {"ef": 64}},
                                 limit=CANDIDATES),
                AnnSearchRequest(data=[term_statistics.query_vector(query_terms(question, snapshot.lexical.settings))],
                                 anns_field="terms", param={"params": {}}, limit=CANDIDATES)]
            hits = collection.client.hybrid_search(collection.name, requests, ranker, limit=K, output_fields=["key"])[0]
            return [index for index, _score in dense_rows.hits((hit["key"], 0.0) for hit in hits)]
        return rank

    def fusion_only(question: str, vector) -> list[int]:
        ranked = fuse("zscore", snapshot.dense.search(vector, CANDIDATES),
                      snapshot.lexical.search(question, CANDIDATES), milvus.settings.dense_weight)
        return [index for index, _score in ranked[:K]]

    def product(assistant):
        def rank(question: str, _vector) -> list[int]:
            return [position[(p.document_id, p.start)] for p in assistant.retrieve(question, k=K)]
        return rank

    return {
        "ours (local store)": product(local),
        "ours (Milvus store)": product(milvus),
        "ours, fusion only (Milvus candidates)": fusion_only,
        "Milvus hybrid_search, RRF k=60": milvus_hybrid(RRFRanker(60)),
        "Milvus hybrid_search, weighted 0.5/0.5": milvus_hybrid(WeightedRanker(0.5, 0.5)),
    }


def compare(local, milvus, questions) -> list[dict]:
    """Recall@1, Recall@5 and median milliseconds of each method on `questions`."""
    snapshot = milvus.snapshot
    rows = []
    for name, rank in methods(local, milvus).items():
        at1 = at5 = 0
        times = []
        for q in questions:
            question = nfc(q.question)
            vector = milvus._query_vector(milvus.dense_question(question))
            started = time.perf_counter()
            ranked = rank(question, vector)
            times.append(time.perf_counter() - started)
            hits = [snapshot.chunks[i].document_id == q.document_id and q.answer in nfc(snapshot.chunks[i].text)
                    for i in ranked]
            at1 += bool(hits[:1] and hits[0])
            at5 += any(hits)
        rows.append({"method": name, "recall_at_1": at1 / len(questions), "recall_at_5": at5 / len(questions),
                     "median_ms": statistics.median(times) * 1000})
    return rows


def sealed_or_not(milvus, questions) -> dict:
    """Why every write is flushed: Milvus Lite searches rows not yet sealed into a segment by
    rebuilding their indexes at each search. The same passages in a scratch collection, searched
    before and after `flush`: median milliseconds per dense and BM25 search."""
    from assistant.stores.milvus_collection import MilvusCollection

    snapshot = milvus.snapshot
    keys = sorted(snapshot.dense.rows.passages)
    vectors = snapshot.dense.vectors()
    first = [snapshot.dense.rows.passages[key][0] for key in keys]
    term_statistics = snapshot.lexical.statistics
    settings = snapshot.lexical.settings
    texts = [term_statistics.passage_vector(
        snapshot.chunks[i].search_text(snapshot.documents[snapshot.chunks[i].document_id].title), settings)
        for i in first]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        collection = MilvusCollection(str(Path(scratch) / "scratch.db"), None, "scratch")
        collection.create(vectors.shape[1])
        collection._flush = lambda changed: None  # written, not sealed
        collection.upsert(keys, vectors[first], texts)
        for label in ("written, not flushed", "flushed (sealed)"):
            if label.startswith("flushed"):
                collection.client.flush(collection.name)
            dense, lexical = [], []
            for q in questions:
                vector = milvus._query_vector(milvus.dense_question(nfc(q.question)))
                terms = term_statistics.query_vector(query_terms(nfc(q.question), settings))
                for times, search in ((dense, partial(collection.dense_search, vector, CANDIDATES)),
                                      (lexical, partial(collection.lexical_search, terms, CANDIDATES))):
                    started = time.perf_counter()
                    search()
                    times.append(time.perf_counter() - started)
            rows.append({"rows": label, "dense_ms": statistics.median(dense) * 1000,
                         "bm25_ms": statistics.median(lexical) * 1000})
    return {"passages": len(keys), "questions": len(questions), "rows": rows}


def run(options) -> dict:
    require(XQUAD)
    local = open_xquad_assistant(Settings.from_env(store="local"))
    milvus = open_xquad_assistant(Settings.from_env(store="milvus"))
    _paragraphs, questions = load_xquad()
    questions = questions[: options.limit] if options.limit else questions
    return {"paragraphs": len(milvus.snapshot.documents), "passages": len(milvus.snapshot.chunks),
            "questions": len(questions), "uri": milvus.index_directory.store.uri,
            "methods": compare(local, milvus, questions), "flushing": sealed_or_not(milvus, questions[:100])}
