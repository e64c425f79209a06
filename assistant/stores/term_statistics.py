"""BM25 as sparse vectors, for a store that searches them by inner product (`stores.milvus`).

A passage is stored as `{term id: tf / (tf + k1 · (1 − b + b · length / mean length))}` and a
question as `{term id: idf}`, so their inner product is the BM25 score `search.lexical.bm25_weights`
gives (Lucene variant, as bm25s). The IDF is the archive's, from a document-frequency table kept
with the index and updated by difference, so a question is scored with statistics of the whole
archive, never of one segment. The mean length is fixed when the passages are written
(`weighed_mean`); once the archive's mean has moved more than `MEAN_DRIFT` from it, every passage
is weighed again (`needs_reweighing`): often while an archive is small and cheap to rewrite,
seldom once it is large.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..config import LexicalSettings
from ..search.lexical import bm25_idf
from ..text.terms import EMPTY, passage_terms

ID_LIMIT = 2**32 - 1  # Milvus' sparse indices are below this
FILES = {"ids": "term-ids.npy", "frequencies": "term-frequencies.npy"}
MEAN_DRIFT = 0.01


@lru_cache(maxsize=262_144)
def term_id(term: str) -> int:
    """A term's sparse index: 32 bits of its BLAKE2b hash (stable across processes). Two of a
    million terms share an id now and then; they then count as one term."""
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=4).digest(), "little") % ID_LIMIT


def _counted(text: str, settings: LexicalSettings) -> Counter:
    return Counter(term_id(term) for term in passage_terms(text, settings) or [EMPTY])


@dataclass(frozen=True)
class TermStatistics:
    """The archive's passage count, term count, document frequency per term id (sorted ids), and
    the mean passage length the stored passage vectors were weighed with."""

    passages: int
    terms: int
    ids: np.ndarray
    frequencies: np.ndarray
    weighed_mean: float = 0.0

    @classmethod
    def of(cls, texts: Sequence[str], settings: LexicalSettings) -> "TermStatistics":
        return cls(0, 0, np.zeros(0, np.uint32), np.zeros(0, np.int64)).updated(texts, (), settings).reweighed()

    def reweighed(self) -> "TermStatistics":
        """These statistics, for passage vectors weighed with the archive's mean length."""
        return replace(self, weighed_mean=self.mean_length)

    @property
    def needs_reweighing(self) -> bool:
        """Whether the archive's mean length has moved more than `MEAN_DRIFT` from the weighed one."""
        return abs(self.mean_length - self.weighed_mean) > MEAN_DRIFT * self.weighed_mean

    def updated(self, added: Sequence[str], removed: Sequence[str], settings: LexicalSettings) -> "TermStatistics":
        """The statistics once the passages with search texts `added` are in and `removed` out:
        only the changed terms are counted, then merged into the sorted table (no re-sort)."""
        ids, signs, terms = [np.zeros(0, np.uint32)], [np.zeros(0, np.int64)], self.terms
        for texts, sign in ((added, 1), (removed, -1)):
            for text in texts:
                counted = _counted(text, settings)
                ids.append(np.fromiter(counted, np.uint32, len(counted)))
                signs.append(np.full(len(counted), sign, np.int64))
                terms += sign * sum(counted.values())
        changed, inverse = np.unique(np.concatenate(ids), return_inverse=True)
        change = np.bincount(inverse, weights=np.concatenate(signs), minlength=len(changed)).astype(np.int64)
        at = np.searchsorted(self.ids, changed)
        known = at < len(self.ids)
        known[known] = self.ids[at[known]] == changed[known]
        frequencies = self.frequencies.copy()
        frequencies[at[known]] += change[known]
        ids = np.insert(self.ids, at[~known], changed[~known])
        frequencies = np.insert(frequencies, at[~known], change[~known])
        kept = frequencies > 0
        return TermStatistics(self.passages + len(added) - len(removed), terms, ids[kept], frequencies[kept],
                              self.weighed_mean)

    @property
    def mean_length(self) -> float:
        return self.terms / self.passages if self.passages else 1.0

    def frequency(self, ids: Iterable[int]) -> np.ndarray:
        """The document frequency of each term id (0 for ids the archive lacks)."""
        ids = np.fromiter(ids, np.int64)
        if not len(self.ids):
            return np.zeros(len(ids), np.int64)
        found = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return np.where(self.ids[found] == ids, self.frequencies[found], 0)

    def idf(self, terms: Sequence[str]) -> dict[str, float]:
        """BM25's IDF of each term (as `search.lexical.LexicalIndex.idf`: an absent term gets the maximum)."""
        df = self.frequency(term_id(term) for term in terms)
        return dict(zip(terms, bm25_idf(self.passages, df).tolist()))

    def query_vector(self, terms: Sequence[str]) -> dict[int, float]:
        """A question's sparse vector: the IDF of each of its terms the archive holds."""
        df = self.frequency(term_id(term) for term in terms)
        return {term_id(term): weight for term, f, weight in zip(terms, df, bm25_idf(self.passages, df).tolist())
                if f > 0}

    def passage_vector(self, text: str, settings: LexicalSettings) -> dict[int, float]:
        """A passage's sparse vector: BM25's term-frequency part of each of its terms."""
        counted = _counted(text, settings)
        norm = settings.k1 * (1 - settings.b + settings.b * sum(counted.values()) / self.weighed_mean)
        return {key: float(tf / (tf + norm)) for key, tf in counted.items()}

    def save(self, folder: Path) -> dict:
        """Write the table into a generation being made; returns the manifest's entry."""
        np.save(folder / FILES["ids"], self.ids, allow_pickle=False)
        np.save(folder / FILES["frequencies"], self.frequencies, allow_pickle=False)
        return {"passages": self.passages, "terms": self.terms, "weighed_mean": self.weighed_mean}

    @classmethod
    def load(cls, folder: Path, entry: dict) -> "TermStatistics":
        ids = np.load(folder / FILES["ids"], allow_pickle=False)
        frequencies = np.load(folder / FILES["frequencies"], allow_pickle=False)
        if ids.shape != frequencies.shape:
            raise ValueError("term ids and frequencies differ in length")
        return cls(int(entry["passages"]), int(entry["terms"]), ids, frequencies, float(entry["weighed_mean"]))
