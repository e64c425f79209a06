"""Sentence words (`text/sentence_words.py`): words with their offsets, accent-free and as written,
and phrase matching on either."""

from assistant.text.normalize import canonical_tones
from assistant.text.sentence_words import is_boundary, joined, sentence_words, starts_with, starts_with_written


def test_words_keep_their_offsets_and_both_readings():
    sentence = "Ông Đoàn hoà giải, TP.HCM"
    words = sentence_words(sentence)
    assert [sentence[w.start:w.end] for w in words] == [w.text for w in words] == \
        ["Ông", "Đoàn", "hoà", "giải", "TP", "HCM"]
    assert [w.folded for w in words] == ["ong", "doan", "hoa", "giai", "tp", "hcm"]
    assert words[2].written == canonical_tones("hòa")  # old and new tone placement read alike
    assert words[1].capitalised and not words[2].capitalised and words[5].acronym


def test_phrases_match_accent_free_or_as_written():
    words = sentence_words("Ông Đoàn hòa giải vụ việc.")
    assert starts_with(words, 2, (("hoa", "giai"),)) == 2
    assert starts_with_written(words, 2, ((canonical_tones("hoà"), canonical_tones("giải")),)) == 2
    assert starts_with_written(words, 2, ((canonical_tones("hóa"), canonical_tones("giải")),)) == 0  # "hóa" ≠ "hòa"


def test_joined_words_and_boundaries():
    sentence = "Nguyễn Văn A, Trần B"
    words = sentence_words(sentence)
    assert joined(sentence, words[0], words[1]) and not joined(sentence, words[2], words[3])
    assert is_boundary(sentence_words("cũng")[0]) and is_boundary(sentence_words("2025")[0])
    assert not is_boundary(sentence_words("trụ")[0])
