"""Who a question asks about (`text/who.py`): the holder of a role, or who someone named is."""

from assistant.text.who import holds_role, who_someone_is


def test_ai_asks_who_holds_a_role_only_through_linking_words():
    assert holds_role(tuple("ai la bi thu dang uy phuong phu thuan".split()), ("bi", "thu"))
    assert holds_role(tuple("ai vua duoc bau lam chu tich ubnd tinh".split()), ("chu", "tich"))
    assert not holds_role(tuple("ai tuyen bo thang cu tong thong han quoc".split()), ("tong", "thong"))
    assert holds_role(tuple("bi thu dang uy phuong phu thuan la ai".split()), ("bi", "thu"))  # no "Ai" first


def test_who_someone_is_needs_a_name_in_capitals_or_a_title_and_a_name():
    words = tuple("ba nguyen thi my hang la ai".split())
    assert who_someone_is(words, 6, 7, frozenset())  # a title and a name, typed in lower case
    assert who_someone_is(tuple("nguyen dang thoai la ai".split()), 4, 5, frozenset({1, 2}))  # in capitals
    assert not who_someone_is(tuple("anh trai cua hieu la ai".split()), 5, 6, frozenset({3}))
    assert not who_someone_is(tuple("to truong la ai".split()), 3, 4, frozenset())
