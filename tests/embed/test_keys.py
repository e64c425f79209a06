"""Vector keys (`embed/keys.py`): a passage's vector is reused exactly when model, precision, prompt
and indexed text are the same."""

from assistant.embed.keys import KEY_LENGTH, embedding_key, model_entry
from assistant.testing import HashingEmbedder

MODEL = {"id": "fake-hash-embedder", "query_prompt": "q: ", "passage_prompt": "p: ", "precision": "float32"}
TEXT = "Tin phường\nChủ tịch UBND phường Tân Mỹ là bà Nguyễn Thị Bé Ngoan."


def test_the_model_entry_names_what_makes_the_vectors():
    assert model_entry(HashingEmbedder()) == MODEL  # an embedder without `precision` makes float32 vectors


def test_a_key_changes_with_each_thing_that_changes_the_vector():
    key = embedding_key(MODEL, TEXT)
    assert len(key) == KEY_LENGTH and set(key) <= set("0123456789abcdef") and embedding_key(dict(MODEL), TEXT) == key
    others = [embedding_key({**MODEL, "id": "another-model"}, TEXT),
              embedding_key({**MODEL, "precision": "int8"}, TEXT),
              embedding_key({**MODEL, "passage_prompt": "passage: "}, TEXT),
              embedding_key(MODEL, TEXT + " "),
              embedding_key(MODEL, "Tin phường\nChủ tịch UBND phường Tân Mỹ là bà Nguyễn Thị Bé Ngoan")]
    assert len({key, *others}) == 1 + len(others)


def test_the_query_prompt_does_not_change_passage_vectors():
    assert embedding_key({**MODEL, "query_prompt": "hỏi: "}, TEXT) == embedding_key(MODEL, TEXT)


def test_float32_keys_are_those_made_before_precision_was_recorded():
    without_precision = {key: value for key, value in MODEL.items() if key != "precision"}
    assert embedding_key(without_precision, TEXT) == embedding_key(MODEL, TEXT)
