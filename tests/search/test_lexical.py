"""The lexical index (`search/lexical.py`): BM25 weights kept as term counts and handed to bm25s,
brought up to date from the previous generation (only new passages are tokenised), and giving
what counting everything again gives, also after a save and load."""

import numpy as np

import assistant.search.lexical as lexical
from assistant.config import LexicalSettings
from assistant.search.lexical import LexicalIndex
from assistant.text.terms import passage_terms

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


def test_bm25_weights_match_bm25s_own_indexing():
    import bm25s

    settings = LexicalSettings()
    ours = LexicalIndex.build(TEXTS, settings)
    retriever = bm25s.BM25(k1=settings.k1, b=settings.b)
    retriever.index([passage_terms(text, settings) or [""] for text in TEXTS], show_progress=False)
    theirs = LexicalIndex(retriever, settings)
    assert_same_scores(ours, theirs)
    assert ours.scores("phường Tân Mỹ").max() > 0


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
