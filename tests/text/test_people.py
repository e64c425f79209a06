"""People (`text/people.py`): the persons a sentence names with the roles in apposition, and every
role a document gives each of them."""

from assistant.text.people import people, with_roles

LEADER = ("Ngày 24-10, tổ công tác số 5 do đồng chí Nguyễn Thị Mỹ Hằng, Ủy viên Ban Thường vụ Thành ủy, "
          "Trưởng Ban Nội chính Thành ủy TPHCM, làm tổ trưởng, đã làm việc với phường Tân Mỹ.")


def test_roles_after_the_name_chained_by_commas_and_not_past_a_verb():
    (person,) = people(LEADER)
    assert person.name == "nguyen thi my hang"
    assert {"ủy", "viên", "thường", "vụ", "trưởng", "nội", "chính"} <= person.words
    assert "tổ" not in person.words  # "làm tổ trưởng" is what she does here, not a role in apposition


def test_a_role_right_before_the_name():
    (person,) = people("Bí thư Đảng ủy phường Tân Mỹ Trần Chí Dũng cho biết, về cơ bản, công chức đủ.")
    assert person.name == "tran chi dung" and {"bí", "thư", "tân", "mỹ"} <= person.words


def test_a_sentence_naming_nobody():
    assert people("Đồng chí cũng kỳ vọng các mô hình “liên phường” sớm được triển khai.") == ()


def test_a_document_gives_a_person_every_role_it_names_them_with():
    text = LEADER + " Về nhân sự, đồng chí Nguyễn Thị Mỹ Hằng cho biết, TPHCM sẽ hỗ trợ."
    (later,) = people("Về nhân sự, đồng chí Nguyễn Thị Mỹ Hằng cho biết, TPHCM sẽ hỗ trợ.")
    assert "nội" not in later.words
    assert {"nội", "chính", "hằng"} <= with_roles(text, later)
    assert with_roles("", later) == later.words  # no document: the sentence's own words
