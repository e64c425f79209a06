"""Scale: dense (exact vs HNSW/IVF) and lexical (bm25s) search over 10k, 100k and 1M synthetic passages.

    python benchmarks/bench_scale.py --sizes 10000 100000            # a few minutes
    python benchmarks/bench_scale.py                                 # 10k, 100k, 1M: ~45 min on 2 busy cores, 8 GB peak
    python benchmarks/bench_scale.py --sizes 100000 --ann hnsw:32:80 hnsw:16:40 ivf:1024 --vectors structured random

Passages are windows of 40-90 syllables (mean 65, about 300 characters like the bundled article's
passages) cut at random from a long stream of XQuAD Vietnamese sentences in shuffled orders; their
lexical terms are exactly `assistant.text.terms.passage_terms` of the window's text (checked on a sample),
computed by slicing precomputed term ids so that 1M passages take seconds, not the ~10 minutes of
Python tokenisation (measured and reported separately).

Vectors come in two kinds:
- `structured`: each passage's vector is the mean of the real e5 embeddings of the sentences its
  window overlaps (weighted by overlap), plus small Gaussian noise, L2-normalised; the queries are
  the real e5 embeddings of XQuAD questions. This keeps the geometry of real embeddings.
- `random`: standard-normal vectors and queries, L2-normalised. In 384 dimensions every random
  vector is nearly orthogonal to every other, so "nearest" neighbours are barely nearer than the
  rest: a worst case for any approximate index, not representative of text embeddings.

Recall@10 is measured against exact inner-product search (`IndexFlatIP`) over the same vectors.
Everything is seeded. Scratch files go to benchmarks/results/scale/ and are removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from xquad import RESULTS, XQUAD, load_xquad

from assistant.config import LexicalSettings
from assistant.search.dense import DenseIndex
from assistant.search.lexical import LexicalIndex
from assistant.text.normalize import strip_diacritics, tokens
from assistant.text.sentences import sentence_spans
from assistant.text.terms import BIGRAM, FOLDED, passage_terms

SCRATCH = RESULTS / "scale"
SEED = 20251124
STREAM_COPIES = 25  # shuffled copies of the ~42k-syllable XQuAD stream: ~1M syllables to cut windows from
WINDOW_WORDS = (40, 90)
NOISE = 0.1  # norm of the Gaussian noise added to a structured vector (which has norm 1)
CHUNK = 50_000  # passages generated per step (keeps generation memory small)
QUERIES = 200
K = 10
CANDIDATES = 50  # what the assistant asks each retriever for (Settings.candidates)


# --- memory and timing helpers ---------------------------------------------------------------

def _status(field: str) -> float:
    """A /proc/self/status field in MB (VmHWM, VmRSS, RssAnon, RssFile)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> float:
    """Reset VmHWM (peak resident memory) so the next phase's peak can be read on its own.

    Returns:
        The resident memory now, in MB: subtract it from `_status("VmHWM")` for the phase's extra peak.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _status("VmRSS")


def latencies(function, items, threads: int = 1) -> tuple[float, float]:
    """Median and p95 in milliseconds of `function(item)` over `items`, one call at a time, with
    faiss limited to `threads` OpenMP threads (one question is one thread's work: see PERFORMANCE.md)."""
    import faiss

    default = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    seconds = []
    try:
        for item in items:
            started = time.perf_counter()
            function(item)
            seconds.append(time.perf_counter() - started)
    finally:
        faiss.omp_set_num_threads(default)
    return 1000 * statistics.median(seconds), 1000 * float(np.percentile(seconds, 95))


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


# --- the synthetic corpus --------------------------------------------------------------------

@dataclass
class Stream:
    """XQuAD sentences in shuffled orders as one stream of syllables, with each syllable's term ids."""

    words: list[str]
    sentence_of_word: np.ndarray  # index into the sentence list
    word_ids: np.ndarray  # term id of each syllable
    bigram_ids: np.ndarray  # term id of (syllable i, syllable i+1); one shorter
    folded_ids: np.ndarray
    folded_bigram_ids: np.ndarray
    vocabulary: dict[str, int]
    sentences: list[str]
    questions: list[str]


def build_stream(seed: int = SEED, copies: int = STREAM_COPIES) -> Stream:
    paragraphs, questions = load_xquad()
    sentences = [text[start:end] for _title, text in paragraphs.values() for start, end in sentence_spans(text)]
    sentence_words = [tokens(sentence) for sentence in sentences]
    rng = np.random.default_rng(seed)
    words: list[str] = []
    owner: list[int] = []
    for _copy in range(copies):
        for s in rng.permutation(len(sentences)):
            words.extend(sentence_words[s])
            owner.extend([s] * len(sentence_words[s]))
    vocabulary: dict[str, int] = {}

    def ids(terms) -> np.ndarray:
        return np.fromiter((vocabulary.setdefault(t, len(vocabulary)) for t in terms), dtype=np.int32)

    folded = [strip_diacritics(w) for w in words]
    word_ids = ids(words)
    folded_ids = ids(FOLDED + w for w in folded)
    bigram_ids = ids(a + BIGRAM + b for a, b in zip(words, words[1:]))
    folded_bigram_ids = ids(FOLDED + a + BIGRAM + b for a, b in zip(folded, folded[1:]))
    distinct_questions = list(dict.fromkeys(q.question for q in questions))
    return Stream(words, np.asarray(owner, dtype=np.int32), word_ids, bigram_ids, folded_ids, folded_bigram_ids,
                  vocabulary, sentences, distinct_questions)


def windows(stream: Stream, count: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    """Start and length (in syllables) of `count` passages."""
    rng = np.random.default_rng([seed, count])
    lengths = rng.integers(WINDOW_WORDS[0], WINDOW_WORDS[1] + 1, size=count)
    starts = rng.integers(0, len(stream.words) - WINDOW_WORDS[1], size=count)
    return starts, lengths


def window_terms(stream: Stream, start: int, length: int) -> np.ndarray:
    """Term ids of a window: syllables, bigrams, and their accent-free forms (as `passage_terms`)."""
    end = start + length
    return np.concatenate([stream.word_ids[start:end], stream.bigram_ids[start:end - 1],
                           stream.folded_ids[start:end], stream.folded_bigram_ids[start:end - 1]])


def check_terms(stream: Stream, starts, lengths, samples: int = 200) -> int:
    """How many of `samples` windows get exactly `passage_terms(window text)` (as a multiset)."""
    ok = 0
    for start, length in zip(starts[:samples], lengths[:samples]):
        text = " ".join(stream.words[start:start + length])
        expected = sorted(stream.vocabulary.get(t, -1) for t in passage_terms(text, LexicalSettings()))
        ok += expected == sorted(window_terms(stream, start, length).tolist())
    return ok


class TermIdCorpus:
    """Passages as lists of term ids, made on demand: bm25s reads `ids` (twice) and `vocab`."""

    def __init__(self, stream: Stream, starts: np.ndarray, lengths: np.ndarray):
        self.stream, self.starts, self.lengths = stream, starts, lengths
        self.vocab = dict(stream.vocabulary)

    @property
    def ids(self):
        return self

    def __len__(self) -> int:
        return len(self.starts)

    def __iter__(self):
        for start, length in zip(self.starts, self.lengths):
            yield window_terms(self.stream, int(start), int(length)).tolist()


# --- vectors ---------------------------------------------------------------------------------

def embed_texts(texts: list[str], kind: str) -> np.ndarray:
    """Real e5 embeddings (passage or query prompt) of `texts`, cached in benchmarks/results/scale/."""
    import hashlib

    from assistant.embed.embedders import SentenceTransformerEmbedder, embed_passages, embed_queries

    digest = hashlib.sha256("\x1f".join([kind, *texts]).encode()).hexdigest()[:16]
    cache = SCRATCH / f"e5-{kind}-{digest}.npy"
    if cache.exists():
        return np.load(cache)
    embedder = SentenceTransformerEmbedder(batch_size=16)
    vectors = (embed_passages if kind == "passage" else embed_queries)(embedder, texts)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def passage_vectors(stream: Stream, kind: str, count: int, sentence_vectors: np.ndarray | None) -> np.ndarray:
    """`count` L2-normalised passage vectors of the given kind (see the module docstring), seeded."""
    import scipy.sparse as sp

    dimension = 384 if sentence_vectors is None else sentence_vectors.shape[1]
    out = np.empty((count, dimension), dtype=np.float32)
    starts, lengths = windows(stream, count)
    for begin in range(0, count, CHUNK):
        end = min(begin + CHUNK, count)
        rng = np.random.default_rng([SEED, begin, 1 if kind == "random" else 2])
        noise = rng.standard_normal((end - begin, dimension), dtype=np.float32)
        if kind == "random":
            out[begin:end] = normalise(noise)
            continue
        rows = np.repeat(np.arange(end - begin), lengths[begin:end])
        positions = np.concatenate([np.arange(s, s + n) for s, n in zip(starts[begin:end], lengths[begin:end])])
        weights = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, stream.sentence_of_word[positions])),
                                shape=(end - begin, len(stream.sentences)))
        mixed = normalise(np.asarray(weights @ sentence_vectors, dtype=np.float32))
        out[begin:end] = normalise(mixed + NOISE / np.sqrt(dimension) * noise)
    return out


def query_vectors(stream: Stream, kind: str, question_vectors: np.ndarray | None) -> np.ndarray:
    if kind == "random":
        rng = np.random.default_rng([SEED, 3])
        return normalise(rng.standard_normal((QUERIES, 384), dtype=np.float32))
    return np.ascontiguousarray(question_vectors[:QUERIES])


# --- dense -----------------------------------------------------------------------------------

def build_ann(spec: str, vectors: np.ndarray):
    """An approximate index from a spec: `shipped` (DenseIndex.build), `hnsw:M:efConstruction`, `ivf:nlist`.

    Returns:
        `(faiss index, name of its search parameter, values of it to sweep)`.
    """
    import faiss

    dimension = vectors.shape[1]
    if spec == "shipped":
        index = DenseIndex.build(vectors, exact_limit=0).index
    elif spec.startswith("hnsw:"):
        _, neighbours, construction = spec.split(":")
        index = faiss.IndexHNSWFlat(dimension, int(neighbours), faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = int(construction)
        index.add(vectors)
    elif spec.startswith("ivf:"):
        lists = int(spec.split(":")[1])
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(SEED).choice(len(vectors), min(len(vectors), 64 * lists), replace=False)
        index.train(vectors[np.sort(sample)])
        index.add(vectors)
    else:
        raise SystemExit(f"unknown --ann spec {spec!r}; use shipped, hnsw:M:efConstruction or ivf:nlist")
    if isinstance(index, faiss.IndexHNSW):
        return index, "efSearch", (64, 128, 256, 384, 512, 768)
    return index, "nprobe", (1, 4, 8, 16, 32, 64, 128)


def set_search_parameter(index, name: str, value: int) -> None:
    if name == "efSearch":
        index.hnsw.efSearch = value
    else:
        index.nprobe = value


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[f >= 0]) & set(t)) / len(t) for f, t in zip(found, truth)]))


def dense_rows(size: int, kind: str, vectors: np.ndarray, queries: np.ndarray, specs: list[str]) -> list[str]:
    """Print Markdown rows: exact search, then each approximate index at each search-parameter value.

    Recall is that of the top 10 of a search for `CANDIDATES` passages, as the assistant searches
    (HNSW explores max(efSearch, k) candidates, so efSearch below 50 changes nothing there).

    Returns:
        Rows of the load table (read vs mmap) for the `shipped` index, when it is among `specs`.
    """
    import faiss

    baseline = reset_peak()
    exact = DenseIndex.build(vectors, exact_limit=size)
    truth = exact.index.search(queries, K)[1]
    path = SCRATCH / "dense.faiss"
    exact.save(path)
    for threads in sorted({1, os.cpu_count() or 1}):
        p50, p95 = latencies(lambda q: exact.search(q, CANDIDATES), queries[:100], threads)
        print(f"| {size:,} | {kind} | exact IndexFlatIP, {threads} thread(s) | - | - | 1.000 | {p50:.2f} | {p95:.2f} | "
              f"{size_mb(path):.0f} | {_status('VmHWM') - baseline:.0f} |", flush=True)
    load_rows = load_table_rows(size, kind, path, queries) if "shipped" in specs else []
    del exact
    for spec in specs:
        baseline = reset_peak()
        started = time.perf_counter()
        index, parameter, values = build_ann(spec, vectors)
        build_seconds = time.perf_counter() - started
        peak = _status("VmHWM") - baseline
        faiss.write_index(index, str(path))
        for value in values:
            set_search_parameter(index, parameter, value)
            found = index.search(queries, CANDIDATES)[1][:, :K]
            p50, p95 = latencies(lambda q: index.search(q.reshape(1, -1), CANDIDATES), queries[:100])
            print(f"| {size:,} | {kind} | {spec} ({type(index).__name__}) | {build_seconds:.0f} | "
                  f"{parameter}={value} | {recall_at_k(found, truth):.3f} | {p50:.2f} | {p95:.2f} | "
                  f"{size_mb(path):.0f} | {peak:.0f} |", flush=True)
        del index
        if spec == "shipped":
            load_rows += load_table_rows(size, kind, path, queries)
    path.unlink(missing_ok=True)
    return load_rows


def evict_from_page_cache(path: Path) -> None:
    """Drop `path`'s pages from the OS page cache (that file only), so the next read is cold."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
        os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


LOAD_SCRIPT = """
import json, sys, time
import numpy as np
from pathlib import Path
from assistant.search.dense import DenseIndex

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024

def timed(index, queries):
    seconds = []
    for query in queries:
        started = time.perf_counter()
        index.search(query, %d)
        seconds.append(time.perf_counter() - started)
    return [1000 * float(np.median(seconds)), 1000 * float(np.percentile(seconds, 95))]

import faiss  # imported before timing: its import is a cold-start cost, not a load cost
queries = np.load(sys.argv[3])
anon, file_backed = status("RssAnon"), status("RssFile")
started = time.perf_counter()
index = DenseIndex.load(Path(sys.argv[1]), mmap=sys.argv[2] == "mmap")
load_ms = 1000 * (time.perf_counter() - started)
loaded_anon = status("RssAnon") - anon
kind = index.kind
cold, warm = timed(index, queries[100:110]), timed(index, queries[:100])
file_mb = status("RssFile") - file_backed
del index
started = time.perf_counter()
DenseIndex.load(Path(sys.argv[1]), mmap=sys.argv[2] == "mmap")
warm_load_ms = 1000 * (time.perf_counter() - started)
print(json.dumps({"kind": kind, "load_ms": load_ms, "warm_load_ms": warm_load_ms,
                  "anon": loaded_anon, "file": file_mb, "cold": cold, "warm": warm}))
""" % CANDIDATES


def load_table_rows(size: int, kind: str, path: Path, queries: np.ndarray) -> list[str]:
    """`DenseIndex.load` of `path`, read into memory and memory-mapped, each in a fresh process
    (one faiss thread) from a cold page cache: load time (and again once the file is cached),
    private memory after loading, page-cache memory mapped after the questions, the first 10
    questions (cold) and the next 100 (warm)."""
    import json
    import subprocess
    import sys

    query_file = SCRATCH / "queries.npy"
    np.save(query_file, queries)
    rows = []
    for load in ("read", "mmap"):
        evict_from_page_cache(path)
        result = subprocess.run([sys.executable, "-c", LOAD_SCRIPT, str(path), load, str(query_file)],
                                capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        if result.returncode:
            raise SystemExit(f"loading {path} failed:\n{result.stderr[-2000:]}")
        m = json.loads(result.stdout)
        rows.append(f"| {size:,} | {kind} | {m['kind']} | {load} | {m['load_ms']:.0f} / {m['warm_load_ms']:.0f} | "
                    f"{m['anon']:.0f} | "
                    f"{m['file']:.0f} | {m['cold'][0]:.2f} / {m['cold'][1]:.2f} | "
                    f"{m['warm'][0]:.2f} / {m['warm'][1]:.2f} |")
    query_file.unlink()
    return rows


# --- lexical ---------------------------------------------------------------------------------

def lexical_row(stream: Stream, size: int) -> str:
    """Build bm25s over `size` passages; save; load with and without mmap; time questions."""
    import bm25s

    starts, lengths = windows(stream, size)
    settings = LexicalSettings()
    baseline = reset_peak()
    started = time.perf_counter()
    retriever = bm25s.BM25(k1=settings.k1, b=settings.b)
    retriever.index(TermIdCorpus(stream, starts, lengths), show_progress=False)
    build_seconds = time.perf_counter() - started
    build_peak = _status("VmHWM") - baseline
    directory = SCRATCH / "lexical"
    shutil.rmtree(directory, ignore_errors=True)
    LexicalIndex(retriever, settings).save(directory)
    del retriever
    questions = stream.questions[:QUERIES]
    cells = []
    for mmap in (False, True):
        for path in directory.iterdir():
            evict_from_page_cache(path)
        anon = _status("RssAnon")
        started = time.perf_counter()
        index = LexicalIndex.load(directory, settings, mmap=mmap)
        load_seconds = time.perf_counter() - started
        loaded_anon = _status("RssAnon") - anon
        p50, p95 = latencies(lambda q: index.search(q, CANDIDATES), questions)
        cells.append(f"{load_seconds:.2f} s, {loaded_anon:.0f} MB | {p50:.1f} / {p95:.1f}")
        del index
    row = (f"| {size:,} | {build_seconds:.0f} | {build_peak:.0f} | {size_mb(directory):.0f} | "
           f"{cells[0]} | {cells[1]} |")
    shutil.rmtree(directory, ignore_errors=True)
    return row


def tokenisation_rate(stream: Stream, samples: int = 2000) -> float:
    """Passages per second of `passage_terms` on real window texts (what `LexicalIndex.build` pays)."""
    starts, lengths = windows(stream, samples)
    texts = [" ".join(stream.words[s:s + n]) for s, n in zip(starts, lengths)]
    started = time.perf_counter()
    for text in texts:
        passage_terms(text, LexicalSettings())
    return samples / (time.perf_counter() - started)


# --- main ------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--vectors", nargs="+", default=["structured"], choices=["structured", "random"])
    parser.add_argument("--ann", nargs="*", default=["shipped"],
                        help="approximate indexes: shipped (assistant.dense defaults), hnsw:M:efConstruction, ivf:nlist")
    parser.add_argument("--skip", nargs="*", default=[], choices=["dense", "lexical"])
    args = parser.parse_args()
    if not XQUAD.exists():
        print(f"skipped: {XQUAD} not found")
        return 0
    import faiss

    SCRATCH.mkdir(parents=True, exist_ok=True)
    print(f"faiss {faiss.__version__}, {faiss.omp_get_max_threads()} OpenMP threads; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    stream = build_stream()
    starts, lengths = windows(stream, 1000)
    print(f"stream: {len(stream.sentences)} XQuAD sentences, {len(stream.words):,} syllables, "
          f"{len(stream.vocabulary):,} terms; windows whose slice equals passage_terms(text): "
          f"{check_terms(stream, starts, lengths)}/200; passage_terms: {tokenisation_rate(stream):.0f} passages/s")
    sentence_vectors = question_vectors = None
    if "structured" in args.vectors:
        sentence_vectors = embed_texts(stream.sentences, "passage")
        question_vectors = embed_texts(stream.questions, "query")

    if "dense" not in args.skip:
        print("\n| passages | vectors | index | build s | search parameter | recall@10 | p50 ms | p95 ms "
              "| file MB | build peak MB |\n|---|---|---|---|---|---|---|---|---|---|")
        load_rows = []
        for size in args.sizes:
            for kind in args.vectors:
                vectors = passage_vectors(stream, kind, size, sentence_vectors)
                load_rows += dense_rows(size, kind, vectors, query_vectors(stream, kind, question_vectors), args.ann)
                del vectors
        print("\n| passages | vectors | index | load | load ms cold / warm cache | anonymous MB after load | file-backed MB after "
              "110 queries | first 10 queries p50 / p95 ms | next 100 p50 / p95 ms |\n|---|---|---|---|---|---|---|---|---|")
        print("\n".join(load_rows))
    if "lexical" not in args.skip:
        print("\n| passages | bm25s build s | build peak MB | on disk MB | load (read) | p50 / p95 ms "
              "| load (mmap) | p50 / p95 ms |\n|---|---|---|---|---|---|---|---|")
        for size in args.sizes:
            print(lexical_row(stream, size), flush=True)
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
