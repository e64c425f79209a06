"""Reading the passage: short answers, near misses, follow-ups, and the same answer typed without diacritics.

    python -m benchmarks reading                 # the test half of every file (not used for fitting)
    python -m benchmarks reading --split all     # both halves: reading-all.json

On the three news archives of `python -m benchmarks answers` (the bundled article alone, with 30
and with 300 news articles), with the data of `benchmarks/data/` (see its README):

- factoid questions with gold short answers: statuses; for answered ones, whether the top passage
  holds the evidence and whether a short answer is given; the short answer's exact match and token
  F1 against the gold one and its alternatives, over the answered questions whose top passage holds
  the evidence and over all questions (a missing short answer, or a question not answered, scores 0);
- near misses, same-topic questions whose article does not give the detail asked: how many are
  answered (they should not be);
- conversations of 3-4 turns, each turn asked with the earlier questions and their answers as
  history: follow-ups answered with the evidence on top, and with it on top whatever the status;
- every factoid and near-miss question typed again without diacritics: the same status (and the
  same short answer) as with them;
- xquad_near_miss.jsonl, against all 240 XQuAD paragraphs: answerable questions answered from their
  own paragraph, unanswerable ones answered, and the short answers' F1.
"""

from __future__ import annotations

import re
from collections import Counter

from tqdm import tqdm

from assistant.results import STATUSES
from assistant.text.normalize import nfc, strip_diacritics

from .common.archives import SIZES, archive_documents, open_archive, open_xquad_assistant
from .common.datasets import (
    CONVERSATIONS,
    FACTOID_QUESTIONS,
    NEAR_MISS_QUESTIONS,
    NEWS,
    XQUAD,
    XQUAD_NEAR_MISS,
    holds_evidence,
    load_rows,
    load_xquad,
    require,
    xquad_near_miss_paragraph,
    xquad_paragraph_ids,
)

K = 5


def add_options(parser) -> None:
    parser.add_argument("--split", choices=("test", "fit", "all"), default="test",
                        help="which half of each file (default: test, the half not used for fitting)")
    parser.add_argument("--no-xquad", action="store_true", help="skip the XQuAD near misses")


def variant(options) -> str | None:
    parts = ([options.split] if options.split != "test" else []) + (["no-xquad"] if options.no_xquad else [])
    return "-".join(parts) or None


def words(text: str | None) -> list[str]:
    return re.findall(r"\w+", nfc(text or "").lower())


def token_f1(predicted: str | None, gold: str) -> float:
    """SQuAD's token F1 on lower-cased words (0 for no prediction)."""
    p, g = words(predicted), words(gold)
    same = sum((Counter(p) & Counter(g)).values())
    if not same:
        return 0.0
    precision, recall = same / len(p), same / len(g)
    return 2 * precision * recall / (precision + recall)


def short_scores(predicted: str | None, golds: list[str]) -> tuple[bool, float]:
    """Exact match (same words) and the best F1 against any of the gold answers."""
    return (predicted is not None and any(words(predicted) == words(g) for g in golds),
            max(token_f1(predicted, g) for g in golds))


def top_holds(answer, evidence) -> bool:
    return bool(answer.passages) and holds_evidence(answer.passages[0].text, evidence)


def factoid_row(assistant, size: str, questions: list[dict]) -> dict:
    statuses, on_top, given, exact, f1_top, f1_all, same = Counter(), 0, 0, 0, 0.0, 0.0, 0
    for question in tqdm(questions, desc=f"factoid {size}", leave=False):
        answer = assistant.ask(question["question"], k=K)
        plain = assistant.ask(strip_diacritics(question["question"]), k=K)
        statuses[answer.status] += 1
        same += plain.status == answer.status and plain.short_answer == answer.short_answer
        if not answer.answered:
            continue
        given += answer.short_answer is not None
        match, f1 = short_scores(answer.short_answer, [question["short_answer"], *question.get("alternatives", [])])
        f1_all += f1
        if top_holds(answer, question["evidence"]):
            on_top += 1
            exact += match
            f1_top += f1
    return {"archive": size, "questions": len(questions), "statuses": dict(statuses), "evidence_on_top": on_top,
            "short_given": given, "exact_on_top": exact, "f1_on_top": round(f1_top, 3), "f1_all": round(f1_all, 3),
            "same_without_diacritics": same}


def near_miss_row(assistant, size: str, questions: list[dict]) -> dict:
    statuses, same = Counter(), 0
    for question in tqdm(questions, desc=f"near misses {size}", leave=False):
        answer = assistant.ask(question["question"], k=K)
        plain = assistant.ask(strip_diacritics(question["question"]), k=K)
        statuses[answer.status] += 1
        same += plain.status == answer.status
    return {"archive": size, "questions": len(questions), "statuses": dict(statuses),
            "same_without_diacritics": same}


def conversation_row(assistant, size: str, conversations: list[dict]) -> dict:
    """Follow-up turns (every turn after the first): answerable ones answered with the evidence on
    top, and on top whatever the status; the others answered."""
    follow_ups, answered_on_top, on_top, others, others_answered = 0, 0, 0, 0, 0
    for conversation in tqdm(conversations, desc=f"conversations {size}", leave=False):
        history = []
        for number, turn in enumerate(conversation["turns"]):
            answer = assistant.ask(turn["question"], history=history or None, k=K)
            history.append(answer)
            if number == 0:
                continue
            if turn["kind"] == "answerable":
                follow_ups += 1
                right = top_holds(answer, turn["evidence"])
                on_top += right
                answered_on_top += right and answer.answered
            else:
                others += 1
                others_answered += answer.answered
    return {"archive": size, "conversations": len(conversations), "follow_ups": follow_ups,
            "answered_on_top": answered_on_top, "on_top": on_top, "unanswerable_follow_ups": others,
            "unanswerable_answered": others_answered}


def xquad_near_miss_rows(split: str, embedder) -> dict:
    assistant = open_xquad_assistant(embedder=embedder)
    ids = xquad_paragraph_ids(load_xquad()[0])
    counts = Counter()
    f1 = 0.0
    for row in tqdm(load_rows(XQUAD_NEAR_MISS, split), desc="XQuAD near misses", leave=False):
        answer = assistant.ask(row["question"], k=K)
        kind = "answerable" if row["kind"] == "answerable" else "unanswerable"
        counts[kind] += 1
        counts[f"{kind}_answered"] += answer.answered
        if kind == "answerable" and answer.answered and answer.passages[0].document_id == xquad_near_miss_paragraph(
                row, ids):
            counts["answerable_answered_right"] += 1
            f1 += short_scores(answer.short_answer, [row["short_answer"]])[1]
    return {**counts, "f1_answered_right": round(f1, 3)}


def run(options) -> dict:
    require(NEWS)
    factoids, near_misses = load_rows(FACTOID_QUESTIONS, options.split), load_rows(NEAR_MISS_QUESTIONS, options.split)
    conversations = load_rows(CONVERSATIONS, options.split)
    results = {"split": options.split, "factoid": [], "near_miss": [], "conversations": []}
    embedder = None
    for size in SIZES:
        assistant = open_archive(size, embedder=embedder)
        embedder = assistant.embedder  # one model for all three archives
        in_archive = archive_documents(size)
        results["factoid"].append(factoid_row(assistant, size, [q for q in factoids if q["document"] in in_archive]))
        results["near_miss"].append(near_miss_row(assistant, size,
                                                  [q for q in near_misses if q["document"] in in_archive]))
        results["conversations"].append(conversation_row(
            assistant, size, [c for c in conversations
                              if all(t["document"] is None or t["document"] in in_archive for t in c["turns"])]))
    results["model"], results["precision"] = embedder.model_id, embedder.precision
    if not options.no_xquad:
        require(XQUAD)
        results["xquad_near_miss"] = xquad_near_miss_rows(options.split, embedder)
    results["statuses"] = list(STATUSES)
    return results
