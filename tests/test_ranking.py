"""Model-free ranking pieces: fusion, highlighting, diacritic restoration, abstention coverage."""

import pytest

from assistant.abstention import coverage, decide, sentence_coverage
from assistant.diacritics import DiacriticRestorer
from assistant.fusion import boost, fuse, reciprocal_rank_fusion, z_score_fusion
from assistant.highlight import best_sentence_spans, sentence_scores
from assistant.lexical import query_terms


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
    assert reciprocal_rank_fusion([dense, lexical])[0][0] in (7, 8)


def test_z_score_fusion_gives_missing_items_the_lowest_score_and_ignores_empty_lists():
    fused = dict(z_score_fusion([[(1, 0.9), (2, 0.5)], [(3, 5.0), (1, 4.0), (4, 1.0)]], [0.5, 0.5]))
    assert fused[1] > fused[2] and fused[1] > fused[3]
    assert z_score_fusion([[], [(4, 2.0), (5, 1.0)]], [0.5, 0.5])[0][0] == 4
    assert fuse("rrf", [(1, 0.9)], [(1, 3.0)], 0.5)[0][0] == 1


def test_highlight_picks_the_sentence_with_the_question_terms():
    text = ("Phường Tân Mỹ có nhiều kiến nghị. Chủ tịch UBND phường Tân Mỹ là đồng chí Nguyễn Thị Bé Ngoan. "
            "Các đơn vị vẫn còn phân tán.")
    weights = {term: 1.0 for term in query_terms("Ai là Chủ tịch UBND phường Tân Mỹ?")}
    spans = best_sentence_spans(weights, text)
    assert text[spans[0][0]:spans[0][1]].startswith("Chủ tịch UBND")
    assert len(sentence_scores(weights, text)) == 3


def test_highlight_weighs_down_terms_found_in_every_sentence():
    text = "Warsaw có sông. Warsaw có sở giao dịch chứng khoán mở lại năm 1991. Warsaw rất đông."
    weights = {term: 1.0 for term in query_terms("Sở giao dịch chứng khoán Warsaw mở lại khi nào?")}
    start, end = best_sentence_spans(weights, text)[0]
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


def test_coverage_ignores_question_words_and_uses_the_best_passage():
    weights = {term: 1.0 for term in query_terms("Dân số phường Phú Thuận là bao nhiêu người?") if "_" not in term}
    full = set(query_terms("dân số phường phú thuận là người"))
    partial = set(query_terms("phường phú thuận là"))
    assert coverage(weights, [partial, full]) == pytest.approx(1.0)
    assert coverage(weights, [partial]) < 0.7
    assert coverage({}, [full]) == 0.0


def test_boost_reorders_by_the_added_signal_only_as_far_as_its_weight_allows():
    ranked = [(1, 2.0), (2, 1.9), (3, 0.0)]
    signal = {1: 0.2, 2: 0.9, 3: 1.0}
    assert [item for item, _ in boost(ranked, signal, 0.5)] == [2, 1, 3]  # close scores: the signal decides
    assert [item for item, _ in boost(ranked, signal, 0.0)] == [1, 2, 3]
    assert boost([], {}, 0.5) == []
    flat = boost(ranked, {1: 0.5, 2: 0.5, 3: 0.5}, 1.0)  # no spread in the signal: no change
    assert flat == ranked


def test_sentence_coverage_prefers_one_sentence_saying_what_the_question_asks():
    weights = {term: 1.0 for term in query_terms("Ai là Chủ tịch UBND phường Tân Mỹ?")}
    together = "Trời mưa to. Bà Ngoan là Chủ tịch UBND phường Tân Mỹ."
    scattered = "Phường Tân Mỹ có trụ sở mới. Chủ tịch UBND thành phố đến thăm."
    assert sentence_coverage(weights, together) == pytest.approx(1.0)
    assert sentence_coverage(weights, scattered) < 0.7
    assert coverage(weights, [set(query_terms(scattered))]) == pytest.approx(1.0)  # the passage covers it all
    assert sentence_coverage({}, together) == 0.0


def test_decide_is_monotonic_in_every_signal():
    assert decide(0.95, 1.0, 1.0, False, "hybrid")
    assert not decide(0.5, 0.0, 0.0, False, "hybrid")
    assert decide(0.85, 0.9, 0.5, False, "hybrid") and not decide(0.85, 0.1, 0.5, False, "hybrid")
    assert decide(0.85, 0.6, 0.8, False, "hybrid") and not decide(0.85, 0.6, 0.1, False, "hybrid")
    assert decide(0.5, 1.0, 0.0, False, "lexical") and not decide(0.99, 0.0, 1.0, False, "lexical")
    assert decide(0.95, 0.0, 0.0, True, "hybrid") and not decide(0.5, 1.0, 1.0, True, "hybrid")
