"""Fusion: combine ranked lists from dense and lexical search (model-free, arrays in, ranks out).

Measured on XQuAD Vietnamese (595 questions, 1,500-character passages, candidates 50 per side):
z-score fusion with equal weights reached Recall@1 0.956 (0.950 without diacritics), against 0.946
for the best weighted RRF and 0.936 / 0.886 for lexical / dense alone; see README.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[tuple[int, float]]], k: int = RRF_K,
                           weights: Sequence[float] | None = None) -> list[tuple[int, float]]:
    """Reciprocal-rank fusion: each list adds `weight / (k + rank)` to the items it ranks.

    Args:
        rankings: lists of `(item, score)` pairs, each best first.
        k: the RRF damping constant (60 in Cormack et al., 2009).
        weights: one weight per list (default 1 each).

    Returns:
        `(item, fused score)` pairs, best first; ties keep the first list's order.
    """
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights):
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda pair: -pair[1])


def z_score_fusion(rankings: Sequence[Sequence[tuple[int, float]]],
                   weights: Sequence[float]) -> list[tuple[int, float]]:
    """Weighted sum of z-scores: each list's scores are standardised (mean 0, deviation 1) over
    the candidates it returned, so a cosine and a BM25 score become comparable; an item a list did
    not return gets that list's lowest z-score.

    Args:
        rankings: lists of `(item, score)` pairs, each best first (empty lists are ignored).
        weights: one weight per list.

    Returns:
        `(item, fused score)` pairs, best first.
    """
    standardised = []
    for ranking, weight in zip(rankings, weights):
        if not ranking:
            continue
        scores = np.array([score for _item, score in ranking], dtype=np.float64)
        mean, deviation = float(scores.mean()), float(scores.std()) or 1.0
        z = {item: (score - mean) / deviation for item, score in ranking}
        standardised.append((z, min(z.values()), weight))
    items = {item for z, _floor, _weight in standardised for item in z}
    fused = {item: float(sum(weight * z.get(item, floor) for z, floor, weight in standardised)) for item in items}
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))


def fuse(method: str, dense: Sequence[tuple[int, float]], lexical: Sequence[tuple[int, float]],
         dense_weight: float) -> list[tuple[int, float]]:
    """Combine dense and lexical hits with `method` (`zscore` or `rrf`)."""
    weights = [dense_weight, 1.0 - dense_weight]
    if method == "rrf":
        return reciprocal_rank_fusion([dense, lexical], weights=weights)
    return z_score_fusion([dense, lexical], weights)


def boost(ranked: Sequence[tuple[int, float]], signal: Mapping[int, float], weight: float) -> list[tuple[int, float]]:
    """Add `weight` times the z-score of `signal` (standardised over the items of `ranked`) to
    each item's score, and re-rank.

    Args:
        ranked: `(item, score)` pairs; every item must have a value in `signal`.
        signal: a further piece of evidence per item.
        weight: its weight, in units of the scores' own scale (z-scores for `z_score_fusion`).
    """
    if not ranked:
        return []
    values = np.array([signal[item] for item, _score in ranked], dtype=np.float64)
    z = (values - values.mean()) / (values.std() or 1.0)
    boosted = [(item, float(score + weight * bonus)) for (item, score), bonus in zip(ranked, z)]
    return sorted(boosted, key=lambda pair: (-pair[1], pair[0]))
