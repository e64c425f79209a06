"""Rank fusion (`search/fusion.py`): reciprocal rank and z-score fusion of the dense and lexical
lists, and the boost by an added signal (model-free: `(item, score)` lists in, one list out)."""

import pytest

from assistant.search.fusion import boost, fuse, reciprocal_rank_fusion, z_score_fusion


def test_rrf_rewards_items_ranked_well_by_both_lists():
    dense = [(1, 0.9), (2, 0.8), (3, 0.7)]
    lexical = [(2, 12.0), (3, 9.0), (4, 1.0)]
    fused = reciprocal_rank_fusion([dense, lexical])
    assert fused[0][0] == 2
    assert {item for item, _ in fused} == {1, 2, 3, 4}


def test_z_score_fusion_follows_score_gaps_not_just_ranks():
    # lexical is very sure about item 7; dense barely prefers item 8
    dense = [(8, 0.86), (7, 0.85), (9, 0.80), (10, 0.79)]
    lexical = [(7, 20.0), (8, 3.0), (9, 2.5), (10, 2.0)]
    assert z_score_fusion([dense, lexical], [0.5, 0.5])[0][0] == 7
    # RRF sees only ranks: 7 and 8 are first and second once each, a tie kept in the first list's order.
    (first, first_score), (second, second_score), *_ = reciprocal_rank_fusion([dense, lexical])
    assert (first, second) == (8, 7) and first_score == pytest.approx(second_score)


def test_z_score_fusion_gives_missing_items_the_lowest_score_and_ignores_empty_lists():
    fused = dict(z_score_fusion([[(1, 0.9), (2, 0.5)], [(3, 5.0), (1, 4.0), (4, 1.0)]], [0.5, 0.5]))
    assert fused[1] > fused[2] and fused[1] > fused[3]
    assert z_score_fusion([[], [(4, 2.0), (5, 1.0)]], [0.5, 0.5])[0][0] == 4
    assert fuse("rrf", [(1, 0.9)], [(1, 3.0)], 0.5)[0][0] == 1


def test_boost_reorders_by_the_added_signal_only_as_far_as_its_weight_allows():
    ranked = [(1, 2.0), (2, 1.9), (3, 0.0)]
    signal = {1: 0.2, 2: 0.9, 3: 1.0}
    assert [item for item, _ in boost(ranked, signal, 0.5)] == [2, 1, 3]  # close scores: the signal decides
    assert [item for item, _ in boost(ranked, signal, 0.0)] == [1, 2, 3]
    assert boost([], {}, 0.5) == []
    flat = boost(ranked, {1: 0.5, 2: 0.5, 3: 0.5}, 1.0)  # no spread in the signal: no change
    assert flat == ranked
