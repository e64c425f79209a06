"""The lexical index (`search/lexical.py`): BM25 weights kept as term counts and handed to bm25s,
scoring as bm25s's own index of the same terms, brought up to date from the previous generation
(only new passages are tokenised), and giving what counting everything again gives, also after a
save and load."""

import numpy as np
import pytest

import assistant.search.lexical as lexical
from assistant.config import LexicalSettings
from assistant.search.lexical import LexicalIndex
from assistant.text.terms import passage_terms, query_terms

TEXTS = [
    "Tổ công tác số 5 làm việc với phường Phú Thuận và phường Tân Mỹ về tình hình kinh tế.",
    "Giá xăng dầu hôm nay tăng 500 đồng mỗi lít, giá dầu diesel giảm nhẹ.",
    "Bà Nguyễn Thị Bé Ngoan, Chủ tịch UBND phường Tân Mỹ, báo cáo kết quả thu ngân sách.",
    "Đội tuyển bóng đá Việt Nam thắng 2-0 trên sân Mỹ Đình tối qua.",
    "TP.HCM xây dựng 12.000 m² công viên mới ở phường Phú Thuận.",
    "",
    "Mưa lớn ở Hà Nội khiến nhiều tuyến phố ngập sâu; giá rau tăng.",
]

QUESTIONS = ["phường Tân Mỹ", "gia xang dau", "Chủ tịch UBND là ai", "12.000 m²", "bóng đá", "mưa Hà Nội",
             "không có từ nào"]


def assert_same_scores(one: LexicalIndex, other: LexicalIndex) -> None:
    for question in QUESTIONS:
        np.testing.assert_allclose(one.scores(question), other.scores(question), rtol=1e-5, atol=1e-6)


def bm25s_own_index(texts, settings: LexicalSettings):
    """bm25s's own BM25 (Lucene variant) over the same terms, built the way its documentation
    shows: a plain `bm25s.BM25` indexing the token lists."""
    import bm25s

    retriever = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    retriever.index([passage_terms(text, settings) or [""] for text in texts], show_progress=False)
    return retriever


@pytest.mark.parametrize("mmap", [False, True], ids=["read", "mmap"])
def test_scores_are_bm25s_own_before_and_after_a_save_and_load(tmp_path, mmap):
    """Our index hands bm25s precomputed weights through `BM25.index` and an override of
    `build_index_from_ids`; if a bm25s release changes either, or how it scores or saves, the
    scores part from those of bm25s's own index of the same terms, and this fails."""
    settings = LexicalSettings()
    assert (settings.k1, settings.b) == (1.2, 0.75)
    theirs = bm25s_own_index(TEXTS, settings)
    ours = LexicalIndex.build(TEXTS, settings)
    ours.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, settings, mmap=mmap)
    for question in QUESTIONS:
        expected = theirs.get_scores(list(query_terms(question, settings)))
        np.testing.assert_allclose(ours.scores(question), expected, rtol=1e-5, atol=1e-5, err_msg=question)
        np.testing.assert_allclose(loaded.scores(question), expected, rtol=1e-5, atol=1e-5, err_msg=question)
    found = [ours.scores(question) > 0 for question in QUESTIONS]
    assert sum(hits.sum() for hits in found) >= len(QUESTIONS) and not found[-1].any()  # scores to compare, and a miss


def test_reused_rows_give_the_index_a_fresh_build_gives(monkeypatch):
    settings = LexicalSettings()
    before = LexicalIndex.build(TEXTS, settings)
    # Drop passages 1 and 3 (their terms leave the vocabulary), reorder, add two new ones.
    texts = [TEXTS[4], TEXTS[0], "Phường Tân Mỹ khánh thành trường học mới.", TEXTS[2], TEXTS[5], TEXTS[6],
             "Giá vàng SJC tăng mạnh."]
    reuse = [4, 0, None, 2, 5, 6, None]
    tokenised = []
    monkeypatch.setattr(lexical, "passage_terms", lambda text, s: tokenised.append(text) or passage_terms(text, s))
    updated = LexicalIndex.build(texts, settings, previous=before, reuse=reuse)
    assert tokenised == [texts[2], texts[6]]  # only the new passages
    monkeypatch.undo()
    fresh = LexicalIndex.build(texts, settings)
    assert set(updated.retriever.vocab_dict) == set(fresh.retriever.vocab_dict)
    assert "~bong" not in updated.retriever.vocab_dict  # the football passage is gone
    assert_same_scores(updated, fresh)
    assert updated.counts.shape == (len(texts), len(updated.retriever.vocab_dict))


def test_a_few_unused_terms_stay_until_they_matter_and_score_nothing(monkeypatch):
    settings = LexicalSettings()
    before = LexicalIndex.build(TEXTS, settings)
    kept = [i for i in range(len(TEXTS)) if i != 3]
    monkeypatch.setattr(lexical, "UNUSED_TERMS_KEPT", 0.99)  # as in a large archive: a removal frees few terms
    updated = LexicalIndex.build([TEXTS[i] for i in kept], settings, previous=before, reuse=kept)
    assert set(updated.retriever.vocab_dict) == set(before.retriever.vocab_dict)
    assert_same_scores(updated, LexicalIndex.build([TEXTS[i] for i in kept], settings))


def test_term_counts_survive_a_save_and_load(tmp_path):
    index = LexicalIndex.build(TEXTS, LexicalSettings())
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, LexicalSettings())
    assert (loaded.counts != index.counts).nnz == 0
    assert_same_scores(loaded, index)


def test_a_term_repeated_beyond_sixteen_bits_is_counted(tmp_path):
    """A passage of one word 70,000 times (a hostile file) overflowed 16-bit counts."""
    texts = ["tin " * 70_000, *TEXTS]
    index = LexicalIndex.build(texts, LexicalSettings())
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, LexicalSettings())
    assert loaded.counts[0, loaded.retriever.vocab_dict["tin"]] == 70_000
    assert_same_scores(loaded, index)
