"""The reference IDF of real news (`text/reference.py`): rare words and pairs weigh more than
common ones."""

from assistant.text.reference import reference_idf


def test_reference_idf_weighs_rare_words_and_pairs_over_common_ones():
    assert reference_idf("của") < 1 < reference_idf("phường") < reference_idf("ngoan")
    assert reference_idf("tân_mỹ") > reference_idf("thành_phố")
    assert reference_idf("~phuong") <= reference_idf("phường")  # the accent-free form is at least as common
