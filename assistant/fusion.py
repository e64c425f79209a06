"""Fusion: combine ranked lists from dense and lexical search (model-free, arrays in, ranks out)."""

from __future__ import annotations

from collections.abc import Sequence

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


def normalised_score_fusion(rankings: Sequence[Sequence[tuple[int, float]]],
                            weights: Sequence[float]) -> list[tuple[int, float]]:
    """Weighted sum of min-max normalised scores (an item missing from a list scores 0 there).

    Returns:
        `(item, fused score in [0, 1])` pairs, best first.
    """
    fused: dict[int, float] = {}
    total = sum(weights) or 1.0
    for ranking, weight in zip(rankings, weights):
        if not ranking:
            continue
        scores = [score for _item, score in ranking]
        low, high = min(scores), max(scores)
        span = high - low
        for item, score in ranking:
            value = (score - low) / span if span > 0 else 1.0
            fused[item] = fused.get(item, 0.0) + weight * value / total
    return sorted(fused.items(), key=lambda pair: -pair[1])
