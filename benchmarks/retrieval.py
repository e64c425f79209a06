"""Retrieval quality: XQuAD Vietnamese (as written and without diacritics) and the article dev set, per mode.

    python -m benchmarks retrieval                       # all modes, all 1,190 questions
    python -m benchmarks retrieval --half even           # tune on one half, check on the other
    python -m benchmarks retrieval --precision float32   # writes retrieval-float32.json
    python -m benchmarks retrieval --store milvus        # writes retrieval-milvus.json

XQuAD: every paragraph indexed as a document and chunked as usual; a hit is a passage of the gold
paragraph containing the answer (NFC); Recall@1, Recall@5, MRR@10 over the first 10 passages, and
whether the top passage's first highlight holds the answer. Article dev set: an answerable question
is right when not `not_found` with its evidence in the top 3, an unanswerable one when not answered.
"""

from __future__ import annotations

import time
from collections import defaultdict

from assistant import Assistant
from assistant.text.normalize import nfc, strip_diacritics

from .common.archives import (
    add_settings_options,
    apply_settings_options,
    open_article_assistant,
    open_xquad_assistant,
    settings_variant,
)
from .common.datasets import ARTICLE_QA, XQUAD, load_article_questions, load_xquad, require

MODES = ("dense", "lexical", "hybrid")


def add_options(parser) -> None:
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--limit", type=int, help="only the first N XQuAD questions (quick runs)")
    parser.add_argument("--half", choices=["even", "odd"],
                        help="only the even- or odd-numbered questions (tune on one, check on the other)")
    add_settings_options(parser)


def variant(options) -> str | None:
    parts = settings_variant()
    parts += [f"limit-{options.limit}"] if options.limit else []
    parts += [f"half-{options.half}"] if options.half else []
    return "-".join(parts) or None


def xquad_metrics(assistant: Assistant, questions, mode: str, strip: bool) -> dict[str, float]:
    """Recall@1, Recall@5, MRR@10 and answer-sentence accuracy at the chunk level."""
    recall1 = recall5 = reciprocal = sentence = 0.0
    for q in questions:
        text = strip_diacritics(q.question) if strip else q.question
        passages = assistant.retrieve(text, k=10, mode=mode)
        hits = [p.document_id == q.document_id and q.answer in nfc(p.text) for p in passages]
        if True in hits:
            rank = hits.index(True) + 1
            recall1 += rank == 1
            recall5 += rank <= 5
            reciprocal += 1 / rank
        if passages and passages[0].highlights:
            document_text = assistant.snapshot.documents[passages[0].document_id].text
            start, end = passages[0].highlights[0]
            sentence += passages[0].document_id == q.document_id and q.answer in document_text[start:end]
    n = len(questions)
    return {"recall_at_1": recall1 / n, "recall_at_5": recall5 / n, "mrr_at_10": reciprocal / n,
            "answer_sentence": sentence / n}


def article_metrics(assistant: Assistant, rows, mode: str) -> dict:
    """Per kind, the questions handled right: an answerable one is not `not_found` and has its
    evidence in the top 3; an unanswerable one is not `answered`. Also how many answerable ones
    are answered with a quotation, and the ids of the misses."""
    per_kind, misses = defaultdict(lambda: {"right": 0, "questions": 0}), []
    answered = 0
    for row in rows:
        answer = assistant.ask(row["question"], k=3, mode=mode)
        if row["kind"] == "unanswerable":
            right = not answer.answered
        else:
            right = answer.status != "not_found" and any(e in p.text for p in answer.passages for e in row["evidence"])
            answered += answer.answered
        per_kind[row["kind"]]["right"] += right
        per_kind[row["kind"]]["questions"] += 1
        if not right:
            misses.append(row["id"])
    return {"mode": mode, "kinds": dict(sorted(per_kind.items())),
            "answered_with_quotation": answered,
            "answerable": sum(row["kind"] != "unanswerable" for row in rows), "misses": misses}


def run(options) -> dict:
    require(XQUAD)
    settings = apply_settings_options(options)
    assistant = open_xquad_assistant(settings)
    _paragraphs, questions = load_xquad()
    questions = questions[: options.limit] if options.limit else questions
    if options.half:
        questions = questions[options.half == "odd"::2]
    rows = []
    for mode in options.modes:
        for strip in (False, True):
            started = time.perf_counter()
            metrics = xquad_metrics(assistant, questions, mode, strip)
            rows.append({"mode": mode, "questions": "without diacritics" if strip else "as written", **metrics,
                         "seconds_per_question": (time.perf_counter() - started) / len(questions)})
    results = {"xquad": {"paragraphs": len(assistant.snapshot.documents), "passages": len(assistant.snapshot.chunks),
                         "questions": len(questions), "model": assistant.embedder.model_id,
                         "precision": assistant.embedder.precision, "store": settings.store, "rows": rows}}
    if ARTICLE_QA.exists():
        article = open_article_assistant(settings)
        article_rows = load_article_questions()
        results["article"] = {"questions": len(article_rows),
                              "rows": [article_metrics(article, article_rows, mode) for mode in options.modes]}
    return results
