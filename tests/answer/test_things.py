"""What "nó" points at in a conversation: the thing named, or the noun phrase a question opened with
(`assistant.answer.things`, through `rewrite_question`)."""

from assistant.answer.conversation import rewrite_question
from assistant.answer.things import brand
from assistant.answer.turns import Turn


def test_it_is_the_thing_the_previous_question_named():
    phone = Turn("Camera sau của Nokia 6 bao nhiêu MP?", "Camera sau của Nokia 6 bao nhiêu MP?", "answered", "16 MP")
    assert rewrite_question("Thế nó chạy hệ điều hành gì?", [phone]).text == "Nokia 6 chạy hệ điều hành gì?"


def test_it_is_the_thing_named_before_a_question_about_something_else():
    phone = Turn("Camera sau của Nokia 6 bao nhiêu MP?", "Camera sau của Nokia 6 bao nhiêu MP?", "related")
    sprouts = Turn("cach trong rau mam tren bong gon", "cach trong rau mam tren bong gon", "related")
    assert rewrite_question("Thế nó chạy hệ điều hành gì?", [phone, sprouts]).text == "Nokia 6 chạy hệ điều hành gì?"


PLANE = Turn("Chiếc máy bay bị bỏ ở Nội Bài mang quốc tịch nước nào?",
             "Chiếc máy bay bị bỏ ở Nội Bài mang quốc tịch nước nào?", "related")


def test_it_is_the_noun_phrase_the_previous_question_opened_with_not_its_question():
    follow = rewrite_question("Nó đỗ ở đó từ khi nào?", [PLANE])
    assert follow.text == "Chiếc máy bay bị bỏ ở Nội Bài đỗ ở Nội Bài từ khi nào?"
    assert {"chiec", "may", "bay", "noi", "bai"} <= follow.carried


def test_it_keeps_pointing_at_the_same_thing_along_a_chain():
    parked = Turn("Nó đỗ ở đó từ khi nào?", "Chiếc máy bay bị bỏ ở Nội Bài đỗ ở Nội Bài từ khi nào?", "answered",
                  "đầu tháng 5/2007")
    assert rewrite_question("Ai sẽ mua nó?", [PLANE, parked]).text == "Ai sẽ mua chiếc máy bay bị bỏ ở Nội Bài?"


def test_it_ends_after_the_first_name_when_the_answer_named_another():
    answered = Turn("Chiếc máy bay bị bỏ ở Nội Bài mang quốc tịch nước nào?",
                    "Chiếc máy bay bị bỏ ở Nội Bài mang quốc tịch nước nào?", "answered", "Campuchia",
                    "Chiếc máy bay mang quốc tịch Campuchia.")
    assert rewrite_question("Nó đỗ ở đó từ khi nào?", [answered]).text == \
        "Chiếc máy bay bị bỏ ở Nội Bài đỗ ở Nội Bài từ khi nào?"


def test_a_question_opening_on_a_brand_names_it():
    """A capital opening a question is a name only when the word is no Vietnamese syllable."""
    assert brand("Ford định cắt giảm bao nhiêu phần trăm lao động?") == "Ford"
    assert brand("Nokia 6 giá bao nhiêu?") == "Nokia 6"
    assert brand("Theo ông Dũng, phường cần gì?") is None
    assert brand("Trong tháng Tư bán được bao nhiêu xe?") is None
    assert brand("TP.HCM có bao nhiêu thí sinh?") is None  # an abbreviation is read as one elsewhere
    ford = Turn("Ford định cắt giảm bao nhiêu phần trăm lao động?", "Ford định cắt giảm bao nhiêu phần trăm lao động?",
                "answered", "10%", "Hãng dự kiến cắt giảm 10% lao động.", "doc")
    assert rewrite_question("Nó bán được bao nhiêu xe?", [ford]).text == "Ford bán được bao nhiêu xe?"
    assert rewrite_question("Ai là CEO của hãng này?", [ford]).text == "Ai là CEO của Ford?"
