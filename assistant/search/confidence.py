"""Confidence: is any passage about the question, and does the top one answer it? (model-free)

Two small logistic models read signals that mean the same on an archive of one article or of
thousands, and on copied or paraphrased questions:

- whether the archive is about the question (`topic`): the dense cosine of the top passage, the
  share of the question's words (weighed by reference IDF, `reference.py`) found in one of the top
  passages, the same for its best sentence and for word pairs, and the archive's size in passages
  (the best of more passages scores higher by chance alone: the model shifts its bar with it);
- whether the quoted sentence answers it (`answer`): the same sentence measures, and what reading
  the top passages found (`answer.reading`, handed in as a `Reading`): whether a span of the kind
  asked (a person for "ai", a date for "khi nào", an area for "rộng bao nhiêu") stands in the
  relation the question asks for (`found`), how many of the question's words stand near it
  (`near`) and around the question word's slot (`slot`), how rare the rarest question word missing
  from the sentence and from its passage is (`missing`, `missing_passage`: a near miss names the
  right people and asks for a detail the article omits), which passage it came from (`rank`), and
  whether a follow-up's top passage is from the document its conversation was answered from (`follows`).

`answered` needs both; `related` means the topic is there but the answer may not be (the passages
are shown with a caveat); `not_found`, that nothing is about it. Weights and thresholds are in
`data/confidence.json`, fitted by `python -m tools.fit_confidence` on one half of the questions
of `benchmarks/data/` (natural, factoid and near-miss questions at three archive sizes, the
follow-ups of conversations, XQuAD near misses) plus the even XQuAD questions; the other half is
for reporting (README, "Answers"). Lexical mode has its own pair of models, without the cosine.
A question in another language is judged on the cosine alone and is never `answered`: no word of
it can be checked against the passage.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping, Sequence

from ..config import DATA_DIR, LexicalSettings
from ..errors import AssistantError
from ..results import ANSWERED, NOT_FOUND, RELATED, Passage, Reading, Relevance
from .coverage import QuestionTerms, passage_coverage, sentence_match

MODEL_FILE = DATA_DIR / "confidence.json"
PASSAGES_CONSIDERED = 3  # the topic is there when one of the first three passages is about it
FEATURES = ("dense", "coverage", "words", "pairs", "typed", "asked", "passages", "margin", "focus",
            "near", "found", "rank", "factoid", "missing", "missing_passage", "slot", "follows")
# The margin of a passage with no competitor (an archive of one passage).
MAX_MARGIN = 3.0


@dataclass(frozen=True)
class _Model:
    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: Mapping[str, float]) -> float:
        logit = self.bias + sum(weight * features[name] for name, weight in self.weights.items())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))


@dataclass(frozen=True)
class _Models:
    topic: _Model
    answer: _Model


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, _Models], float]:
    try:
        data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
        models = {family: _Models(*(_Model(**data[family][part]) for part in ("topic", "answer")))
                  for family in ("dense", "lexical")}
        return models, float(data["foreign_topic_cosine"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise AssistantError(f"{MODEL_FILE}: missing or malformed ({error}); reinstall the package, or refit it "
                             "with `python -m tools.fit_confidence`") from error


def margin(ranked: Sequence[tuple[int, float]]) -> float:
    """How far the top passage leads the second, in standard deviations of all candidates' scores:
    when two passages score alike, the top one holds the answer little more than half the time."""
    if len(ranked) < 2:
        return MAX_MARGIN
    scores = [score for _item, score in ranked]
    mean = sum(scores) / len(scores)
    deviation = math.sqrt(sum((score - mean) ** 2 for score in scores) / len(scores)) or 1.0
    return min(MAX_MARGIN, (scores[0] - scores[1]) / deviation)


def features(terms: QuestionTerms, passages: Sequence[Passage], archive_passages: int, lead: float,
             settings: LexicalSettings, reading: Reading | None = None, factoid: bool = False,
             follows: bool = False) -> dict[str, float]:
    """The signals both models read, measured on the ranked `passages` (best first) and on the
    sentence the answer would quote (the top passage's first highlight), with the terms the
    index's `settings` give; `follows`: the question goes on from an earlier turn of its
    conversation, and the top passage is from the document that turn was answered from."""
    top = passages[0]
    start, end = top.highlights[0] if top.highlights else (top.start, top.end)
    match = sentence_match(terms, top.text, start - top.start, end - top.start, top.title, settings)
    read = {"near": 0.0, "found": 0.0, "rank": 0.0, "factoid": float(factoid), "missing": 0.0, "missing_passage": 0.0,
            "slot": 0.0, "follows": float(follows)}
    words, pairs = match.words, match.pairs
    if reading is not None:  # the sentence the answer quotes, read accent-free (`answer.reading`)
        read.update(near=reading.near, found=float(reading.found), rank=float(reading.passage),
                    missing=reading.missing, missing_passage=reading.missing_passage, slot=reading.slot)
        words, pairs = reading.words, reading.pairs
    return {**read,
        "dense": top.dense_score if top.dense_score is not None else 0.0,
        "coverage": max(passage_coverage(terms, p.text, p.title, settings) for p in passages[:PASSAGES_CONSIDERED]),
        "words": words,
        "pairs": pairs,
        "typed": float(match.typed),
        "asked": float(terms.asked is not None),
        "passages": math.log(max(archive_passages, 1)),
        "margin": lead,
        "focus": match.focus,
    }


def assess(terms: QuestionTerms, passages: Sequence[Passage], archive_passages: int, lead: float,
           lexical_only: bool, foreign: bool, settings: LexicalSettings, reading: Reading | None = None,
           factoid: bool = False, follows: bool = False) -> Relevance:
    """The status of an answer built from `passages`, with the evidence behind it.

    Args:
        terms: the question's content terms (`QuestionTerms.of`).
        passages: the ranked passages (best first).
        archive_passages: how many passages the archive holds.
        lead: the top passage's `margin` over the second.
        lexical_only: no dense cosine was computed (lexical mode).
        foreign: the question is not in Vietnamese.
        settings: the index's lexical settings (which terms a text has).
        reading: what reading the top passages found (`answer.reading`), when they were read.
        factoid: the question asks for a thing (a person, a time, a number...): it is answered only
            when reading found a span of that kind in the relation asked.
        follows: the question follows up an earlier turn answered from the top passage's document.
    """
    if not passages:
        return Relevance(NOT_FOUND, 0.0, 0.0, {}, foreign)
    models, foreign_cosine = _load()
    measured = features(terms, passages, archive_passages, lead, settings, reading, factoid, follows)
    if foreign:
        status = RELATED if measured["dense"] >= foreign_cosine else NOT_FOUND
        return Relevance(status, float(status == RELATED), 0.0, measured, foreign)
    family = models["lexical" if lexical_only else "dense"]
    topic = family.topic.probability(measured)
    answer = family.answer.probability(measured)
    if topic < family.topic.threshold:
        status = NOT_FOUND
    elif answer >= family.answer.threshold and not (factoid and reading is not None and not reading.found):
        status = ANSWERED
    else:
        status = RELATED
    return Relevance(status, round(topic, 4), round(answer, 4), measured, foreign)
