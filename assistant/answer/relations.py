"""Relations: whether a span of a sentence stands where the question asks: held by the person in the
role asked, with the same qualifiers ("Bí thư" is not "Phó Bí thư Thường trực"), body ("Chủ
tịch UBND" is not "Chủ tịch HĐND") and place; at the place and with the specifier the question names
("khối A" is not "khối B"). Read accent-free. Amounts and times of the unit asked: `answer.fits`."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from ..text.questions import PLACE_KINDS, QuestionForm, RolePhrase, places, role_phrase
from ..text.questions import STOP as STOP_WORDS
from ..text.sentences import sentence_spans
from ..text.spans import NUMBER as NUMBER_SPAN
from ..text.spans import PERSON as PERSON_SPAN
from ..text.spans import PLACE as PLACE_SPAN
from ..text.spans import ROLE as ROLE_SPAN
from ..text.spans import Span, Word, sentence_words, typed_spans
from ..text.words import PLACE_NAMES, SURNAMES

ROLE_REACH = 12  # words between a person and the role word said of them


PLACE_KIND_WORDS = tuple(sorted((tuple(kind.split()) for kind in PLACE_KINDS), key=len, reverse=True))
_SPECIFIER = re.compile(r"^(?:[a-z]|\d[\d.,/-]*)$")


def distance(span: Span, position: int) -> int:
    if position < span.first_word:
        return span.first_word - position
    if position > span.last_word:
        return position - span.last_word
    return 0


INSIDE_SHARE = 0.5  # of a span's words in the question: it repeats what the question says


def inside_question(span: Span, words: Sequence[Word], form: QuestionForm) -> bool:
    """Whether the span mostly repeats the question's own words: it names nothing new ("Trung tâm
    hành chính đa chức năng" for "Ngoài trung tâm hành chính, phường còn kiến nghị gì?")."""
    # The question phrase's noun ("sở nào") is what the answer names, not a word the question says.
    own = set(form.words[:form.ask[0]] + form.words[form.ask[1]:])
    span_words = [w.folded for w in words[span.first_word:span.last_word + 1]]
    shared = sum(word in own for word in span_words)
    if not span_words or any(word[0].isdigit() and word not in own for word in span_words) \
            or (span.kind == NUMBER_SPAN and span_words[0] not in own):
        return False  # "500 mét", "hai đối thủ" for "bao nhiêu mét", "bao nhiêu đối thủ": the amount is new
    return shared == len(span_words) or (len(span_words) >= 3 and shared >= INSIDE_SHARE * len(span_words))


def names_question_person(span: Span, words: Sequence[Word], form: QuestionForm) -> bool:
    """Whether a person's name shares a word, other than a common surname, with the question, not
    one of a place name the question writes ("Lý Hoàng Nam" is no one "Ai gỡ hòa cho Việt Nam?" names,
    nor "Nguyễn Thị Mỹ Hằng" one "… phường Tân Mỹ?" does)."""
    place_names = PLACE_NAMES | {name for _kind, name in form.places}
    in_places = {i + k for i in range(len(form.words) - 1) for n in (2, 3)
                 if " ".join(form.words[i:i + n]) in place_names for k in range(n)}
    own = {w for i, w in enumerate(form.words) if w in form.content and i not in in_places}
    return any(w.folded in own and w.folded not in SURNAMES for w in words[span.first_word:span.last_word + 1])


def _role_of(words: Sequence[Word], span: Span) -> RolePhrase | None:
    folded = tuple(w.folded for w in words[span.first_word:span.last_word + 1])
    typed = tuple(w.text.lower() for w in words[span.first_word:span.last_word + 1])
    return role_phrase(folded, typed)


def _same_role(asked: RolePhrase, found: RolePhrase, shared_place: tuple[str, str] | None) -> bool:
    """Whether a role in a sentence is the role asked: same head, same "Phó", same "Thường trực",
    no other body ("UBND" for "HĐND"), no other place."""
    if asked.head != found.head or asked.prefix != found.prefix or asked.qualifiers != found.qualifiers:
        return False
    if asked.organ and found.organ and asked.organ != found.organ:
        return False
    place = found.place or shared_place
    return not (asked.place and place and asked.place != place)


# What may stand between a role and its holder's name: "Chủ tịch Tập đoàn Alibaba, tỷ phú Jack Ma".
# "Chủ tịch Hội Nông dân xã Suối Kiết (huyện Tánh Linh) Phan Văn Long": and where the role says it is.
_EPITHET = re.compile(r"[\s,]*(?:\([^()]{0,60}\)\s*)?(?:(?:ông|bà|đồng chí|tỷ phú|tỉ phú|doanh nhân|nhà sáng lập)\s+)?"
                      r"(?:,?\s*(?:GS|PGS|TS|TSKH|ThS|BS|KS|LS)\b\.?\s*)*",  # "(Bộ GD và ĐT), PGS, TS Mai Văn Trinh"
                      re.IGNORECASE)


_AFTER_NAME = re.compile(r"\s*(?:,|-|–)\s*(?:(?:ông|bà|đồng chí|là)\s+)?")  # "X, Phó Bí thư …", "X - Tổng Cục trưởng …"


def _role_chain(spans: Sequence[Span], person: Span, sentence: str) -> list[Span]:
    """The roles said of `person`: right before the name ("Bí thư … Trần Chí Dũng"), or listed after
    it between commas ("Nguyễn Thị Bé Ngoan, Phó Bí thư Đảng ủy, Chủ tịch UBND phường Tân Mỹ")."""
    roles = sorted((s for s in spans if s.kind == ROLE_SPAN), key=lambda s: s.start)
    chain = [r for r in roles if r.end <= person.start and _EPITHET.fullmatch(sentence[r.end:person.start])]
    end = person.end
    for role in roles:
        if role.start >= end and _AFTER_NAME.fullmatch(sentence[end:role.start]):
            chain.append(role)
            end = role.end
    return chain


def _chain_place(words: Sequence[Word], chain: list[Span]) -> tuple[str, str] | None:
    for role in chain:
        folded = tuple(w.folded for w in words[role.first_word:role.last_word + 1])
        found = places(folded)
        if found:
            return found[0]
    return None


def role_holders(persons: list[Span], spans: list[Span], words: Sequence[Word], sentence: str,
                  asked: RolePhrase) -> tuple[list[Span], list[str]]:
    """The people of `persons` who hold the role asked: the role's head word stands near them ("do
    X làm tổ trưởng") and no role said of them has it with another qualifier, body or place
    ("Phó Bí thư Thường trực" or "Bí thư Đảng ủy phường Tân Mỹ" for "Bí thư Đảng ủy phường Phú
    Thuận")."""
    kept, refused = [], []
    head = asked.head
    heads = [i for i in range(len(words)) if tuple(w.folded for w in words[i:i + len(head)]) == head]
    for person in persons:
        chain = _role_chain(spans, person, sentence)
        # Near the person, or the roles listed after the name: "X, Ủy viên …, Trưởng Ban …, làm tổ trưởng"
        reach = Span(min([person.start] + [r.start for r in chain]), max([person.end] + [r.end for r in chain]),
                     person.kind, "", min([person.first_word] + [r.first_word for r in chain]),
                     max([person.last_word] + [r.last_word for r in chain]))
        if not any(abs(distance(reach, i)) <= ROLE_REACH for i in heads):
            continue  # the role asked is not said of anyone near this person
        if not chain:
            kept.append(person)
            continue
        shared = _chain_place(words, chain)
        roles = [r for r in (_role_of(words, span) for span in chain) if r is not None]
        if any(_same_role(asked, role, shared) for role in roles):
            kept.append(person)
        elif any(role.head == asked.head for role in roles):
            refused.append("role")  # said to hold the role asked, but with another qualifier or place
        else:
            kept.append(person)  # other roles: the words around it decide ("do X làm tổ trưởng")
    return kept, refused


def deputies(persons: list[Span], spans: list[Span], words: Sequence[Word], sentence: str) -> list[Span]:
    """The people of `persons` said to be deputies ("Phó Bí thư …", "Phó Chủ tịch …"): none of
    them is the one "đứng đầu" (at the head)."""
    found = []
    for person in persons:
        roles = [_role_of(words, span) for span in _role_chain(spans, person, sentence)]
        if roles and all(role is not None and role.prefix for role in roles):
            found.append(person)
    return found


def role_answer(spans: Sequence[Span], words: Sequence[Word], sentence: str, form: QuestionForm) -> list[Span]:
    """For "X giữ chức vụ gì": the roles said of the person the question names."""
    persons = [s for s in spans if s.kind == PERSON_SPAN and inside_question(s, words, form)]
    answers = []
    for person in persons:
        chain = _role_chain(spans, person, sentence)
        if chain:
            answers.append(Span(chain[0].start, chain[-1].end, ROLE_SPAN, "", chain[0].first_word, chain[-1].last_word))
    return answers


def specifiers_in(words: Sequence[Word]) -> frozenset[tuple[str, str]]:
    """The things a sentence names with a specifier: "khối B" → ("khoi", "b"), "tuyến metro số 2"
    → ("metro", "2") ("số" is skipped); but the one it sets its own against ("Khác với Nokia 6, Nokia
    5 …" is about "Nokia 5")."""
    folded = [w.folded for w in words]
    contrasted: set[int] = set()  # the words of a name after "khác với", up to its specifier
    for start in range(len(folded) - 1):
        if tuple(folded[start:start + 2]) in _CONTRASTS:
            end = next((i for i in range(start + 2, min(len(folded), start + 2 + CONTRAST_REACH))
                        if _SPECIFIER.match(folded[i])), start + 1)
            contrasted.update(range(start + 2, end + 1))
    folded = [word for i, word in enumerate(folded) if word != "so" and i not in contrasted]
    return frozenset((a, b) for a, b in zip(folded, folded[1:]) if _SPECIFIER.match(b) and not _SPECIFIER.match(a))


_CONTRASTS = frozenset((("khac", "voi"), ("khong", "nhu"), ("khong", "giong"), ("thay", "vi"), ("trai", "voi")))
CONTRAST_REACH = 3  # words: a specifier this far after "khác với" is the name's


_KINDS_BY_FIRST_WORD: dict[str, list[tuple[str, ...]]] = {}
for _kind in PLACE_KIND_WORDS:
    _KINDS_BY_FIRST_WORD.setdefault(_kind[0], []).append(_kind)


def places_in(words: Sequence[Word]) -> tuple[tuple[str, str], ...]:
    """The places a sentence names by a kind word and a capitalised name or a number ("phường Phú
    Thuận" → ("phuong", "phu thuan"), "phường 5"), accent-free."""
    found = []
    for index, first in enumerate(words):
        if first.acronym:  # "Ảnh: AP Ông Moon …": the news agency, no "ấp"
            continue
        for kind in _KINDS_BY_FIRST_WORD.get(first.folded, ()):
            if tuple(w.folded for w in words[index:index + len(kind)]) != kind:
                continue
            name = []
            for word in words[index + len(kind):index + len(kind) + 3]:
                if not (word.capitalised or word.folded.isdigit()) or (name and word.folded.isdigit()):
                    break
                name.append(word.folded)
            if name:
                found.append((" ".join(kind), " ".join(name[:2])))
            break
    return tuple(found)


# A quality and its opposite name two things, as written: "áp suất thấp" is not "áp suất cao".
_OPPOSITES = {first: second for pair in ("cao thấp", "lớn nhỏ", "tăng giảm", "nóng lạnh", "dài ngắn")
              for first, second in (pair.split(), pair.split()[::-1])}


def qualities_in(words: Sequence[Word]) -> frozenset[tuple[str, str]]:
    """The things a sentence names with a quality that has an opposite: "áp suất cao" → ("suat", "cao")."""
    return frozenset((noun.folded, quality.written) for noun, quality in zip(words, words[1:])
                     if quality.written in _OPPOSITES and noun.folded not in STOP_WORDS)


def _by_noun(pairs: frozenset[tuple[str, str]]) -> dict[str, set[str]]:
    """("khoi", "a"), ("khoi", "b") → {"khoi": {"a", "b"}}."""
    grouped: dict[str, set[str]] = {}
    for noun, word in pairs:
        grouped.setdefault(noun, set()).add(word)
    return grouped


_Named = tuple[tuple[tuple[str, str], ...], frozenset[tuple[str, str]], frozenset[tuple[str, str]]]


@lru_cache(maxsize=16384)
def _named(sentence: str) -> _Named:
    """A sentence's places, specifiers and qualities (`places_in`, `specifiers_in`, `qualities_in`)."""
    words = sentence_words(sentence)
    return places_in(words), specifiers_in(words), qualities_in(words)


_TIME_NOUNS = ("nam", "thang", "ngay", "quy", "tuan")


class Context:
    """What the text before a sentence has named, for a sentence that does not say it again
    ("Phường kiến nghị …" after a paragraph about "phường Phú Thuận"): the last place of each
    kind and the specifiers of each thing."""

    def __init__(self) -> None:
        self.places: dict[str, list[str]] = {}
        self.specifiers: dict[str, set[str]] = {}
        self.known: dict[str, str] = {}  # every place name read so far -> its kind
        self.qualities: dict[str, set[str]] = {}

    def read(self, sentence: str) -> None:
        """Take in a sentence (or a title): the places, specifiers and qualities it names replace the
        earlier ones."""
        places, specifiers, qualities = _named(sentence)
        named_places: dict[str, list[str]] = {}
        for kind, name in places:
            named_places.setdefault(kind, []).append(name)
            self.known[name] = kind
        self.places.update(named_places)
        for noun in _TIME_NOUNS:  # a year holds for its own sentence: "những năm 1620" is over by the next
            self.specifiers.pop(noun, None)
        self.specifiers.update(_by_noun(specifiers))
        self.qualities.update(_by_noun(qualities))

    def other_place(self, form: QuestionForm) -> bool:
        """Whether the places in effect are of a kind the question names, and none is the one it
        names ("phường Phú Thuận" for a question about "phường Tân Mỹ")."""
        # A place the question names without its kind ("Tân Mỹ đề xuất …") that the text named with one.
        bare = [(self.known[name], name) for name in _word_pairs(form) if name in self.known]
        for kind, name in list(form.places) + bare:
            same_kind = self.places.get(kind, [])
            if same_kind and not any(n.startswith(name) or name.startswith(n) for n in same_kind):
                return True
        return False

    def other_specifier(self, form: QuestionForm) -> bool:
        """Whether the thing the question specifies is named with other specifiers only: "khối B"
        for "khối A", "tuyến số 2" for "tuyến số 1", "Nokia 6" for "Nokia 3"."""
        for noun, specifier in _specified(form):
            others = self.specifiers.get(noun)
            if others and specifier not in others:
                return True
        for noun, quality in _qualities(form):  # "áp suất cao" for "áp suất thấp"
            said = self.qualities.get(noun, set())
            if _OPPOSITES[quality] in said and quality not in said:
                return True
        return False


@lru_cache(maxsize=256)
def _word_pairs(form: QuestionForm) -> tuple[str, ...]:
    return tuple(" ".join(form.words[i:i + 2]) for i in range(form.besides, len(form.words)))


@lru_cache(maxsize=256)
def _specified(form: QuestionForm) -> tuple[tuple[str, str], ...]:
    """The things the question names with a specifier ("khối A" → ("khoi", "a"))."""
    # A letter written with an accent is a word ("Đinh Dậu ở TP.HCM": "ở" is no "khối O").
    written = form.written or form.words
    asked = [w for w, as_written in zip(form.words, written) if w != "so" and (len(w) > 1 or w == as_written)]
    return tuple((noun, specifier) for noun, specifier in zip(asked, asked[1:])
                 if noun not in STOP_WORDS and _SPECIFIER.match(specifier) and not _SPECIFIER.match(noun))


@lru_cache(maxsize=256)
def _qualities(form: QuestionForm) -> tuple[tuple[str, str], ...]:
    """The things the question names with a quality that has an opposite, when it has accents."""
    if not form.written:
        return ()
    return tuple((noun, quality) for noun, quality in zip(form.words, form.written[1:])
                 if quality in _OPPOSITES and noun not in STOP_WORDS)


# Words before a kind of place that make it any place of that kind, not the one the text is about
# ("các phường", "mỗi phường").
_ANY_OF_KIND = frozenset("cac nhung moi tung nhieu hai ba 2 3 cung".split())


def kind_alone_at(words: Sequence[Word], kind: str) -> int | None:
    """Where a sentence names a place by its kind alone, as a subject: "Phường kiến nghị …", "… và
    phường đã làm việc với …" (the place the text is about); None where it does not."""
    return next((index for index, word in enumerate(words)
                 if word.folded == kind and not (index + 1 < len(words) and words[index + 1].capitalised)
                 and (index == 0 or words[index - 1].folded in ("va", "thi") or words[index - 1].text in (",", ";"))
                 and not (index and words[index - 1].folded in _ANY_OF_KIND)), None)


def last_named(text: str, kind: str) -> tuple[int, int] | None:
    """Where `text` last names a place of `kind` (accent-free, "phuong") with its kind word: "phường
    Phú Thuận" (offsets in `text`)."""
    for start, end in reversed(sentence_spans(text)):
        sentence = text[start:end]
        words = sentence_words(sentence)
        named = [s for s in typed_spans(sentence) if s.kind == PLACE_SPAN and words[s.first_word].folded == kind
                 and not words[s.first_word].capitalised]
        if named:
            return start + named[-1].start, start + named[-1].end
    return None
