"""Diacritic restoration (`text/diacritics.py`): accent-free questions get the corpus's own
accented words back, and an update of the counts gives what counting everything again gives."""

import pytest

from assistant.text.diacritics import DiacriticRestorer

NEWS = [
    "Tổ công tác số 5 làm việc với phường Phú Thuận và phường Tân Mỹ về tình hình kinh tế.",
    "Giá xăng dầu hôm nay tăng 500 đồng mỗi lít, giá dầu diesel giảm nhẹ.",
    "Bà Nguyễn Thị Bé Ngoan, Chủ tịch UBND phường Tân Mỹ, báo cáo kết quả thu ngân sách.",
    "Đội tuyển bóng đá Việt Nam thắng 2-0 trên sân Mỹ Đình tối qua.",
    "TP.HCM xây dựng 12.000 m² công viên mới ở phường Phú Thuận.",
]


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


def test_question_phrases_are_restored_as_questions_write_them():
    """News says "bảo" (says) and "nhiều" (many) far more often than "bao nhiêu"."""
    restorer = DiacriticRestorer.from_texts(["Ông bảo nhiều người đã đến. Nhiều người bảo vậy."] * 5)
    assert restorer.restore("bao nhieu nguoi") == "bao nhiêu người"
    assert restorer.restore("ong bao nhieu nguoi den") == "ông bao nhiêu người đến"
    assert restorer.restore("bảo nhieu") == "bảo nhiều"  # a word typed with accents is as typed


def test_restorer_update_matches_counting_again():
    kept, removed, added = NEWS[:3], NEWS[3:5], ["Tien hanh kiểm tra tiến độ dự án.", "Giá xăng tăng."]
    updated = DiacriticRestorer.from_texts(kept + removed).updated(removed, added)
    again = DiacriticRestorer.from_texts(kept + added)
    assert updated.forms == again.forms and updated.pairs == again.pairs
    assert updated.restore("gia xang tang") == again.restore("gia xang tang") == "giá xăng tăng"


@pytest.mark.timeout(20)  # a bound, not a measurement: copying the path at each word made it quadratic
def test_restoring_a_very_long_text_is_linear():
    restorer = DiacriticRestorer.from_texts(NEWS)
    text = "to cong tac so 5 lam viec voi phuong Phu Thuan. " * 5_000
    restored = restorer.restore(text)
    assert restored.startswith("tổ công tác số 5 làm việc với phường Phú Thuận. ") and len(restored) == len(text)


def test_words_the_archive_lacks_are_restored_as_real_news_writes_them():
    restorer = DiacriticRestorer.from_texts(["Tổ công tác số 5 làm việc với phường Tân Mỹ."])
    assert restorer.restore("Ai phan anh tru so cac co quan chat choi").startswith("Ai phản ánh trụ sở các cơ quan")
    assert restorer.restore("to cong tac so 5") == "tổ công tác số 5"  # the archive's own words first
