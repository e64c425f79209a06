"""Equivalent wordings: what a sentence says in other words than the question's.

A person asks "Ông X nói gì …?" of a sentence that writes "đồng chí X cho biết …", "thành phố"
of one that writes "TP", "muốn" of one that writes "kiến nghị". Reading counts a question word
as said when the sentence says it in one of these ways (`Equivalents.said`): an abbreviation of
Vietnamese news and its expansion, a verb of saying or of asking for something and another of
the same kind, a title before a name the sentence writes, a misspelt rare word one letter away
from a common word of the sentence. Verbs are compared as written when both sides carry accents
("nói" is no "nội"), else accent-free. The index is not touched: only how a sentence is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Collection, Sequence

from .names import PERSON_TITLES
from .normalize import canonical_tones, fold
from .reference import reference_df
from .sentence_words import Word, sentence_words

# Abbreviations of Vietnamese news (accent-free, as `sentence_words` folds them) and what they stand
# for, in each way news writes it ("|" between them).
ABBREVIATIONS = {
    "tp": "thanh pho", "tphcm": "thanh pho ho chi minh|tp ho chi minh|tp hcm|sai gon",
    "hcm": "ho chi minh", "hn": "ha noi", "sg": "sai gon", "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan", "mttq": "mat tran to quoc", "csgt": "canh sat giao thong",
    "thpt": "trung hoc pho thong", "thcs": "trung hoc co so", "bhxh": "bao hiem xa hoi", "bhyt": "bao hiem y te",
    "kcn": "khu cong nghiep", "htx": "hop tac xa", "ntm": "nong thon moi", "atgt": "an toan giao thong",
    "pccc": "phong chay chua chay", "vn": "viet nam", "tw": "trung uong", "bch": "ban chap hanh",
    "hlv": "huan luyen vien", "clb": "cau lac bo", "lhq": "lien hop quoc", "dbscl": "dong bang song cuu long",
    "ttxvn": "thong tan xa viet nam", "cand": "cong an nhan dan", "qdnd": "quan doi nhan dan",
}

# Words of the same kind: a question's "nói" is the sentence's "cho biết", its "muốn" the
# sentence's "đề xuất", its "khuyên" the "khuyến cáo" (news reports what people said, asked for
# and advised; questions paraphrase it), its "máy lạnh" the "điều hòa" (names of one thing that
# differ between regions or registers).
KINDS = (
    "nói|cho biết|phát biểu|chia sẻ|khẳng định|nhấn mạnh|nêu|cho rằng|bày tỏ|trao đổi|giải thích|nhận định|"
    "đánh giá|nhận xét|tiết lộ|thừa nhận|tâm sự|lưu ý|cho hay|thông tin",
    "muốn|mong muốn|mong|kỳ vọng|mong đợi|mong mỏi|hy vọng|đề xuất|kiến nghị|đề nghị|xin|yêu cầu|đề đạt",
    "dẫn đầu|đứng đầu|chủ trì|phụ trách|tổ trưởng|trưởng đoàn|trưởng ban",
    "khuyên|khuyến cáo|khuyến nghị|nhắc nhở|cảnh báo|dặn",
    "chết|qua đời|từ trần|tử vong|thiệt mạng|tử nạn|hy sinh|tạ thế",
    "ghi bàn|lập công|nổ súng|lập cú đúp|sút tung lưới|làm tung lưới", "gỡ hòa|cân bằng tỷ số|san bằng tỷ số",
    "nhân sự|cán bộ|nhân lực", "máy lạnh|điều hòa|máy điều hòa", "thủy thủ|thuyền viên", "camera|máy ảnh",
    "ô tô|xe hơi", "xe máy|xe gắn máy", "cả nước|toàn quốc", "rải rác|phân tán|tản mát",
    "gom|gộp|dồn|tập trung|hợp nhất|về chung", "giỏi|am hiểu|thạo|thành thạo|rành|tinh thông",
    "lãi|lợi nhuận|tiền lãi|tiền lời", "vướng|vướng mắc|bị vướng|gặp vướng mắc", "hứa|cam kết|hứa hẹn|cam đoan",
)
# Each phrase as (accent-free words, words as written).
_KINDS = tuple(tuple((tuple(fold(p).split()), tuple(canonical_tones(p).split())) for p in kind.split("|"))
               for kind in KINDS)

# The last word of each phrase of a kind, accent-free.
_LAST_WORDS = tuple(frozenset(folded[-1] for folded, _written in kind) for kind in _KINDS)

_TITLES = frozenset(title for title in PERSON_TITLES if "_" not in title)
TYPO_MIN_LETTERS = 3
# A word seen in at most this many reference passages may be a misspelling of a word one letter
# away that is at least `TYPO_RATIO` times as common ("Hằg" of "Hằng").
TYPO_MAX_REFERENCE_DF, TYPO_RATIO = 20, 100


def _same(folded: Sequence[str], written: Sequence[str], phrase: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """Whether words (accent-free and as written) are `phrase`: as written where a word has accents."""
    return tuple(folded) == phrase[0] and all(w == f or w == p for w, f, p in zip(written, folded, phrase[1]))


@lru_cache(maxsize=8192)
def kind_at(folded: tuple[str, ...], written: tuple[str, ...], end: int) -> int | None:
    """`_kind_at`, cached: a question's words are read again for every sentence."""
    return _kind_at(folded, written, end)


def _kind_at(folded: Sequence[str], written: Sequence[str], end: int) -> int | None:
    """The kind (`KINDS`) of the verb phrase of the words (accent-free and as written) that ends at
    index `end`, None if none does."""
    for index, kind in enumerate(_KINDS):
        for phrase in kind:
            start = end + 1 - len(phrase[0])
            if start >= 0 and _same(folded[start:end + 1], written[start:end + 1], phrase):
                return index
    return None


def kind_ends(kind: int, words: Sequence[Word]) -> list[int]:
    """Where in a sentence's `words` a verb phrase of `kind` ends."""
    folded, written = [w.folded for w in words], [w.written for w in words]
    last = _LAST_WORDS[kind]  # only where a phrase of the kind may end is it looked for
    return [i for i in range(len(words)) if folded[i] in last and _kind_at(folded, written, i) == kind]


@lru_cache(maxsize=65536)
def _deletions(word: str) -> frozenset[str]:
    """`word` and every word one letter shorter: two words one letter apart (inserted, removed or
    changed) share one of these."""
    return frozenset({word} | {word[:i] + word[i + 1:] for i in range(len(word))})


@dataclass(frozen=True)
class Equivalents:
    """For one question, the other wordings of its content words (built by `equivalents`)."""

    abbreviations: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = ()  # (words covered, accent-free phrase)
    kinds: tuple[tuple[frozenset[str], int], ...] = ()  # (words covered, kind of verb)
    titles: tuple[tuple[str, str], ...] = ()  # (a title, the name's first word after it)
    rare: tuple[tuple[str, int], ...] = ()  # words that may be misspelt, with their reference frequency

    def __bool__(self) -> bool:
        return bool(self.abbreviations or self.kinds or self.titles or self.rare)

    def said(self, missing: Collection[str], text: str) -> set[str]:
        """The `missing` question words a `text` (a sentence, a passage) says otherwise."""
        missing = set(missing)
        if not missing:
            return set()
        forms = _forms(text)
        found: set[str] = set()
        for covered, phrase in self.abbreviations:
            if covered & missing and f" {' '.join(phrase)} " in forms.joined:
                found |= covered
        wanted = {kind for covered, kind in self.kinds if covered & missing}
        if wanted:
            said_kinds = {kind for kind in wanted if forms.says(_KINDS[kind])}
            found |= {word for covered, kind in self.kinds if kind in said_kinds for word in covered}
        found |= {title for title, name in self.titles if name in forms.present}
        for word, frequency in self.rare:
            if word in missing and any(other != word and reference_df("~" + other) >= TYPO_RATIO * max(1, frequency)
                                       for other in forms.near(word)):
                found.add(word)
        return found & missing


@dataclass(frozen=True)
class _Forms:
    """A text's words as `Equivalents.said` looks them up: accent-free (`present`, `joined` with a
    space around each), and single words and pairs accent-free with as written (`ones`, `twos`)."""

    present: frozenset[str]
    joined: str
    ones: frozenset[tuple[str, str]]
    twos: frozenset[tuple[str, str, str, str]]
    shorter: dict[str, frozenset[str]]  # each word of `TYPO_MIN_LETTERS` or more and those one letter shorter -> words

    def near(self, word: str) -> set[str]:
        """The words of the text one letter away from `word` (inserted, removed, changed, or two
        swapped), and `word` itself when the text has it."""
        return set().union(*(self.shorter.get(variant, ()) for variant in _deletions(word)))

    def says(self, phrases: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]) -> bool:
        """Whether the text holds one of `phrases` (accent-free and as written, `_same`)."""
        for folded, written in phrases:
            if len(folded) == 1:
                if (folded[0], folded[0]) in self.ones or (folded[0], written[0]) in self.ones:
                    return True
            elif any((folded[0], folded[1], first, second) in self.twos
                     for first in (folded[0], written[0]) for second in (folded[1], written[1])):
                return True
        return False


@lru_cache(maxsize=8192)
def _forms(text: str) -> _Forms:
    words = sentence_words(text)
    folded = [w.folded for w in words]
    shorter: dict[str, set[str]] = {}
    for word in set(folded):
        if len(word) >= TYPO_MIN_LETTERS:
            for variant in _deletions(word):
                shorter.setdefault(variant, set()).add(word)
    return _Forms(frozenset(folded), f" {' '.join(folded)} ", frozenset((w.folded, w.written) for w in words),
                  frozenset((a.folded, b.folded, a.written, b.written) for a, b in zip(words, words[1:])),
                  {variant: frozenset(words) for variant, words in shorter.items()})


@lru_cache(maxsize=2048)
def equivalents(folded: tuple[str, ...], written: tuple[str, ...] | None, content: frozenset[str]) -> Equivalents:
    """The `Equivalents` of a question given as its words (accent-free; as written when it has
    accents) and its content words."""
    written = written or folded
    question = f" {' '.join(folded)} "
    abbreviations = []
    for short, longs in ABBREVIATIONS.items():
        for long in longs.split("|"):
            if short in content:
                abbreviations.append((frozenset({short}), tuple(long.split())))
            if f" {long} " in question and content & set(long.split()):
                abbreviations.append((frozenset(content & set(long.split())), (short,)))
    kinds = []
    for end in range(len(folded)):
        kind = kind_at(folded, written, end)
        if kind is not None:
            start = next(end + 1 - len(p[0]) for p in _KINDS[kind]
                         if end + 1 >= len(p[0]) and _same(folded[end + 1 - len(p[0]):end + 1],
                                                           written[end + 1 - len(p[0]):end + 1], p))
            covered = frozenset(folded[start:end + 1]) & content
            if covered:
                kinds.append((covered, kind))
    titles = tuple((word, following) for word, following in zip(folded, folded[1:])
                   if word in _TITLES and word in content)
    frequencies = {word: reference_df("~" + word) for word in content}
    rare = tuple((word, frequency) for word, frequency in frequencies.items()
                 if len(word) >= TYPO_MIN_LETTERS and not word.isdigit() and frequency <= TYPO_MAX_REFERENCE_DF)
    return Equivalents(tuple(abbreviations), tuple(kinds), titles, rare)
