"""Terms (`text/terms.py`): what a passage is indexed by and a question searched with (syllables,
syllable pairs, their accent-free forms), under each lexical setting."""

from dataclasses import replace

from assistant.config import LexicalSettings
from assistant.text.terms import passage_sentences, passage_terms, query_terms, term_set

SETTINGS = LexicalSettings()
WORDS = ["đường", "tân", "mỹ"]
PAIRS = ["đường_tân", "tân_mỹ"]
FOLDED = ["~duong", "~tan", "~my", "~duong_tan", "~tan_my"]


def test_a_passage_is_indexed_by_syllables_pairs_and_their_accent_free_forms():
    assert passage_terms("Đường Tân Mỹ", SETTINGS) == WORDS + PAIRS + FOLDED
    assert passage_terms("Đường Tân Mỹ", replace(SETTINGS, bigrams=False)) == WORDS + ["~duong", "~tan", "~my"]
    assert passage_terms("Đường Tân Mỹ", replace(SETTINGS, folded=False)) == WORDS + PAIRS
    assert passage_terms("", SETTINGS) == [] and passage_terms("… — !", SETTINGS) == []


def test_numbers_and_abbreviations_become_one_term_each():
    terms = passage_terms("12.000 m² ở TP.HCM", SETTINGS)
    assert terms[:4] == ["12000", "m2", "ở", "tphcm"] and "~o_tphcm" in terms


def test_a_question_with_diacritics_searches_exact_and_accent_free_terms_once_each():
    terms = query_terms("Đường Tân Mỹ đường", SETTINGS)
    assert terms == ("đường", "tân", "mỹ", "đường_tân", "tân_mỹ", "mỹ_đường",
                     "~duong", "~tan", "~my", "~duong_tan", "~tan_my", "~my_duong")
    assert len(set(terms)) == len(terms)


def test_a_question_without_diacritics_searches_accent_free_terms_only():
    # `duong` must meet `đường` and `dương` alike, so only the folded forms are searched.
    assert query_terms("duong tan my", SETTINGS) == tuple(FOLDED)
    assert query_terms("duong", replace(SETTINGS, folded=False)) == ("duong",)  # nothing folded to meet


def test_sentences_carry_their_own_terms_and_exact_offsets():
    text = "Câu một. Câu hai!"
    sentences = passage_sentences(text, SETTINGS)
    assert [(start, end) for start, end, _ in sentences] == [(0, 8), (9, 17)]
    for start, end, terms in sentences:
        assert terms == term_set(text[start:end], SETTINGS) == frozenset(passage_terms(text[start:end], SETTINGS))
