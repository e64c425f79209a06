"""The answer confidence: answered / related / not_found from measured signals (model-free)."""


from assistant.config import LexicalSettings
from assistant.results import Passage
from assistant.search import confidence
from assistant.search.coverage import QuestionTerms

SETTINGS = LexicalSettings()
QUESTION = "Ai là Chủ tịch UBND phường Tân Mỹ?"
ANSWERING = ("Đồng chí Nguyễn Thị Bé Ngoan, Phó Bí thư Đảng ủy, Chủ tịch UBND phường Tân Mỹ thông tin, hiện trụ sở "
             "các đơn vị vẫn còn phân tán.")
SAME_TOPIC = "Phường Tân Mỹ kiến nghị thành phố hỗ trợ biệt phái cán bộ chuyên môn về cơ sở."
UNRELATED = "Giá vàng trong nước tăng mạnh theo giá thế giới, nhà đầu tư chốt lời."


def passage(text: str, cosine: float, title: str = "Tin phường") -> Passage:
    return Passage(text, 1.0, "a", title, None, 1, 0, len(text), rank=1, highlights=((0, len(text)),),
                   dense_score=cosine)


def assess(text: str, cosine: float, question: str = QUESTION, foreign: bool = False, lexical: bool = False):
    return confidence.assess(QuestionTerms.of(question, SETTINGS), [passage(text, cosine)], 400, 1.5, lexical, foreign,
                             SETTINGS)


def test_the_shipped_models_load_for_both_families():
    models, foreign_cosine = confidence._load()
    assert set(models) == {"dense", "lexical"} and 0.5 < foreign_cosine < 1.0
    for family in models.values():
        for model in (family.topic, family.answer):
            assert 0 < model.threshold < 1 and set(model.weights) <= set(confidence.FEATURES)
    assert "dense" not in models["lexical"].topic.weights


def test_a_sentence_that_says_the_question_and_names_the_person_is_an_answer():
    relevance = assess(ANSWERING, 0.90)
    assert relevance.status == "answered"
    assert relevance.features["typed"] == 1.0 and relevance.features["words"] > 0.9


def test_an_unrelated_passage_is_not_found_and_a_near_miss_is_related_not_an_answer():
    assert assess(UNRELATED, 0.78).status == "not_found"
    assert assess(UNRELATED, 0.78, lexical=True).status == "not_found"
    # On the subject (the ward, its requests) without the answer (who chairs it): shown with a caveat.
    for lexical in (False, True):
        near_miss = assess(SAME_TOPIC, 0.85, lexical=lexical)
        assert near_miss.status == "related" and near_miss.topic > near_miss.answer


def test_more_evidence_never_lowers_either_estimate():
    weak, strong = assess(SAME_TOPIC, 0.82), assess(ANSWERING, 0.90)
    assert strong.topic >= weak.topic and strong.answer > weak.answer


def test_a_foreign_question_is_related_or_not_found_never_answered():
    question = "Who is the chairwoman of Tan My ward?"
    assert assess(ANSWERING, 0.95, question, foreign=True).status == "related"
    assert assess(ANSWERING, 0.70, question, foreign=True).status == "not_found"


def test_no_passages_is_not_found():
    relevance = confidence.assess(QuestionTerms.of(QUESTION, SETTINGS), [], 0, confidence.MAX_MARGIN, False, False,
                                  SETTINGS)
    assert relevance.status == "not_found" and relevance.features == {}


def test_margin_measures_how_far_the_top_passage_leads():
    clear = confidence.margin([(1, 5.0), (2, 1.0), (3, 0.5), (4, 0.0)])
    close = confidence.margin([(1, 1.1), (2, 1.0), (3, 0.5), (4, 0.0)])
    assert clear > close > 0
    assert confidence.margin([(1, 2.0)]) == confidence.MAX_MARGIN
    assert confidence.margin([(1, 1.0), (2, 1.0)]) == 0.0
