"""Fit the answer confidence (`assistant/data/confidence.json`): two logistic models per retrieval
family, whether the archive is about a question (`topic`) and whether the top passage answers it
(`answer`), and the thresholds that turn them into `answered` / `related` / `not_found`.

    python benchmarks/fit_confidence.py              # measure the signals, fit, write the file, report
    python benchmarks/fit_confidence.py --reuse      # refit from the signals measured last time

Training rows, with the signals `assistant/confidence.py` measures (`Relevance.features`):
- the `fit` half of the natural questions (benchmarks/data/) at three archive sizes (the bundled
  article alone, with 30 and with 300 news articles): answerable, same-topic and unrelated;
- the even-numbered XQuAD Vietnamese questions: with all 240 paragraphs indexed (answerable),
  without their gold paragraph (near miss: same article, no answer), and against one of the three
  news archives in turn (unrelated), weighted `XQUAD_WEIGHT` so they add to the natural questions
  without outweighing them (XQuAD questions copy their paragraph's words; real ones do not).

Labels: `topic` is 1 for answerable and same-topic questions, 0 for unrelated ones; `answer` is 1
when the question is answerable and the top passage holds its evidence. Operating points, chosen
on the training rows only: the `topic` threshold is the highest that leaves at most
`MAX_NOT_FOUND` of answerable questions (natural and XQuAD) `not_found`; the `answer` threshold
the lowest at which the natural answerable questions it answers hold their evidence in the top
passage in at least `MIN_PRECISION` of cases and at most `MAX_SAME_TOPIC_ANSWERED` of the natural
same-topic questions are answered. The `test` half is reported by `benchmarks/eval_answers.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from archives import SIZES, applies, load_natural_questions, open_archive
from tqdm import tqdm
from xquad import RESULTS, XQUAD, load_xquad, open_xquad_assistant

from assistant.search.confidence import FEATURES, MODEL_FILE
from assistant.text.normalize import nfc

SIGNALS = RESULTS / "confidence-signals.jsonl"
FAMILIES = {"dense": "hybrid", "lexical": "lexical"}  # family -> the retrieval mode it is fitted on
# Whether the archive is about the question reads how much of it the passages say; whether the top
# passage answers reads everything (answer type, margin over the second passage, focus words too).
TOPIC_FEATURES = ("dense", "coverage", "words", "pairs", "passages")
XQUAD_WEIGHT = 0.2
MAX_NOT_FOUND = 0.01
MIN_PRECISION = 0.95
MAX_SAME_TOPIC_ANSWERED = 0.4
# The cosine alone, for questions in another language (never `answered`): measured with
# benchmarks/data/foreign_questions.jsonl by this script.
FOREIGN = Path(__file__).resolve().parent / "data" / "foreign_questions.jsonl"


def measure(assistant, question: str, mode: str, evidence, exclude=(), gold: str | None = None) -> dict:
    """The signals of one question in one mode, and whether the top passage holds the evidence."""
    result = assistant.search(question, k=5, mode=mode, exclude_documents=exclude)
    row = {"features": None, "holds": False, "foreign": result.relevance.foreign}
    if result.passages:
        row["features"] = result.relevance.features
        top = result.passages[0]
        row["holds"] = any(nfc(e) in nfc(top.text) for e in evidence) and gold in (None, top.document_id)
    return row


def collect() -> list[dict]:
    """Measure every training and test question in both families (slow: a few minutes)."""
    rows = []
    questions = load_natural_questions()
    for size in SIZES:
        assistant = open_archive(size)
        for q in tqdm([q for q in questions if applies(q, size)], desc=size):
            for family, mode in FAMILIES.items():
                rows.append({"source": "natural", "size": size, "kind": q.kind, "split": q.split, "family": family,
                             "id": q.id, **measure(assistant, q.question, mode, q.evidence)})
    if XQUAD.exists():
        xquad = open_xquad_assistant()
        archives = {size: open_archive(size) for size in SIZES}
        for archive in archives.values():
            archive._query_vector = xquad._query_vector  # same model: share the question embeddings
        _paragraphs, xquad_questions = load_xquad()
        for number, q in enumerate(tqdm(xquad_questions, desc="XQuAD")):
            split = "fit" if number % 2 == 0 else "test"
            # Unrelated: asked of one of the three news archives in turn (Wikipedia topics; news
            # archives of every size, so the archive's size says nothing about the label).
            size = SIZES[number // 2 % len(SIZES)]
            for kind, assistant, exclude in (("answerable", xquad, ()), ("same_topic", xquad, (q.document_id,)),
                                             ("unrelated", archives[size], ())):
                for family, mode in FAMILIES.items():
                    evidence = [q.answer] if kind == "answerable" else []
                    rows.append({"source": "xquad", "size": "xquad" if assistant is xquad else size,
                                 "kind": kind, "split": split, "family": family, "id": q.id,
                                 **measure(assistant, q.question, mode, evidence, exclude, q.document_id)})
    if FOREIGN.exists():
        for size in SIZES:
            assistant = open_archive(size)
            for line in FOREIGN.read_text(encoding="utf-8").splitlines():
                q = json.loads(line)
                if q.get("document") is None or size != "article" or q["document"].startswith("000_"):
                    rows.append({"source": "foreign", "size": size, "kind": q["kind"], "split": "fit",
                                 "family": "dense", "id": q["id"],
                                 **measure(assistant, q["question"], "hybrid", q.get("evidence", []))})
    return rows


def fit_family(rows: list[dict], family: str, split: str = "fit") -> dict:
    """Fit both models of one family on one half of the questions and choose their thresholds."""
    train = [r for r in rows if r["family"] == family and r["split"] == split and r["features"] is not None
             and r["source"] != "foreign" and not r["foreign"]]
    weight = np.array([XQUAD_WEIGHT if r["source"] == "xquad" else 1.0 for r in train])
    topic_y = np.array([r["kind"] != "unrelated" for r in train])
    topic = _Logistic([n for n in TOPIC_FEATURES if family == "dense" or n != "dense"], train, topic_y, weight)
    on_topic = topic_y.astype(bool)
    answer_y = np.array([r["kind"] == "answerable" and r["holds"] for r in train])
    answer = _Logistic([n for n in FEATURES if family == "dense" or n != "dense"],
                       [r for r, keep in zip(train, on_topic) if keep], answer_y[on_topic], weight[on_topic])

    topic_p = topic.probability(train)
    answerable = np.array([r["kind"] == "answerable" for r in train])
    natural = np.array([r["source"] == "natural" for r in train])
    # Highest threshold leaving at most MAX_NOT_FOUND of answerable questions not found, in each source.
    topic_threshold = min(np.quantile(topic_p[answerable & natural], MAX_NOT_FOUND),
                          np.quantile(topic_p[answerable & ~natural], MAX_NOT_FOUND))
    answer_p = answer.probability(train)
    found = topic_p >= topic_threshold
    same_topic = np.array([r["kind"] == "same_topic" for r in train]) & natural
    answer_threshold = 1.0
    for threshold in np.arange(0.99, 0.0, -0.01):
        answered = found & (answer_p >= threshold)
        right = answer_y[answered & answerable & natural]
        if (right.size and right.mean() < MIN_PRECISION) or answered[same_topic].mean() > MAX_SAME_TOPIC_ANSWERED:
            break
        answer_threshold = float(threshold)

    return {"topic": topic.to_dict(topic_threshold), "answer": answer.to_dict(answer_threshold)}


class _Logistic:
    """A logistic regression on some of the signals, fitted on standardised values (the cosine
    spans 0.1, the coverages 1) and stored in raw units, as `assistant/confidence.py` reads it."""

    def __init__(self, names: list[str], rows: list[dict], labels: np.ndarray, weight: np.ndarray):
        from sklearn.linear_model import LogisticRegression

        self.names = names
        x = self._matrix(rows)
        self.mean, self.scale = x.mean(axis=0), x.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        self.model = LogisticRegression(max_iter=5000).fit((x - self.mean) / self.scale, labels, sample_weight=weight)

    def _matrix(self, rows: list[dict]) -> np.ndarray:
        return np.array([[r["features"][name] for name in self.names] for r in rows])

    def probability(self, rows: list[dict]) -> np.ndarray:
        return self.model.predict_proba((self._matrix(rows) - self.mean) / self.scale)[:, 1]

    def to_dict(self, threshold: float) -> dict:
        weights = self.model.coef_[0] / self.scale
        bias = self.model.intercept_[0] - float((weights * self.mean).sum())
        return {"weights": {name: round(float(w), 4) for name, w in zip(self.names, weights)},
                "bias": round(float(bias), 4), "threshold": round(float(threshold), 4)}


def status(models: dict, features: dict) -> str:
    """The status `assistant/confidence.py` would give, from fitted models in their JSON form."""
    def probability(model: dict) -> float:
        logit = model["bias"] + sum(w * features[name] for name, w in model["weights"].items())
        return 1 / (1 + np.exp(-logit))

    if probability(models["topic"]) < models["topic"]["threshold"]:
        return "not_found"
    return "answered" if probability(models["answer"]) >= models["answer"]["threshold"] else "related"


def report(rows: list[dict], models: dict, split: str) -> list[str]:
    """Statuses of the natural questions of one half, per archive size and kind (hybrid mode)."""
    lines = ["| archive | kind | questions | answered | related | not_found | answered with evidence on top |",
             "|---|---|---|---|---|---|---|"]
    for size in SIZES:
        for kind in ("answerable", "same_topic", "unrelated"):
            chosen = [r for r in rows if r["source"] == "natural" and r["family"] == "dense" and r["split"] == split
                      and r["size"] == size and r["kind"] == kind]
            statuses = [status(models, r["features"]) if r["features"] else "not_found" for r in chosen]
            shares = " | ".join(f"{statuses.count(s) / len(chosen):.3f}" for s in ("answered", "related", "not_found"))
            answered = [r["holds"] for r, s in zip(chosen, statuses) if s == "answered"]
            right = f"{sum(answered) / len(answered):.3f}" if kind == "answerable" and answered else "–"
            lines.append(f"| {size} | {kind} | {len(chosen)} | {shares} | {right} |")
    return lines


def foreign_cosine(rows: list[dict]) -> float:
    """The cosine above which a question in another language gets `related`: halfway between the
    95th percentile of unrelated foreign questions and the median of answerable ones."""
    foreign = [r for r in rows if r["source"] == "foreign" and r["features"] is not None]
    unrelated = [r["features"]["dense"] for r in foreign if r["kind"] == "unrelated"]
    answerable = [r["features"]["dense"] for r in foreign if r["kind"] == "answerable"]
    if not unrelated or not answerable:
        return 0.84
    return round(float((np.quantile(unrelated, 0.95) + np.median(answerable)) / 2), 4)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help=f"refit from {SIGNALS.name} instead of measuring")
    parser.add_argument("--output", type=Path, default=MODEL_FILE)
    args = parser.parse_args()
    if args.reuse:
        rows = [json.loads(line) for line in SIGNALS.read_text(encoding="utf-8").splitlines()]
    else:
        rows = collect()
        SIGNALS.parent.mkdir(parents=True, exist_ok=True)
        SIGNALS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    fitted = {family: fit_family(rows, family) for family in FAMILIES}
    fitted["foreign_topic_cosine"] = foreign_cosine(rows)
    fitted["fitted"] = {"by": "python benchmarks/fit_confidence.py", "on": time.strftime("%Y-%m-%d"),
                        "rows": sum(r["split"] == "fit" for r in rows), "xquad_weight": XQUAD_WEIGHT,
                        "max_not_found": MAX_NOT_FOUND, "min_precision": MIN_PRECISION,
                        "max_same_topic_answered": MAX_SAME_TOPIC_ANSWERED}
    args.output.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.output}\n")
    print("Fitted on the fit half, the test half (the shipped model; eval_answers.py measures it end to end):\n")
    print("\n".join(report(rows, fitted["dense"], "test")))
    print("\nThe other way round, fitted on the test half, the fit half (how much the halves differ):\n")
    print("\n".join(report(rows, fit_family(rows, "dense", "test"), "fit")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
