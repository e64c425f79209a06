"""Calibrate the answer-or-abstain rule of `assistant/abstention.py` on XQuAD Vietnamese.

Answerable: each question against the full XQuAD index. Near miss: the same question with its gold
paragraph left out (the rest of its article stays: same topic, no answer). Unrelated: the question
against the bundled article's index. Prints each feature's distribution and the best
`cosine + w1 * coverage + w2 * sentence coverage >= t` rule (grid search) by balanced accuracy at
several operating points (the share of answerable questions that must stay answered), and how the
rule shipped in `assistant/abstention.py` does on the same questions. The chosen values are
written into `assistant/abstention.py` by hand, with the numbers, so the rule stays readable.

    python benchmarks/calibrate_abstention.py [--mode hybrid] [--every 2 [--offset 1]]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from tqdm import tqdm

from assistant import Assistant, abstention

from xquad import RESULTS, ROOT, XQUAD, load_xquad, open_xquad_assistant


def features(assistant: Assistant, questions, mode: str, exclude_gold: bool) -> np.ndarray:
    rows = []
    for q in tqdm(questions, desc="questions", leave=False):
        result = assistant.search(q.question, k=5, mode=mode,
                                  exclude_documents=[q.document_id] if exclude_gold else ())
        r = result.relevance
        rows.append((r.dense if r.dense is not None else 0.0, r.coverage, r.sentence_coverage, float(r.foreign)))
    return np.array(rows)


def describe(name: str, values: np.ndarray) -> str:
    q = np.percentile(values, [5, 25, 50, 75, 95])
    return f"{name:<24} " + " ".join(f"{v:6.3f}" for v in q)


def best_rule(groups: dict[str, np.ndarray], mode: str, min_recall: float):
    """Grid search: the rule with the best balanced accuracy that answers >= `min_recall`."""
    best = None
    weights = [(None, None)] if mode == "lexical" else [
        (w1, w2) for w1 in np.arange(0.0, 1.01, 0.05) for w2 in np.arange(0.0, 1.01, 0.05)]
    for coverage_weight, sentence_weight in weights:
        def signal(rows):
            if coverage_weight is None:
                return rows[:, 1]
            return rows[:, 0] + coverage_weight * rows[:, 1] + sentence_weight * rows[:, 2]
        signals = {name: signal(rows) for name, rows in groups.items()}
        for threshold in np.arange(0.0, 2.0, 0.005):
            recall = (signals["answerable"] >= threshold).mean()
            if recall < min_recall:
                continue
            near = 1 - (signals["near miss"] >= threshold).mean()
            unrelated = 1 - (signals["unrelated"] >= threshold).mean()
            score = (recall + (near + unrelated) / 2) / 2
            if best is None or score > best[0]:
                rule = (f"coverage >= {threshold:.3f}" if coverage_weight is None else
                        f"cosine + {coverage_weight:.2f} * coverage + {sentence_weight:.2f} * sentence coverage"
                        f" >= {threshold:.3f}")
                best = (score, rule, recall, near, unrelated)
    return best[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="hybrid", choices=("hybrid", "dense", "lexical"))
    parser.add_argument("--min-recall", type=float, nargs="+", default=[0.95, 0.97, 0.98, 0.99],
                        help="operating points: keep at least this share of answerable questions answered")
    parser.add_argument("--every", type=int, default=1, help="use every N-th question (quicker runs)")
    parser.add_argument("--offset", type=int, default=0, help="start at this question (--every 2 --offset 1: the odd ones)")
    args = parser.parse_args()
    if not XQUAD.exists():
        print(f"skipped: {XQUAD} not found")
        return 0
    xquad = open_xquad_assistant()
    article = Assistant.open(RESULTS / "article-index", documents=[ROOT / "documents"])
    # Same model, same questions: share the query-embedding cache instead of embedding all again.
    article._query_vector = xquad._query_vector
    _paragraphs, questions = load_xquad()
    questions = questions[args.offset:: args.every]
    groups = {
        "answerable": features(xquad, questions, args.mode, exclude_gold=False),
        "near miss": features(xquad, questions, args.mode, exclude_gold=True),
        "unrelated": features(article, questions, args.mode, exclude_gold=False),
    }
    print(f"mode {args.mode}; percentiles 5/25/50/75/95\n")
    for index, feature in enumerate(("cosine", "coverage", "sentence coverage")):
        for name, rows in groups.items():
            print(describe(f"{feature} {name}", rows[:, index]))
        print()
    print("| answered (answerable) at least | rule | answered | near miss abstained | unrelated abstained |")
    print("|---|---|---|---|---|")
    for min_recall in args.min_recall:
        rule, recall, near, unrelated = best_rule(groups, args.mode, min_recall)
        print(f"| {min_recall:.2f} | {rule} | {recall:.3f} | {near:.3f} | {unrelated:.3f} |")
    shipped = {name: np.array([abstention.decide(d, c, s, bool(f), args.mode) for d, c, s, f in rows])
               for name, rows in groups.items()}
    print(f"| shipped | the rule in assistant/abstention.py | {shipped['answerable'].mean():.3f} | "
          f"{1 - shipped['near miss'].mean():.3f} | {1 - shipped['unrelated'].mean():.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
