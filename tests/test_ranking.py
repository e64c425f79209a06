"""Model-free ranking pieces: fusion, highlighting, diacritic restoration, matching."""

import pytest

from assistant.config import LexicalSettings
from assistant.search.fusion import boost, fuse, reciprocal_rank_fusion, z_score_fusion
from assistant.search.sentences import best_sentence_spans, sentence_scores
from assistant.text.diacritics import DiacriticRestorer
from assistant.text.terms import query_terms

SETTINGS = LexicalSettings()


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


def test_highlight_picks_the_sentence_with_the_question_terms():
    text = ("Phường Tân Mỹ có nhiều kiến nghị. Chủ tịch UBND phường Tân Mỹ là đồng chí Nguyễn Thị Bé Ngoan. "
            "Các đơn vị vẫn còn phân tán.")
    weights = {term: 1.0 for term in query_terms("Ai là Chủ tịch UBND phường Tân Mỹ?", SETTINGS)}
    spans = best_sentence_spans(weights, text, SETTINGS)
    assert text[spans[0][0]:spans[0][1]].startswith("Chủ tịch UBND")
    assert len(sentence_scores(weights, text, SETTINGS)) == 3


def test_highlight_weighs_down_terms_found_in_every_sentence():
    text = "Warsaw có sông. Warsaw có sở giao dịch chứng khoán mở lại năm 1991. Warsaw rất đông."
    weights = {term: 1.0 for term in query_terms("Sở giao dịch chứng khoán Warsaw mở lại khi nào?", SETTINGS)}
    start, end = best_sentence_spans(weights, text, SETTINGS)[0]
    assert "1991" in text[start:end]


def test_restorer_uses_corpus_vocabulary_and_context():
    restorer = DiacriticRestorer.from_texts([
        "Con đường mới ở phường Tân Mỹ. Đường phố sạch sẽ. Con dương trong sở thú.",
        "Chủ tịch UBND phường Tân Mỹ là đồng chí Nguyễn Thị Bé Ngoan.",
    ])
    assert restorer.restore("chu tich phuong tan my la ai") == "chủ tịch phường tân mỹ là ai"
    assert restorer.restore("Duong pho") == "Đường phố"
    assert restorer.restore("xyz abc") == "xyz abc"  # unknown words are kept
    assert restorer.restore("phường tan my") == "phường tân mỹ"  # accented words are left as typed
    assert DiacriticRestorer.from_dict(restorer.to_dict()).restore("duong pho") == "đường phố"


def test_boost_reorders_by_the_added_signal_only_as_far_as_its_weight_allows():
    ranked = [(1, 2.0), (2, 1.9), (3, 0.0)]
    signal = {1: 0.2, 2: 0.9, 3: 1.0}
    assert [item for item, _ in boost(ranked, signal, 0.5)] == [2, 1, 3]  # close scores: the signal decides
    assert [item for item, _ in boost(ranked, signal, 0.0)] == [1, 2, 3]
    assert boost([], {}, 0.5) == []
    flat = boost(ranked, {1: 0.5, 2: 0.5, 3: 0.5}, 1.0)  # no spread in the signal: no change
    assert flat == ranked
