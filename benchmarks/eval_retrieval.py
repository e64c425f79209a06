"""Retrieval quality table: XQuAD Vietnamese (as written and without diacritics) and the article dev set.

    python benchmarks/eval_retrieval.py            # all modes, prints a Markdown table
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict

from xquad import ARTICLE_QA, XQUAD, index_folder, load_article_questions, load_xquad, open_xquad_assistant

from assistant import Assistant
from assistant.text.normalize import nfc, strip_diacritics

MODES = ("dense", "lexical", "hybrid")


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
    return {"R@1": recall1 / n, "R@5": recall5 / n, "MRR@10": reciprocal / n, "sentence": sentence / n}


def article_metrics(assistant: Assistant, rows, mode: str) -> tuple[dict[str, str], str, list[str]]:
    """Per kind, the questions handled right: an answerable one is not `not_found` and has its
    evidence in the top 3; an unanswerable one is not `answered`. Also the share answered with a
    quotation, and the ids of the misses."""
    per_kind, misses = defaultdict(lambda: [0, 0]), []
    answered = 0
    for row in rows:
        answer = assistant.ask(row["question"], k=3, mode=mode)
        if row["kind"] == "unanswerable":
            ok = not answer.answered
        else:
            ok = answer.status != "not_found" and any(e in p.text for p in answer.passages for e in row["evidence"])
            answered += answer.answered
        per_kind[row["kind"]][0] += ok
        per_kind[row["kind"]][1] += 1
        if not ok:
            misses.append(row["id"])
    kinds = {kind: f"{hit}/{total}" for kind, (hit, total) in per_kind.items()}
    return kinds, f"{answered}/{sum(row['kind'] != 'unanswerable' for row in rows)}", misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--limit", type=int, help="only the first N XQuAD questions (quick runs)")
    parser.add_argument("--half", choices=["even", "odd"],
                        help="only the even- or odd-numbered questions (tune on one, check on the other)")
    args = parser.parse_args()
    if not XQUAD.exists():
        print(f"skipped: {XQUAD} not found (the shared evaluation data is not beside this clone)")
        return 0
    assistant = open_xquad_assistant()
    _paragraphs, questions = load_xquad()
    questions = questions[: args.limit] if args.limit else questions
    if args.half:
        questions = questions[args.half == "odd"::2]
    print(f"XQuAD Vietnamese: {len(assistant.snapshot.documents)} paragraphs, {len(assistant.snapshot.chunks)} "
          f"passages, {len(questions)} questions; model {assistant.embedder.model_id}\n")
    print("| mode | questions | Recall@1 | Recall@5 | MRR@10 | answer sentence | s/question |")
    print("|---|---|---|---|---|---|---|")
    for mode in args.modes:
        for strip in (False, True):
            started = time.perf_counter()
            metrics = xquad_metrics(assistant, questions, mode, strip)
            seconds = (time.perf_counter() - started) / len(questions)
            label = "without diacritics" if strip else "as written"
            print(f"| {mode} | {label} | {metrics['R@1']:.3f} | {metrics['R@5']:.3f} | {metrics['MRR@10']:.3f} | "
                  f"{metrics['sentence']:.3f} | {seconds:.3f} |", flush=True)
    if ARTICLE_QA.exists():
        article = Assistant.open(index_folder("article"),
                                 documents=[__import__("xquad").ROOT / "documents"])
        rows = load_article_questions()
        print("\nArticle development set (evidence in the top 3 and not `not_found`; unanswerable: not answered)\n")
        print("| mode | " + " | ".join(sorted({r['kind'] for r in rows})) + " | answered with a quotation | misses |")
        print("|---|" + "---|" * (len({r['kind'] for r in rows}) + 2))
        for mode in args.modes:
            kinds, answered, misses = article_metrics(article, rows, mode)
            print(f"| {mode} | " + " | ".join(kinds[k] for k in sorted(kinds)) + f" | {answered} | "
                  f"{' '.join(misses) or '-'} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
