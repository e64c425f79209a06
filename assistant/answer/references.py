"""References: the people and places a follow-up's pronouns point at in the earlier turns of a
conversation, their questions and their answers ("bà ấy" → the woman an answer named, "phường đó" →
the ward it spoke of, "họ" → the people it counted). Things ("khu đất đó", "điều đó"):
`answer.demonstratives`."""

from __future__ import annotations

from typing import Sequence

from ..results import RELATED
from ..text.mentions import (
    LOCATIVE_PRONOUNS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLACE_KINDS,
    PLACE_PRONOUNS,
    ROLE_QUESTIONS,
    entities,
    is_capitalised,
    matched_words,
    phrase_at,
    splice,
    words_of,
)
from ..text.names import PERSON_TITLES as PERSON_TITLE_WORDS
from ..text.normalize import bare_among_accents, fold, has_diacritics
from ..text.questions import PERSON, question_form
from ..text.spans import PERSON as PERSON_SPAN
from ..text.spans import PLACE as PLACE_SPAN
from ..text.spans import sentence_words, typed_spans
from ..text.words import SURNAMES
from .turns import Turn


def _people(turn: Turn, doubtful: bool = False) -> list[str]:
    """The people a turn named, most salient last: in its answer sentence, in its question, and its
    short answer when the question asked for a person."""
    # The subject of the answer sentence (its first person) is the likeliest referent; a sentence shown
    # only as related may be about someone else (read only when `doubtful` allows it).
    names = [turn.sentence[s.start:s.end] for s in typed_spans(turn.sentence)
             if s.kind == PERSON_SPAN][::-1] if turn.status != RELATED or doubtful else []
    names += [turn.standalone[e.name_start:e.end] for e in entities(turn.standalone) if e.category == "person"]
    # The short answer to "who": the likeliest of all, when it is a person's name (not "TPHCM"), as the
    # sentence names it or, quoted from before the sentence (the one who said it), on its own.
    short = turn.short_answer
    written = turn.sentence if short and short in turn.sentence else short
    if short and question_form(turn.standalone).kind == PERSON and \
            any(s.kind == PERSON_SPAN and written[s.start:s.end] == short for s in typed_spans(written)):
        names.append(short)
    ordered: list[str] = []
    for name in names:
        if name in ordered:
            ordered.remove(name)
        ordered.append(name)
    return ordered


def _in_order(names: list[str], turn: Turn) -> list[str]:
    """`names` in the order the turn wrote them (its question first, then its answer sentence)."""
    text = f"{turn.standalone} {turn.sentence}"
    return sorted(names, key=lambda name: text.find(name))


def _sentence_places(sentence: str) -> list[str]:
    return [sentence[s.start:s.end] for s in typed_spans(sentence) if s.kind == PLACE_SPAN and " " in sentence[s.start:s.end]]


def _bare_places(text: str) -> list[str]:
    """Names that may be places written without their kind word ("Phú Thuận còn kiến nghị…"): for
    "phường đó", any capitalised name but a Vietnamese person's (a surname first) or a titled one."""
    kinds = {fold(kind) for kind in PLACE_KINDS}
    words = sentence_words(text)
    found = []
    for span in typed_spans(text):
        name = text[span.start:span.end]
        if any(fold(name).startswith(kind + " ") for kind in kinds) or span.kind not in (PLACE_SPAN, PERSON_SPAN, "name"):
            continue
        titled = span.first_word > 0 and words[span.first_word - 1].folded in PERSON_TITLE_WORDS
        if span.kind == PLACE_SPAN or (words[span.first_word].folded not in SURNAMES and not titled):
            found.append(name)
    return found


def _after_locative(text: str, name: str) -> bool:
    before = text[:text.find(name)].split()
    return bool(before) and fold(before[-1]) in ("o", "tai")


def _woman(name: str, turn: Turn) -> bool | None:
    """Whether `name` is a woman's (a "Thị" middle name, or "bà"/"chị"/"cô" before it), a man's
    ("ông"/"anh" before it), or unknown."""
    if " thi " in f" {fold(name)} ":
        return True
    for text in (turn.sentence, turn.standalone):
        before = text[:text.find(name)] if name in text else ""
        title = fold(before.split()[-1]) if before.split() else ""
        if title in ("ba", "chi", "co"):
            return True
        if title in ("ong", "anh"):
            return False
    return None


def _referent(category: str, kind: str | None, turns: Sequence[Turn], plural: bool = False,
              title: str = "") -> str | None:
    """`_named_before`; for a person nobody named for sure, the one a sentence shown as related was
    about ("ông ấy" after "Ai tuyên bố thắng cử?" with the sentence naming Moon Jae-in, unsure); for
    "ở đó" with no place named for sure, the latest name an earlier question wrote that may be one
    ("Afghanistan" of "Tuyết dày khiến chính phủ Afghanistan phải làm gì?")."""
    found = _named_before(category, kind, turns, plural, title)
    if found is None and category == "person":
        found = _named_before(category, kind, turns, plural, title, doubtful=True)
    if found is None and category == "place" and not kind:
        found = next((names[-1] for turn in reversed(turns) if turn.relevant
                      and (names := _bare_places(turn.standalone))), None)
    return found


def _named_before(category: str, kind: str | None, turns: Sequence[Turn], plural: bool = False,
                  title: str = "", doubtful: bool = False) -> str | None:
    """The most recent place (of `kind` when given) or person the earlier turns named, in their
    questions or answers; a person of the gender the pronoun's `title` says when one is known
    ("bà ấy": not "Trần Chí Dũng"); for a person, the role asked about when no name was given."""
    wants_woman = True if fold(title) in ("ba", "chi", "co") else False if fold(title) in ("ong", "anh") else None
    # A person the conversation already calls by another title is not the one meant: "em ấy" after
    # "chị ấy" (the mother) is still the boy "em ấy" was before.
    called = _called(turns) if fold(title) in _KIN_TITLES else {}
    for turn in reversed(turns):
        if not turn.relevant:
            continue
        if category == "place":
            found = [turn.standalone[e.start:e.end] for e in entities(turn.standalone) if e.category == "place"]
            # "ở đó" after "… bị bỏ ở Nội Bài …?": a name the question put after "ở" or "tại".
            found += [name for name in _bare_places(turn.standalone) if _after_locative(turn.standalone, name)] \
                if not kind else []
            found += _sentence_places(turn.sentence)  # written with capitals: read strictly
            same_kind = [p for p in found if fold(p).startswith(fold(kind or "") + " ")] if kind else found
            if same_kind or (found and not kind):
                return (same_kind or found)[0]
            # "Phú Thuận" named without its kind: "phường đó" is "phường Phú Thuận"; a name of one word
            # only where the question put it after "ở" or "tại" ("tỉnh đó" after "… ở Nuristan?").
            bare = [name for name in _bare_places(turn.standalone) + _bare_places(turn.sentence)
                    if " " in name or _after_locative(turn.standalone, name)]
            if kind and bare:
                return f"{kind} {bare[0]}"
            continue
        counted = _people_counted(turn) if plural else None
        if counted:  # "Họ có an toàn không?" after "Trên tàu có bao nhiêu thuyền viên?": the crew counted
            return counted
        names = [n for n in _people(turn, doubtful) if called.get(fold(n), fold(title)) == fold(title)]
        if wants_woman is not None:  # known to be of the gender asked first, then unknown ones
            names = [n for n in names if _woman(n, turn) is None] + [n for n in names if _woman(n, turn) is wants_woman]
        if names:
            if plural and turn.short_answer and question_form(turn.standalone).kind == PERSON:
                return turn.short_answer  # "Hai đối thủ là ai?" → "Hong Joon Pyo và Ahn Cheol Soo"
            if plural:
                ordered = _in_order(names[-3:], turn)
                return " và ".join([", ".join(ordered[:-1]), ordered[-1]] if len(ordered) > 2 else ordered)
            return names[-1]
        role = matched_words(turn.standalone, ROLE_QUESTIONS)
        if role:
            return turn.standalone[role[0].start():role[-1].end()]
    return None


def _people_counted(turn: Turn) -> str | None:
    """"các thuyền viên" when a turn asked how many people of a kind ("bao nhiêu thuyền viên") and was
    answered; None otherwise."""
    form = question_form(turn.standalone)
    words = words_of(turn.standalone)
    if not turn.short_answer or form.unit != "people" or not form.counted or len(words) != len(form.words):
        return None
    noun = words[form.ask[1]:form.ask[1] + len(form.counted)]
    # "các người" says "you people": "họ" after "mấy người" is left to the names the answer gave
    return "các " + turn.standalone[noun[0].start():noun[-1].end()] if form.counted != ("nguoi",) else None


# The titles a person is called by ("chị ấy", "em ấy"), which stay theirs through a conversation.
_KIN_TITLES = frozenset(fold(w) for w in "ông bà anh chị cô em cậu".split())


def _called(turns: Sequence[Turn]) -> dict[str, str]:
    """The people earlier questions called by a pronoun, accent-free, each with the pronoun's title
    ("luu thi chau": "chi" after "chị ấy bao nhiêu tuổi" became "chị Lưu Thị Châu bao nhiêu tuổi")."""
    called = {}
    for turn in turns:
        words = words_of(turn.question)
        titles = {fold(words[i].group()) for i in range(len(words)) if phrase_at(words, i, PERSON_PRONOUNS)}
        if len(titles & _KIN_TITLES) != 1 or turn.standalone == turn.question:
            continue
        asked = fold(turn.question)
        for entity in entities(turn.standalone):
            name = fold(turn.standalone[entity.name_start:entity.end])
            if entity.category == "person" and name not in asked:
                called[name] = next(iter(titles & _KIN_TITLES))
    return called


def resolve_pronouns(question: str, turns: Sequence[Turn]) -> str:
    """Replace "ông ấy", "phường đó", "ở đó", "họ"... by what they refer to in earlier turns."""
    words, replacements, index = words_of(question), [], 0
    pronouns = [(words[i].start(), words[i + hit[1] - 1].end()) for i in range(len(words))
                if (hit := phrase_at(words, i, PLACE_PRONOUNS + LOCATIVE_PRONOUNS + PERSON_PRONOUNS))]
    # What the question names itself ("anh ta" is no "Tạ Thắng"): a pronoun referring to it is left alone.
    own = {e.category for e in entities(question) if not any(s <= e.start < t or e.start <= s < e.end
                                                              for s, t in pronouns)}
    while index < len(words):
        hit = phrase_at(words, index, PLACE_PRONOUNS + LOCATIVE_PRONOUNS + PERSON_PRONOUNS)
        word = words[index].group()
        # "họ" (they), not "bao nhiêu hộ" typed without accents and restored as "họ"
        counted = index and fold(words[index - 1].group()) in ("nhieu", "may", "cac", "nhung") \
            or index and words[index - 1].group().isdigit()
        if hit is None and word.lower() == "họ" and not counted and not phrase_at(words, index + 1, ("tên", "và tên")):
            hit = ("họ", 1)
        if hit is None:
            index += 1
            continue
        phrase, width = hit
        start, end = words[index].start(), words[index + width - 1].end()
        category = "place" if phrase in PLACE_PRONOUNS + LOCATIVE_PRONOUNS else "person"
        if category == "place" and bare_among_accents(word, question) and has_diacritics(phrase):
            index += 1  # "Cơ quan này": typed with accents elsewhere, this "quan" is no "quận"
            continue
        head = phrase.rsplit(" ", 1)[0]
        referent = _referent(category, head if head in PLACE_KINDS else None, turns, plural=phrase == "họ",
                             title=head if category == "person" else "")
        if phrase in LOCATIVE_PRONOUNS:
            start = words[index + 1].start()
        elif category == "person" and referent and head in ("ông", "bà", "anh", "chị", "cô") \
                and fold(words[index].group()) in ("ong", "ba", "anh", "chi", "co") \
                and all(is_capitalised(w) for w in referent.split()):  # "Moon Jae-in" too
            # Keep the title before a name ("bà Nguyễn Thị Mỹ Hằng"), not before a role ("Chủ tịch UBND…").
            start = words[index + 1].start() if width > 1 else start
        elif category == "person" and referent and head in PERSON_NOUNS and all(is_capitalised(w) for w in
                                                                                referent.split()):
            start = words[index + width - 1].start()  # "cầu thủ đó" → "cầu thủ Công Phượng"
        # A pronoun whose referent is named in the question itself is left alone.
        if referent and category not in own:
            replacements.append((start, end, referent))
        index += width
    for start, end, referent in reversed(replacements):
        question = splice(question, start, end, referent)
    return question


# Kinds of place a question's subject may be written without a name ("vậy phường kiến nghị gì?").
_BARE_SUBJECT_KINDS = ("phường", "xã", "quận", "huyện", "tỉnh")
_OPENERS = frozenset(("vay", "the", "con", "va", "cu"))


def resolve_bare_place(question: str, turns: Sequence[Turn]) -> str:
    """"Vậy phường kiến nghị gì?" after a turn about phường Tân Mỹ: the place kind that opens the
    question without a name is that place ("Vậy phường Tân Mỹ kiến nghị gì?")."""
    words = words_of(question)
    index = 0
    while index < len(words) - 1 and fold(words[index].group()) in _OPENERS:
        index += 1
    if index + 1 >= len(words):
        return question
    kind = next((k for k in _BARE_SUBJECT_KINDS if fold(words[index].group()) == fold(k)), None)
    if kind is None or is_capitalised(words[index + 1].group()) or entities(question):
        return question
    referent = _referent("place", kind, turns)
    if referent is None or not fold(referent).startswith(fold(kind) + " "):
        return question
    return splice(question, words[index].start(), words[index].end(), referent)
