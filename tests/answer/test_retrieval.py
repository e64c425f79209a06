"""Retrieval, highlighting and the answer's status: one shared suite run against every mode (and, for the
real model, against both stores)."""

import importlib.util
import unicodedata

import pytest

from assistant import Assistant, Settings
from assistant.answer.assistant import FOREIGN_NOTE, NOT_FOUND_TEXT, RELATED_TEXT
from assistant.answer.retrieval import dense_question
from assistant.errors import AssistantError, QuestionError
from assistant.text.sentences import sentence_spans

MODES = ["hybrid", "dense", "lexical"]


def check_passages(assistant, passages, k):
    assert 0 < len(passages) <= k
    assert [p.rank for p in passages] == list(range(1, len(passages) + 1))
    # By score, but the passage holding the sentence the reader chose comes first.
    rest = [p.score for p in passages[1:]]
    assert rest == sorted(rest, reverse=True)
    for passage in passages:
        text = assistant.snapshot.documents[passage.document_id].text
        assert text[passage.start:passage.end] == passage.text
        sentence_starts_ends = {(passage.start + s, passage.start + e) for s, e in sentence_spans(passage.text)}
        for span in passage.highlights:
            assert passage.start <= span[0] < span[1] <= passage.end
            assert tuple(span) in sentence_starts_ends, "highlights are whole sentences"


@pytest.mark.parametrize("mode", MODES)
def test_passages_are_exact_citations_in_every_mode(fake_assistant, mode):
    for question in ["Chủ tịch UBND phường Tân Mỹ là ai?", "dien tich khu dat", "TP.HCM hỗ trợ gì?"]:
        check_passages(fake_assistant, fake_assistant.retrieve(question, k=4, mode=mode), 4)


@pytest.mark.parametrize("mode", MODES)
def test_bad_questions_raise_clear_errors(fake_assistant, mode):
    for bad in ["", "   \n\t ", "\x00\x01"]:
        with pytest.raises(QuestionError, match="empty"):
            fake_assistant.retrieve(bad, mode=mode)
    with pytest.raises(QuestionError, match="text"):
        fake_assistant.ask(None, mode=mode)
    with pytest.raises(QuestionError, match="k must be"):
        fake_assistant.retrieve("phường Tân Mỹ", k=0, mode=mode)


def test_unknown_mode_is_refused(fake_assistant):
    with pytest.raises(AssistantError, match="unknown retrieval mode"):
        fake_assistant.retrieve("phường", mode="magic")


def test_lexical_ranks_exact_accents_above_folded(tmp_path, fake_embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text("Con đường mới mở rộng rất đẹp.", encoding="utf-8")
    (folder / "b.txt").write_text("Con dương mới sinh rất đẹp.", encoding="utf-8")
    assistant = Assistant.open(tmp_path / "index", documents=[folder], embedder=fake_embedder)
    assert assistant.retrieve("đường mới", k=2, mode="lexical")[0].document_id == "a"
    assert assistant.retrieve("dương mới", k=2, mode="lexical")[0].document_id == "b"
    assert {p.document_id for p in assistant.retrieve("duong moi", k=2, mode="lexical")} == {"a", "b"}


def test_numbers_and_abbreviations_match_across_spellings(fake_assistant):
    for question in ["khu đất 12000 m2", "khu đất 12.000 m²", "khu dat 12.000m2"]:
        top = fake_assistant.retrieve(question, k=1, mode="lexical")[0]
        assert "12.000 m²" in top.text
    for question in ["TP.HCM sẽ tăng cường tổ công tác", "TPHCM se tang cuong to cong tac"]:
        assert "TPHCM sẽ tăng cường" in fake_assistant.retrieve(question, k=1, mode="lexical")[0].text


# --- the real bundled model ----------------------------------------------------------------------

def _milvus_installed() -> bool:
    return importlib.util.find_spec("pymilvus") is not None


# Every test of the real model runs on both stores: the Milvus one (on Milvus Lite) must answer alike.
@pytest.fixture(scope="session", params=["local", pytest.param("milvus", marks=pytest.mark.skipif(
    not _milvus_installed(), reason="the scale extra (pymilvus, milvus-lite) is not installed"))])
def real_assistant(tmp_path_factory, request, real_embedder, bundled_documents):
    return Assistant.open(tmp_path_factory.mktemp(f"real-{request.param}") / "index", documents=[bundled_documents],
                          settings=Settings.from_env(store=request.param), embedder=real_embedder)


# Share of the fixture questions whose evidence must be in the top 3. Hybrid, the default, must
# find all; a single retriever alone is weaker (measured 9/10 dense, 10/10 lexical).
REQUIRED_HIT_SHARE = {"hybrid": 1.0, "dense": 0.8, "lexical": 0.8}


@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_real_model_finds_evidence_in_top_three(real_assistant, mode, fixture_questions, recall_at_k, quotes_evidence):
    answerable = [row for row in fixture_questions if row["kind"] != "unanswerable"]
    texts = []
    for row in answerable:
        passages = real_assistant.retrieve(row["question"], k=3, mode=mode)
        check_passages(real_assistant, passages, 3)
        texts.append([p.text for p in passages])
    evidence = [[row["evidence"]] for row in answerable]
    misses = [row["question"] for row, found, wanted in zip(answerable, texts, evidence)
              if recall_at_k([found], [wanted], 3, quotes_evidence) == 0]
    assert recall_at_k(texts, evidence, 3, quotes_evidence) >= REQUIRED_HIT_SHARE[mode], misses


@pytest.mark.slow
def test_real_model_answers_nfd_and_accent_free_questions(real_assistant):
    for question in [unicodedata.normalize("NFD", "Ai là Chủ tịch UBND phường Tân Mỹ?"),
                     "ai la chu tich ubnd phuong tan my"]:
        answer = real_assistant.ask(question)
        assert answer.answered
        assert "Nguyễn Thị Bé Ngoan" in answer.passages[0].text
        assert answer.text.endswith("[1]")


# Measured: 9 of the 10 answerable fixture questions are answered, the other is `related` with its
# evidence shown; both unrelated ones are `not_found`.
MIN_FIXTURE_ANSWERED = 8


@pytest.mark.slow
def test_real_model_answers_cites_or_says_not_found(real_assistant, fixture_questions, recall_at_k, quotes_evidence):
    answered = 0
    for row in fixture_questions:
        answer = real_assistant.ask(row["question"], k=3)
        if row["kind"] == "unanswerable":  # no article on the subject (gold prices, football)
            assert answer.status == "not_found" and answer.passages == [], row["question"]
            assert answer.text == NOT_FOUND_TEXT
            continue
        assert answer.status != "not_found", row["question"]
        texts = [p.text for p in answer.passages]
        assert recall_at_k([texts], [[row["evidence"]]], 3, quotes_evidence) == 1.0, row["question"]
        if answer.answered:
            answered += 1
            quotation = answer.text[1:answer.text.index("” [1]")]
            assert quotation in answer.passages[0].text
        else:
            assert answer.text == RELATED_TEXT
    assert answered >= MIN_FIXTURE_ANSWERED


@pytest.mark.slow
def test_real_model_foreign_questions_are_related_or_not_found_never_answered(real_assistant):
    answer = real_assistant.ask("What is the price of gold in London today?")
    assert answer.status == "not_found" and answer.notes[-1] == FOREIGN_NOTE
    answer = real_assistant.ask("Who chaired the meeting with Phu Thuan and Tan My wards?")
    assert answer.status == "related" and answer.notes[-1] == FOREIGN_NOTE
    assert any("Nguyễn Thị Mỹ Hằng" in p.text for p in answer.passages)
    assert FOREIGN_NOTE not in real_assistant.ask("Giá vàng ở London hôm nay là bao nhiêu?").notes


@pytest.mark.slow
def test_development_questions_through_the_api(development_questions, real_assistant, recall_at_k, quotes_evidence):
    for row in development_questions:
        answer = real_assistant.ask(row["question"], k=3)
        if row["kind"] == "unanswerable":  # same topic, answer absent: never quoted as the answer
            assert answer.status != "answered", row["id"]
        elif row["kind"] in ("answerable", "no_diacritics", "old_tone_marks", "nfd_input"):
            assert answer.status != "not_found", row["id"]
            texts = [p.text for p in answer.passages]
            assert recall_at_k([texts], [[row["evidence"]]], 3, quotes_evidence) == 1.0, row["id"]


def test_the_dense_model_sees_one_placement_of_tone_marks():
    """Old and new tone-mark placement ("thuỷ" / "thủy") is one question to the dense model too."""
    assert dense_question("Tàu có bao nhiêu thuỷ thủ?", None) == dense_question("Tàu có bao nhiêu thủy thủ?", None)
