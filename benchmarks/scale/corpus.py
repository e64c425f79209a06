"""The synthetic archive of the scale benchmark: windows of XQuAD syllables as passages, their BM25
term ids, and their vectors (structured from real e5 sentence embeddings, or random)."""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass

import numpy as np

from assistant.config import LexicalSettings
from assistant.text.normalize import strip_diacritics, tokens
from assistant.text.sentences import sentence_spans
from assistant.text.terms import BIGRAM, FOLDED, passage_terms

from ..common.archives import CACHE
from ..common.datasets import load_xquad

SCRATCH = CACHE / "scale"
SEED = 20251124
STREAM_COPIES = 25  # shuffled copies of the ~42k-syllable XQuAD stream: ~1M syllables to cut windows from
WINDOW_WORDS = (40, 90)
NOISE = 0.1  # norm of the Gaussian noise added to a structured vector (which has norm 1)
CHUNK = 50_000  # passages generated per step (keeps generation memory small)
QUERIES = 200


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
        for sentence in rng.permutation(len(sentences)):
            words.extend(sentence_words[sentence])
            owner.extend([sentence] * len(sentence_words[sentence]))
    vocabulary: dict[str, int] = {}

    def ids(terms) -> np.ndarray:
        return np.fromiter((vocabulary.setdefault(term, len(vocabulary)) for term in terms), dtype=np.int32)

    folded = [strip_diacritics(word) for word in words]
    word_ids = ids(words)
    folded_ids = ids(FOLDED + word for word in folded)
    bigram_ids = ids(first + BIGRAM + second for first, second in itertools.pairwise(words))
    folded_bigram_ids = ids(FOLDED + first + BIGRAM + second for first, second in itertools.pairwise(folded))
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
    equal = 0
    for start, length in zip(starts[:samples], lengths[:samples]):
        text = " ".join(stream.words[start:start + length])
        expected = sorted(stream.vocabulary.get(term, -1) for term in passage_terms(text, LexicalSettings()))
        equal += expected == sorted(window_terms(stream, start, length).tolist())
    return equal


def tokenisation_rate(stream: Stream, samples: int = 2000) -> float:
    """Passages per second of `passage_terms` on real window texts (what `LexicalIndex.build` pays)."""
    starts, lengths = windows(stream, samples)
    texts = [" ".join(stream.words[start:start + length]) for start, length in zip(starts, lengths)]
    started = time.perf_counter()
    for text in texts:
        passage_terms(text, LexicalSettings())
    return samples / (time.perf_counter() - started)


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


def embed_texts(texts: list[str], kind: str) -> np.ndarray:
    """Real e5 embeddings (passage or query prompt) of `texts`, cached in benchmarks/.cache/scale/."""
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
    """`count` L2-normalised passage vectors of the given kind (see the package docstring), seeded."""
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
        positions = np.concatenate([np.arange(start, start + length)
                                    for start, length in zip(starts[begin:end], lengths[begin:end])])
        weights = sp.csr_matrix((np.ones(len(rows), np.float32), (rows, stream.sentence_of_word[positions])),
                                shape=(end - begin, len(stream.sentences)))
        mixed = normalise(np.asarray(weights @ sentence_vectors, dtype=np.float32))
        out[begin:end] = normalise(mixed + NOISE / np.sqrt(dimension) * noise)
    return out


def query_vectors(kind: str, question_vectors: np.ndarray | None) -> np.ndarray:
    if kind == "random":
        rng = np.random.default_rng([SEED, 3])
        return normalise(rng.standard_normal((QUERIES, 384), dtype=np.float32))
    return np.ascontiguousarray(question_vectors[:QUERIES])
