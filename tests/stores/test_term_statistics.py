"""BM25 as sparse vectors (`term_statistics.py`): the inner products are bm25s's scores."""

import numpy as np
import pytest

from assistant.config import LexicalSettings
from assistant.search.lexical import LexicalIndex
from assistant.stores.term_statistics import TermStatistics, term_id
from assistant.text.terms import query_terms

TEXTS = ["Giá xăng dầu tăng mạnh từ chiều nay.", "Giá vàng SJC giảm nhẹ trong phiên sáng.",
         "Mưa lớn gây ngập nhiều tuyến đường ở TP.HCM.", "Xăng RON 95 tăng 500 đồng mỗi lít.",
         "Đường Nguyễn Hữu Cảnh lại ngập sau cơn mưa lớn chiều qua, xe cộ chết máy hàng loạt."]
QUESTIONS = ["giá xăng tăng bao nhiêu", "Mưa lớn ngập đường nào?", "gia vang sjc", "bóng đá"]
SETTINGS = LexicalSettings()


def inner_products(statistics: TermStatistics, texts, question) -> np.ndarray:
    query = statistics.query_vector(query_terms(question, SETTINGS))
    vectors = [statistics.passage_vector(text, SETTINGS) for text in texts]
    return np.array([sum(weight * vector.get(key, 0.0) for key, weight in query.items()) for vector in vectors])


@pytest.mark.parametrize("question", QUESTIONS)
def test_inner_products_are_the_local_bm25_scores(question):
    local = LexicalIndex.build(TEXTS, SETTINGS)
    assert inner_products(TermStatistics.of(TEXTS, SETTINGS), TEXTS, question) == pytest.approx(
        local.scores(question), rel=1e-5, abs=1e-6)


def test_updating_by_difference_equals_counting_afresh():
    statistics = TermStatistics.of(TEXTS[:3], SETTINGS).updated(TEXTS[3:], TEXTS[:1], SETTINGS)
    fresh = TermStatistics.of(TEXTS[1:], SETTINGS)
    assert (statistics.passages, statistics.terms) == (fresh.passages, fresh.terms) == (4, fresh.terms)
    assert statistics.needs_reweighing and statistics.reweighed().weighed_mean == fresh.weighed_mean
    assert np.array_equal(statistics.ids, fresh.ids) and np.array_equal(statistics.frequencies, fresh.frequencies)
    terms = query_terms("giá xăng dầu", SETTINGS)
    assert statistics.idf(terms) == fresh.idf(terms) == LexicalIndex.build(TEXTS[1:], SETTINGS).idf(terms)


def test_term_ids_are_stable_and_in_range():
    assert term_id("đường") == term_id("đường") != term_id("~duong")
    assert all(0 <= term_id(term) < 2**32 - 1 for term in ("", "giá_xăng", "~gia_xang", "x" * 500))


def test_the_table_survives_saving(tmp_path):
    statistics = TermStatistics.of(TEXTS, SETTINGS)
    loaded = TermStatistics.load(tmp_path, statistics.save(tmp_path))
    assert loaded.passages == statistics.passages and np.array_equal(loaded.frequencies, statistics.frequencies)


def test_any_sequence_of_updates_equals_counting_afresh():
    import random

    randomness = random.Random(7)
    held, statistics = [], TermStatistics.of([], SETTINGS)
    for _step in range(30):
        added = randomness.sample(TEXTS, randomness.randint(0, 3))
        removed = randomness.sample(held, min(len(held), randomness.randint(0, 2)))
        statistics = statistics.updated(added, removed, SETTINGS)
        for text in removed:
            held.remove(text)
        held += added
        fresh = TermStatistics.of(held, SETTINGS)
        assert (statistics.passages, statistics.terms) == (fresh.passages, fresh.terms)
        assert np.array_equal(statistics.ids, fresh.ids) and np.array_equal(statistics.frequencies, fresh.frequencies)
