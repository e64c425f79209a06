"""What a person sees: shares of `answered`, `related` and `not_found` per kind of question at three archive sizes.

    python -m benchmarks answers                  # held-out natural questions + foreign + XQuAD checks
    python -m benchmarks answers --split all      # every natural question (fit and test): answers-all.json
    python -m benchmarks answers --no-xquad       # natural and foreign questions only (quicker)

Natural questions (`benchmarks/data/natural_questions.jsonl`): answerable ones with their
evidence, same-topic ones the archive does not answer, and unrelated ones. A question about an
article is asked of the archives that hold it. The confidence model was fitted on the `fit` half
(`python -m tools.fit_confidence`); the default report is on the `test` half. For answered
answerable questions, whether the top passage holds the evidence.

Questions in another language (`benchmarks/data/foreign_questions.jsonl`): never `answered`;
`related` when the model matches passages, and then whether the top 3 hold the evidence.

XQuAD Vietnamese: every question against all 240 paragraphs (`not_found` should be rare), and
against the bundled article alone (unrelated: `not_found` should be the rule).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from tqdm import tqdm

from assistant.results import RELATED, STATUSES
from assistant.text.normalize import nfc

from .common.archives import (
    SIZES,
    add_settings_options,
    applies,
    apply_settings_options,
    archive_documents,
    open_archive,
    open_xquad_assistant,
    settings_variant,
)
from .common.datasets import (
    NEWS,
    XQUAD,
    holds_evidence,
    load_foreign_questions,
    load_natural_questions,
    load_xquad,
    require,
)

KINDS = ("answerable", "same_topic", "unrelated")


def add_options(parser) -> None:
    parser.add_argument("--split", choices=("test", "fit", "all"), default="test",
                        help="which natural questions (default: test, the half not used for fitting)")
    parser.add_argument("--no-xquad", action="store_true", help="skip the XQuAD checks")
    add_settings_options(parser)


def variant(options) -> str | None:
    parts = settings_variant() + ([options.split] if options.split != "test" else [])
    return "-".join(parts + (["no-xquad"] if options.no_xquad else [])) or None


def status_counts(counter: Counter) -> dict[str, int]:
    return {status: counter[status] for status in STATUSES}


def natural_rows(archives: dict, split: str) -> list[dict]:
    """Per archive and kind: the statuses, and for answerable ones how many answers hold the evidence on top."""
    questions = load_natural_questions(split=split)
    rows = []
    for size, assistant in archives.items():
        counts: dict[str, Counter] = defaultdict(Counter)
        right = Counter()
        for question in tqdm([q for q in questions if applies(q, size)], desc=size, leave=False):
            answer = assistant.ask(question.question)
            counts[question.kind][answer.status] += 1
            if answer.answered and question.kind == "answerable":
                right[question.kind] += holds_evidence(answer.passages[0].text, question.evidence)
        for kind in KINDS:
            total = sum(counts[kind].values())
            if total:
                rows.append({"archive": size, "passages": len(assistant.snapshot.chunks), "kind": kind,
                             "questions": total, "statuses": status_counts(counts[kind]),
                             "evidence_on_top": right[kind] if kind == "answerable" else None})
    return rows


def foreign_rows(archives: dict) -> list[dict]:
    """Questions in English and French: statuses, and how many `related` ones show the evidence in the top 3."""
    questions = load_foreign_questions()
    rows = []
    for size, assistant in archives.items():
        in_archive = archive_documents(size)
        for kind in ("answerable", "unrelated"):
            asked = [q for q in questions if q["kind"] == kind and (q["document"] is None or q["document"] in in_archive)]
            counts, right = Counter(), 0
            for question in asked:
                answer = assistant.ask(question["question"], k=3)
                counts[answer.status] += 1
                right += answer.status == RELATED and any(holds_evidence(p.text, question["evidence"])
                                                          for p in answer.passages)
            rows.append({"archive": size, "kind": kind, "questions": len(asked), "statuses": status_counts(counts),
                         "related_with_evidence": right if kind == "answerable" else None})
    return rows


def xquad_rows(settings, article) -> list[dict]:
    """Every XQuAD question against all its paragraphs, and against the bundled article alone."""
    xquad = open_xquad_assistant(settings, embedder=article.embedder)
    _paragraphs, questions = load_xquad()
    rows = []
    for name, assistant in (("XQuAD, all 240 paragraphs", xquad), ("the bundled article alone", article)):
        counts, right = Counter(), 0
        for question in tqdm(questions, desc=name, leave=False):
            answer = assistant.ask(question.question)
            counts[answer.status] += 1
            if answer.answered:
                top = answer.passages[0]
                right += top.document_id == question.document_id and question.answer in nfc(top.text)
        rows.append({"archive": name, "questions": len(questions), "statuses": status_counts(counts),
                     "gold_on_top": right if assistant is xquad else None})
    return rows


def run(options) -> dict:
    require(NEWS)
    settings = apply_settings_options(options)
    archives = {}
    for size in SIZES:  # one model for all three archives
        embedder = next(iter(archives.values())).embedder if archives else None
        archives[size] = open_archive(size, settings, embedder=embedder)
    results = {"split": options.split, "model": archives["article"].embedder.model_id,
               "precision": archives["article"].embedder.precision, "store": settings.store,
               "natural": natural_rows(archives, options.split), "foreign": foreign_rows(archives)}
    if not options.no_xquad:
        require(XQUAD)
        results["xquad"] = xquad_rows(settings, archives["article"])
    return results
