"""The Milvus store on XQuAD Vietnamese: our fusion on Milvus' candidates against Milvus' own
`hybrid_search` (RRF and weighted rankers), and against the local store, in one run.

    python benchmarks/bench_milvus.py [--limit N]      # needs the scale extra (pymilvus, milvus-lite)

Every method ranks the same two candidate lists: the 50 nearest passages by inner product and the
50 best by BM25 over our terms (sparse vectors, `term_statistics.py`). `ours` is what `Assistant.retrieve` does (z-score fusion, then the
best-sentence boost of the five best); `ours, fusion only` leaves the boost out, to compare fusion
with fusion. Recall@k: the gold paragraph's passage holding the answer within the first k.
Milliseconds: the median time from the embedded question to the ranked passages; for the `ours`
rows that is all of `retrieve` after the embedding (highlighting and confidence included).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from xquad import XQUAD, load_xquad, open_xquad_assistant

from assistant import Settings
from assistant.search.fusion import fuse
from assistant.stores.milvus_collection import MilvusCollection
from assistant.text.normalize import nfc
from assistant.text.terms import query_terms

CANDIDATES = 50
K = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N questions")
    args = parser.parse_args()
    if not XQUAD.exists():
        print(f"skipped: {XQUAD} not found (the shared evaluation data is not beside this clone)")
        return 0
    from pymilvus import AnnSearchRequest, RRFRanker, WeightedRanker

    local = open_xquad_assistant(Settings.from_env(store="local"))
    milvus = open_xquad_assistant(Settings.from_env(store="milvus"))
    snapshot = milvus.snapshot
    term_statistics = snapshot.lexical.statistics
    collection = milvus.index_directory.store.collection
    _paragraphs, questions = load_xquad()
    questions = questions[: args.limit] if args.limit else questions

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
            position = {(c.document_id, c.start): i for i, c in enumerate(snapshot.chunks)}
            return [position[(p.document_id, p.start)] for p in assistant.retrieve(question, k=K)]
        return rank

    dense_rows = snapshot.dense.rows
    methods = {
        "ours (local store)": product(local),
        "ours (Milvus store)": product(milvus),
        "ours, fusion only (Milvus candidates)": fusion_only,
        "Milvus hybrid_search, RRF k=60": milvus_hybrid(RRFRanker(60)),
        "Milvus hybrid_search, weighted 0.5/0.5": milvus_hybrid(WeightedRanker(0.5, 0.5)),
    }
    print(f"XQuAD Vietnamese: {len(snapshot.documents)} paragraphs, {len(snapshot.chunks)} passages, "
          f"{len(questions)} questions; Milvus at {milvus.index_directory.store.uri}\n")
    print("| method | Recall@1 | Recall@5 | ms / question (median) |")
    print("|---|---|---|---|")
    for name, rank in methods.items():
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
        n = len(questions)
        print(f"| {name} | {at1 / n:.3f} | {at5 / n:.3f} | {statistics.median(times) * 1000:.1f} |", flush=True)
    sealed_or_not(milvus, questions[:100])
    return 0


def sealed_or_not(milvus, questions) -> None:
    """Why every write is flushed: Milvus Lite searches rows not yet sealed into a segment by
    rebuilding their indexes at each search. The same passages in a scratch collection, searched
    before and after `flush`."""
    snapshot = milvus.snapshot
    keys = sorted(snapshot.dense.rows.passages)
    vectors = snapshot.dense.vectors()
    first = [snapshot.dense.rows.passages[key][0] for key in keys]
    term_statistics = snapshot.lexical.statistics
    texts = [term_statistics.passage_vector(snapshot.chunks[i].search_text(snapshot.documents[snapshot.chunks[i].document_id]
                                                                      .title), snapshot.lexical.settings) for i in first]
    with tempfile.TemporaryDirectory() as scratch:
        collection = MilvusCollection(str(Path(scratch) / "scratch.db"), None, "scratch")
        collection.create(vectors.shape[1])
        collection._flush = lambda changed: None  # written, not sealed
        collection.upsert(keys, vectors[first], texts)
        print(f"\nMilvus Lite, {len(keys)} rows, {len(questions)} questions: median ms per search\n")
        print("| rows | dense | BM25 |")
        print("|---|---|---|")
        for label in ("written, not flushed", "flushed (sealed)"):
            if label.startswith("flushed"):
                collection.client.flush(collection.name)
            dense, lexical = [], []
            for q in questions:
                vector = milvus._query_vector(milvus.dense_question(nfc(q.question)))
                terms = term_statistics.query_vector(query_terms(nfc(q.question), snapshot.lexical.settings))
                for times, search in ((dense, lambda: collection.dense_search(vector, CANDIDATES)),
                                      (lexical, lambda: collection.lexical_search(terms, CANDIDATES))):
                    started = time.perf_counter()
                    search()
                    times.append(time.perf_counter() - started)
            print(f"| {label} | {statistics.median(dense) * 1000:.1f} | {statistics.median(lexical) * 1000:.1f} |")


if __name__ == "__main__":
    sys.exit(main())
