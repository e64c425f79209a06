"""Scale: dense (exact vs HNSW/IVF) and lexical (bm25s) search over 10k, 100k and 1M synthetic passages.

    python -m benchmarks scale                                    # 10k, 100k, 1M, structured vectors (~45 min, 8 GB peak)
    python -m benchmarks scale --sizes 20000 50000 --skip lexical --variant exact-limit
    python -m benchmarks scale --sizes 10000 100000 --vectors random --skip lexical --variant random
    python -m benchmarks scale --sizes 100000 --ann shipped hnsw:16:40 hnsw:32:40 ivf:1024 --skip lexical \
        --variant alternatives

Passages are windows of 40-90 syllables (mean 65, about 300 characters like the bundled article's
passages) cut at random from a long stream of XQuAD Vietnamese sentences in shuffled orders; their
lexical terms are exactly `assistant.text.terms.passage_terms` of the window's text (checked on a
sample), computed by slicing precomputed term ids so that 1M passages take seconds, not the ~10
minutes of Python tokenisation (measured and reported separately).

Vectors come in two kinds:
- `structured`: each passage's vector is the mean of the real e5 embeddings of the sentences its
  window overlaps (weighted by overlap), plus small Gaussian noise, L2-normalised; the queries are
  the real e5 embeddings of XQuAD questions. This keeps the geometry of real embeddings.
- `random`: standard-normal vectors and queries, L2-normalised. In 384 dimensions every random
  vector is nearly orthogonal to every other, so "nearest" neighbours are barely nearer than the
  rest: a worst case for any approximate index, not representative of text embeddings.

Recall@10 is measured against exact inner-product search (`IndexFlatIP`) over the same vectors.
Everything is seeded. Scratch files and the cached e5 embeddings go to benchmarks/.cache/scale/.
"""

from __future__ import annotations

from ..common.datasets import XQUAD, require
from .corpus import (
    SCRATCH,
    build_stream,
    check_terms,
    embed_texts,
    passage_vectors,
    query_vectors,
    tokenisation_rate,
    windows,
)
from .dense import dense_rows
from .lexical import lexical_row

DEFAULT_SIZES = [10_000, 100_000, 1_000_000]


def add_options(parser) -> None:
    parser.add_argument("--sizes", nargs="+", type=int, default=DEFAULT_SIZES)
    parser.add_argument("--vectors", nargs="+", default=["structured"], choices=["structured", "random"])
    parser.add_argument("--ann", nargs="*", default=["shipped"],
                        help="approximate indexes: shipped (assistant.search.dense defaults), hnsw:M:efConstruction, "
                             "ivf:nlist")
    parser.add_argument("--skip", nargs="*", default=[], choices=["dense", "lexical"])


def variant(options) -> str | None:
    parts = [] if options.sizes == DEFAULT_SIZES else ["-".join(f"{size // 1000}k" for size in options.sizes)]
    parts += [kind for kind in options.vectors if kind != "structured"]
    parts += [] if options.ann == ["shipped"] else ["ann"]
    parts += [f"no-{part}" for part in options.skip]
    return "-".join(parts) or None


def run(options) -> dict:
    require(XQUAD)
    import faiss

    SCRATCH.mkdir(parents=True, exist_ok=True)
    stream = build_stream()
    starts, lengths = windows(stream, 1000)
    results = {"faiss": faiss.__version__, "openmp_threads": faiss.omp_get_max_threads(),
               "stream": {"sentences": len(stream.sentences), "syllables": len(stream.words),
                          "terms": len(stream.vocabulary), "windows_checked": 200,
                          "windows_equal_to_passage_terms": check_terms(stream, starts, lengths),
                          "passage_terms_per_second": tokenisation_rate(stream)}}
    sentence_vectors = question_vectors = None
    if "structured" in options.vectors:
        sentence_vectors = embed_texts(stream.sentences, "passage")
        question_vectors = embed_texts(stream.questions, "query")
    if "dense" not in options.skip:
        results["dense"], results["loading"] = [], []
        for size in options.sizes:
            for kind in options.vectors:
                vectors = passage_vectors(stream, kind, size, sentence_vectors)
                rows, load_rows = dense_rows(size, kind, vectors, query_vectors(kind, question_vectors), options.ann)
                results["dense"] += rows
                results["loading"] += load_rows
                del vectors
    if "lexical" not in options.skip:
        results["lexical"] = [lexical_row(stream, size) for size in options.sizes]
    return results
