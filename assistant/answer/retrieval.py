"""Retrieval: one question against one loaded generation, from the two searches to cited passages
and the answer's status.

Dense and lexical candidates are fused (`search.fusion`), the five best reordered by their best
sentence (`search.sentences`), each passage given its citation and the sentence(s) it answers
with, and the status judged (`search.confidence`). A question typed without diacritics is given
its accents back for the dense model from the archive's own vocabulary.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import partial

import numpy as np

from ..config import Settings
from ..results import Passage, Reading, SearchResult
from ..search import confidence
from ..search.coverage import QuestionTerms
from ..search.fusion import boost, fuse
from ..stores.snapshot import IndexSnapshot
from ..text.language import looks_vietnamese
from ..text.normalize import canonical_tones, has_diacritics
from ..text.questions import question_form
from .conversation import FollowUp
from .reading import Reader

# Hybrid search reorders its five best fused candidates by their best sentence
# (`Settings.sentence_weight`, `answer.reading.Reader`); a larger pool gained no
# Recall@1 and cost Recall@5 on XQuAD.
SENTENCE_POOL = 5
# A follow-up's passages from the document its conversation was about gain this much (fused z-score
# units): enough to win a near tie, not to override a passage that matches much better. Fit half's
# follow-ups answered with the evidence on top, +30 / +300 articles: 43 / 43 of 61 at 0.5, 43 / 44 at
# 1.0 and at 2.0; unrelated follow-ups answered 0 of 5 at each.
FOLLOW_UP_BONUS = 1.0


class _Stopwatch:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now


def dense_question(question: str, snapshot: IndexSnapshot) -> str:
    """The question as the dense model sees it: diacritics restored when typed without any, tone marks
    placed one way ("thuỷ thủ" and "thủy thủ" are one question)."""
    return canonical_tones(question if has_diacritics(question) else snapshot.restorer.restore(question))


class Retriever:
    """Searches loaded generations with one set of settings.

    Args:
        settings: candidates per side, fusion method and weights, sentence weight.
        query_vector: a question's vector (as the dense model sees the question).
    """

    def __init__(self, settings: Settings, query_vector: Callable[[str], np.ndarray]):
        self.settings = settings
        self.query_vector = query_vector

    def search(self, snapshot: IndexSnapshot, question: str, k: int, mode: str,
               exclude_documents: Collection[str] = (), follow: FollowUp | None = None) -> SearchResult:
        """The `k` best passages of `snapshot` for a cleaned `question`, with the evidence behind
        the answer's status and per-stage timings.

        Args:
            mode: `hybrid`, `dense` or `lexical` (a foreign question searches dense only).
            exclude_documents: document ids to leave out of the results.
            follow: how a follow-up question was understood: the document it continues from ranks
                a little higher (hybrid mode), and the words it carried in from earlier turns are
                read as said by a passage that says them anywhere (`Reader`).
        """
        prefer_document = follow.document if follow else None
        clock = _Stopwatch()
        foreign = not looks_vietnamese(question)
        if foreign and mode == "hybrid":
            mode = "dense"  # matching syllables of another language against Vietnamese text is noise
        seen_by_model = dense_question(question, snapshot) if mode != "lexical" else None
        clock.lap("normalise")
        settings = self.settings
        candidates = max(settings.candidates, k) + (settings.candidates if exclude_documents else 0)
        lexical_hits, dense_hits = [], []
        if mode != "lexical":
            vector = self.query_vector(seen_by_model)
            clock.lap("embed")
            dense_hits = snapshot.dense.search(vector, candidates)
            clock.lap("dense")
        if mode != "dense":
            lexical_hits = snapshot.lexical.search(question, candidates)
            clock.lap("lexical")
        if exclude_documents:
            excluded = set(exclude_documents)
            dense_hits, lexical_hits = ([hit for hit in hits if snapshot.chunks[hit[0]].document_id not in excluded]
                                        for hits in (dense_hits, lexical_hits))
        lexical_settings = snapshot.lexical.settings
        terms = QuestionTerms.of(question, lexical_settings)
        # Read as the model sees it (accents restored from the archive's own words), so a question
        # typed without accents is read as the same question with them.
        read_as = seen_by_model or question
        reader = Reader(read_as, snapshot.lexical.idf, partial(_document_text, snapshot),
                        follow.carried if follow else frozenset())
        if mode == "hybrid":
            ranked = fuse(settings.fusion, dense_hits, lexical_hits, settings.dense_weight)
            if prefer_document is not None:
                bonus = {index: FOLLOW_UP_BONUS * (snapshot.chunks[index].document_id == prefer_document)
                         for index, _score in ranked}
                ranked = sorted(((index, score + bonus[index]) for index, score in ranked),
                                key=lambda pair: (-pair[1], pair[0]))
            if settings.sentence_weight:
                pool = ranked[:SENTENCE_POOL]
                matched = {index: _sentence_score(snapshot, reader, index) for index, _score in pool}
                ranked = boost(pool, matched, settings.sentence_weight) + ranked[SENTENCE_POOL:]
        else:
            ranked = dense_hits or lexical_hits
        clock.lap("fuse")
        dense_scores, lexical_scores = dict(dense_hits), dict(lexical_hits)
        if mode != "lexical":
            # Passages found by BM25 alone still get their cosine: the answer's confidence reads it.
            missing = [index for index, _score in ranked[:k] if index not in dense_scores]
            dense_scores.update(snapshot.dense.similarities(vector, missing))
        passages = [_passage(snapshot, index, score, rank, reader, dense_scores.get(index), lexical_scores.get(index))
                    for rank, (index, score) in enumerate(ranked[:k], start=1)]
        clock.lap("highlight")
        reading = None
        if passages and not foreign:
            reading = reader.read(passages, fused=mode == "hybrid")
            passages = lead_with(passages, reading)
        clock.lap("read")
        follows = prefer_document is not None and bool(passages) and passages[0].document_id == prefer_document
        relevance = confidence.assess(terms, passages, len(snapshot.chunks), confidence.margin(ranked),
                                      mode == "lexical", foreign, lexical_settings, reading,
                                      question_form(read_as).factoid, follows)
        clock.lap("confidence")
        return SearchResult(question, seen_by_model, passages, relevance, clock.laps, reading)


def _document_text(snapshot: IndexSnapshot, document_id: str) -> str:
    return snapshot.documents[document_id].text


def _sentence_score(snapshot: IndexSnapshot, reader: Reader, index: int) -> float:
    """How well the best sentence of a candidate passage answers (`Reader`, the one sentence scorer)."""
    chunk = snapshot.chunks[index]
    best = reader.passage(chunk.text, chunk.start, snapshot.documents[chunk.document_id].title, chunk.document_id).best
    return best.score if best else 0.0


def _passage(snapshot: IndexSnapshot, index: int, score: float, rank: int, reader: Reader,
             dense_score: float | None, lexical_score: float | None) -> Passage:
    chunk = snapshot.cited(index)
    document = snapshot.documents[chunk.document_id]
    return Passage(
        text=chunk.text, score=round(float(score), 6), document_id=document.id, title=document.title,
        date=document.date, paragraph=chunk.paragraph, start=chunk.start, end=chunk.end, path=document.path,
        rank=rank, highlights=reader.highlights(chunk.text, chunk.start, document.title, chunk.document_id),
        dense_score=dense_score, lexical_score=lexical_score)


def lead_with(passages: Sequence[Passage], reading: Reading) -> list[Passage]:
    """The passages with the one holding the answering sentence first, that sentence highlighted,
    and the ranks renumbered."""
    chosen = passages[reading.passage]
    highlights = (reading.sentence,) + tuple(h for h in chosen.highlights if h != reading.sentence)[:1]
    ordered = [replace(chosen, highlights=highlights)] + [p for i, p in enumerate(passages) if i != reading.passage]
    return [replace(p, rank=rank) for rank, p in enumerate(ordered, start=1)]
