"""Question words typed without accents that are also other words: "may" is "mấy" (how many) or
"máy" (machine), "dau" is "đâu" (where) or "đầu" (head, first), told apart by the words around them."""

from __future__ import annotations

_MACHINE_AFTER = frozenset("bay tinh moc man mac ao quay chu anh lanh giat in phat bom cay xuc keo say hut nen "
                           "dieu hoa lanh cham khoan cat".split())
_MACHINE_BEFORE = frozenset("nha cac chiec cai nhung dong bo thang".split())  # "thang may": elevator, unless "may" asks
_HEAD_AFTER = frozenset("tu tien ra vao bep nguon gio mui voi ngo tau cuoi".split())
_WHERE_BEFORE = frozenset("o tai tu den di ve noi cho dat dung".split())


def asks_may(words: tuple[str, ...], index: int) -> bool:
    """Whether an accent-free "may" at `index` is "mấy" (how many) rather than "máy" (machine)."""
    before = words[index - 1] if index else ""
    after = words[index + 1] if index + 1 < len(words) else ""
    if after in _MACHINE_AFTER or (before in _MACHINE_BEFORE and before != "thang"):
        return False
    return True


def asks_dau(words: tuple[str, ...], index: int) -> bool:
    """Whether an accent-free "dau" is "đâu" (where) rather than "đầu" (head, first)."""
    before = words[index - 1] if index else ""
    after = words[index + 1] if index + 1 < len(words) else ""
    if before == "dung" and after:  # "dung dau la ai": "đứng đầu" (at the head of)
        return False
    return after not in _HEAD_AFTER and (before in _WHERE_BEFORE or index == len(words) - 1)
