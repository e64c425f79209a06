"""What a person sees: the share of `answered`, `related` and `not_found` per kind of question, at
three archive sizes, and whether an answer's top passage holds the evidence.

    python benchmarks/eval_answers.py                  # held-out natural questions + XQuAD checks
    python benchmarks/eval_answers.py --split all      # every natural question (fit and test)
    python benchmarks/eval_answers.py --no-xquad       # natural questions only (quicker)

Natural questions (`benchmarks/data/natural_questions.jsonl`): answerable ones with their
evidence, same-topic ones the archive does not answer, and unrelated ones. A question about an
article is asked of the archives that hold it. The confidence model was fitted on the `fit` half
(`benchmarks/fit_confidence.py`); the default report is on the `test` half.

XQuAD Vietnamese: every question against all 240 paragraphs (`not_found` should be rare), and
against the bundled article alone (unrelated: `not_found` should be the rule).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict

from archives import DATA, SIZES, applies, archive_documents, load_natural_questions, open_archive
from tqdm import tqdm
from xquad import XQUAD, load_xquad, open_xquad_assistant

from assistant.results import ANSWERED, NOT_FOUND, RELATED, STATUSES
from assistant.text.normalize import nfc

KINDS = ("answerable", "same_topic", "unrelated")
FOREIGN = DATA / "foreign_questions.jsonl"


def holds_evidence(passage_text: str, evidence) -> bool:
    return any(nfc(e) in nfc(passage_text) for e in evidence)


def natural_table(split: str) -> list[str]:
    questions = load_natural_questions(split=split)
    lines = ["| archive | passages | kind | questions | answered | related | not_found | "
             "answered with evidence in the top passage |", "|---|---|---|---|---|---|---|---|"]
    for size in SIZES:
        assistant = open_archive(size)
        counts: dict[str, Counter] = defaultdict(Counter)
        right = Counter()
        for question in tqdm([q for q in questions if applies(q, size)], desc=size, leave=False):
            answer = assistant.ask(question.question)
            counts[question.kind][answer.status] += 1
            if answer.answered and question.kind == "answerable":
                right[question.kind] += holds_evidence(answer.passages[0].text, question.evidence)
        for kind in KINDS:
            total = sum(counts[kind].values())
            if not total:
                continue
            shares = " | ".join(f"{counts[kind][status] / total:.3f}" for status in STATUSES)
            answered = counts[kind][ANSWERED]
            precision = f"{right[kind] / answered:.3f} ({right[kind]}/{answered})" if kind == "answerable" and answered \
                else "–"
            lines.append(f"| {size} | {len(assistant.snapshot.chunks)} | {kind} | {total} | {shares} | {precision} |")
    return lines


def foreign_table() -> list[str]:
    """Questions in English and French (benchmarks/data/foreign_questions.jsonl): never `answered`;
    `related` when the model matches passages that hold the evidence, else `not_found`."""
    rows = [json.loads(line) for line in FOREIGN.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = ["| archive | kind | questions | answered | related | not_found | related with the evidence in the top 3 |",
             "|---|---|---|---|---|---|---|"]
    for size in SIZES:
        assistant = open_archive(size)
        in_archive = archive_documents(size)
        for kind in ("answerable", "unrelated"):
            asked = [r for r in rows if r["kind"] == kind and (r["document"] is None or r["document"] in in_archive)]
            counts, right = Counter(), 0
            for row in asked:
                answer = assistant.ask(row["question"], k=3)
                counts[answer.status] += 1
                right += answer.status == RELATED and any(holds_evidence(p.text, row["evidence"])
                                                          for p in answer.passages)
            shares = " | ".join(f"{counts[status] / len(asked):.3f}" for status in STATUSES)
            evidence = f"{right}/{counts[RELATED]}" if kind == "answerable" else "–"
            lines.append(f"| {size} | {kind} | {len(asked)} | {shares} | {evidence} |")
    return lines


def xquad_table() -> list[str]:
    xquad = open_xquad_assistant()
    article = open_archive("article")
    article._query_vector = xquad._query_vector  # same model: share the question embeddings
    _paragraphs, questions = load_xquad()
    lines = ["| archive | questions | answered | related | not_found | answered with the gold passage on top |",
             "|---|---|---|---|---|---|"]
    for name, assistant in (("XQuAD, all 240 paragraphs", xquad), ("the bundled article alone", article)):
        counts, right = Counter(), 0
        for question in tqdm(questions, desc=name, leave=False):
            answer = assistant.ask(question.question)
            counts[answer.status] += 1
            if answer.answered:
                top = answer.passages[0]
                right += top.document_id == question.document_id and question.answer in nfc(top.text)
        total = len(questions)
        shares = " | ".join(f"{counts[status] / total:.3f}" for status in STATUSES)
        gold = f"{right / counts[ANSWERED]:.3f}" if counts[ANSWERED] and assistant is xquad else "–"
        lines.append(f"| {name} | {total} | {shares} | {gold} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "fit", "all"), default="test",
                        help="which natural questions (default: test, the half not used for fitting)")
    parser.add_argument("--no-xquad", action="store_true", help="skip the XQuAD checks")
    args = parser.parse_args()
    print(f"Natural questions ({args.split}); statuses as shares of each kind\n")
    print("\n".join(natural_table(args.split)), flush=True)
    print("\nQuestions in another language (benchmarks/data/foreign_questions.jsonl)\n")
    print("\n".join(foreign_table()), flush=True)
    if not args.no_xquad:
        if XQUAD.exists():
            print("\nXQuAD Vietnamese (1,190 questions)\n")
            print("\n".join(xquad_table()))
        else:
            print(f"\nXQuAD skipped: {XQUAD} not found")
    return 0


if __name__ == "__main__":
    assert (ANSWERED, RELATED, NOT_FOUND) == STATUSES
    sys.exit(main())
