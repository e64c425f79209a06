"""Calibrate the answer-or-abstain rule of `assistant/abstention.py` on XQuAD Vietnamese.

Answerable: each question against the full XQuAD index. Near miss: the same question with its gold
paragraph left out (the rest of its article stays: same topic, no answer). Unrelated: the question
against the bundled article's index. Prints each feature's distribution and the best
`cosine + w * coverage >= t` rule (grid search) by balanced accuracy; the chosen values are then
written into `assistant/abstention.py` by hand, with the numbers, so the rule stays readable.

    python benchmarks/calibrate_abstention.py [--mode hybrid]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from assistant import Assistant

from xquad import RESULTS, ROOT, XQUAD, load_xquad, open_xquad_assistant


def features(assistant: Assistant, questions, mode: str, exclude_gold: bool) -> np.ndarray:
    rows = []
    for q in questions:
        result = assistant.search(q.question, k=5, mode=mode,
                                  exclude_documents=[q.document_id] if exclude_gold else ())
        r = result.relevance
        rows.append((r.dense if r.dense is not None else 0.0, r.coverage, float(r.foreign)))
    return np.array(rows)


def describe(name: str, values: np.ndarray) -> str:
    q = np.percentile(values, [5, 25, 50, 75, 95])
    return f"{name:<24} " + " ".join(f"{v:6.3f}" for v in q)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="hybrid", choices=("hybrid", "dense", "lexical"))
    parser.add_argument("--min-recall", type=float, default=0.97,
                        help="keep at least this share of answerable questions answered")
    args = parser.parse_args()
    if not XQUAD.exists():
        print(f"skipped: {XQUAD} not found")
        return 0
    xquad = open_xquad_assistant()
    article = Assistant.open(RESULTS / "article-index", documents=[ROOT / "documents"])
    _paragraphs, questions = load_xquad()
    groups = {
        "answerable": features(xquad, questions, args.mode, exclude_gold=False),
        "near miss": features(xquad, questions, args.mode, exclude_gold=True),
        "unrelated": features(article, questions, args.mode, exclude_gold=False),
    }
    print(f"mode {args.mode}; percentiles 5/25/50/75/95\n")
    for index, feature in enumerate(("cosine", "coverage")):
        for name, rows in groups.items():
            print(describe(f"{feature} {name}", rows[:, index]))
        print()
    positive = groups["answerable"]
    best = None
    for weight in np.arange(0.0, 1.01, 0.05):
        for threshold in np.arange(0.5, 1.6, 0.005):
            def accepted(rows):
                if args.mode == "lexical":
                    return rows[:, 1] >= threshold - 0.5
                return rows[:, 0] + weight * rows[:, 1] >= threshold
            recall = accepted(positive).mean()
            if recall < args.min_recall:
                continue
            near, unrelated = 1 - accepted(groups["near miss"]).mean(), 1 - accepted(groups["unrelated"]).mean()
            score = (recall + (near + unrelated) / 2) / 2
            if best is None or score > best[0]:
                best = (score, weight, threshold, recall, near, unrelated)
    score, weight, threshold, recall, near, unrelated = best
    print(f"best rule: cosine + {weight:.2f} * coverage >= {threshold:.3f}  (lexical: coverage >= {threshold - 0.5:.3f})")
    print(f"answered (answerable) {recall:.3f}; abstained: near miss {near:.3f}, unrelated {unrelated:.3f}; "
          f"balanced accuracy {score:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
