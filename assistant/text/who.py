"""Who a question asks about: whether "Ai …?" asks who holds a role (not who did something to its
holder), and whether "<someone> là ai?" names the one it asks about (then it asks for their roles).
Read on the question's accent-free words."""

from __future__ import annotations

from .units import find_phrase

_TITLES = frozenset("ong ba anh chi co chu".split())
# Words no name has, accent-free ("anh trai cua Hieu"); a name's "Thị", "Chí", "Văn" read as function words.
_NO_NAME = frozenset("cua va voi o tai cho nay ay do kia nao nhung cac mot trai gai".split())


def who_someone_is(words: tuple[str, ...], start: int, end: int, names: frozenset[int]) -> bool:
    """Whether "<someone> là ai?" (its question word at `start`:`end`) names the one it asks about:
    a name in capitals (`names`: the positions of capitalised words after the first), or, typed in
    lower case, a title and a name ("ong nguyen dang thoai la ai"; not "anh trai của Hiếu")."""
    if end != len(words) or start < 3 or words[start - 1] != "la":
        return False
    titled = words[0] in _TITLES or words[:2] == ("dong", "chi")
    named = range(2 if words[:2] == ("dong", "chi") else int(titled), start - 1)
    if not 2 <= len(named) <= 5:
        return False
    return all(i in names or i == 0 for i in named) or (titled and not any(words[i] in _NO_NAME for i in named))


# What may stand between "Ai" and the role the person asked for holds: "Ai là Bí thư …?", "Ai vừa được
# bầu làm Chủ tịch …?", "Ai giữ chức Giám đốc …?".
_ROLE_LINKS = frozenset("la lam dang hien se van da vua moi duoc bau bo nhiem giu chuc vu vi tri danh cuong dam "
                        "nhan tan nguoi".split())


def holds_role(words: tuple[str, ...], role: tuple[str, ...]) -> bool:
    """Whether a question asks who holds the role whose words are `role` ("pho", "bi", "thu"): one
    opening with "Ai" does only when nothing but linking words stand before the role ("Ai tuyên bố
    thắng cử Tổng thống Hàn Quốc?", "Ai gặp Thủ tướng?" do not)."""
    at = find_phrase(words, role)
    return words[:1] != ("ai",) or all(w in _ROLE_LINKS for w in words[1:at])
