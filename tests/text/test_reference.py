"""The reference IDF of real news (`text/reference.py`): rare words and pairs weigh more than
common ones."""

from assistant.text.reference import reference_forms, reference_idf


def test_reference_idf_weighs_rare_words_and_pairs_over_common_ones():
    assert reference_idf("của") < 1 < reference_idf("phường") < reference_idf("ngoan")
    assert reference_idf("tân_mỹ") > reference_idf("thành_phố")
    assert reference_idf("~phuong") <= reference_idf("phường")  # the accent-free form is at least as common


def test_reference_forms_hold_accented_words_and_pairs_by_their_accent_free_form():
    forms = reference_forms()
    assert forms.pairs["cơ quan"] > forms.pairs.get("có quản", 0)
    assert "phản" in forms.choices["phan"] and "phân" in forms.choices["phan"]
    assert not any(key.startswith("~") for key in forms.forms)
