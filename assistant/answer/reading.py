"""Reading: find, in the sentences of the top passages, the one that answers and the words in it that
do (the short answer), checked against what the question says about the answer.

Model-free. A question asking for a thing (`text.questions`) is answered by a span of that kind
(`text.spans`) standing where the question's own words stand in the sentence: near them, in the
role it names with the same qualifiers ("Bí thư" is not "Phó Bí thư"), at the place it names
("phường Tân Mỹ", not "phường Phú Thuận"), counting what it counts. Everything is read
accent-free, so a question typed with or without diacritics reads the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

from ..results import Passage, Reading
from ..search.coverage import holds_type
from ..text.answer_types import asked_type
from ..text.equivalents import equivalents
from ..text.normalize import has_diacritics, strip_word_diacritics
from ..text.people import people, with_roles
from ..text.questions import NUMBER, ORGANIZATION, PERSON, PLACE, PLACE_KINDS, question_form
from ..text.reference import reference_idf
from ..text.sentences import sentence_spans
from ..text.spans import Span, Word, sentence_words
from ..text.terms import FOLDED
from ..text.units import MEASURE_WORDS, UNIT_CUE_WORDS, find_phrase
from .candidates import SLOT, candidates
from .clauses import anchor_positions
from .relations import Context, distance, kind_alone_at, last_named
from .shares import missing_share, question_pairs, question_words, spread_weights, text_pairs, text_words

PASSAGES_READ = 3  # the evidence is in the top three passages for 97-99 % of natural questions
CONTEXT_CHARS = 1500  # of a document before a passage, read for the places and people it names
# How a sentence is chosen among the top passages' (`read`).
# Chosen on the fit halves of the natural and factoid questions and the even XQuAD questions
# (top passage holding the evidence, XQuAD Recall@1 and its answer in the quoted sentence).
PAIR_WEIGHT, TYPE_WEIGHT, NEAR_WEIGHT, FOUND_WEIGHT, RANK_WEIGHT = 0.5, 0.2, 0.3, 0.15, 0.6
# A passage less than this many fused z-score units behind the first loses only that share of RANK_WEIGHT
# (nearly tied, the rank says little). Fit halves, +30 / +300 articles: the top passage held the evidence
# for 0.964 / 0.927 of factoid questions (0.955 / 0.909 by rank), 0.841 of natural ones with 300 (0.829).
GAP_UNIT = 1.0
# A sentence whose place or organisation is of the kind the question names ("sở nào": a "Sở …") gains
# this much. Fit halves, +30 / +300 articles: factoid short-answer F1 0.774 / 0.763 without, 0.787 / 0.777
# with 0.1 (0.787 / 0.774 with 0.2); XQuAD Recall@1 unchanged.
FITS_WEIGHT = 0.1
# A sentence that says the role asked with another qualifier, or counts something else, positively
# does not answer ("Phó Bí thư Thường trực …" for "Ai là Bí thư …?").
REFUSED_WEIGHT = 1.0
SLOT_REACH = 4  # words
SECOND_SENTENCE_RATIO = 0.9  # a second sentence is highlighted too when it scores this share of the best
WINDOW = 3.0  # words: a question word this far from a span counts half as much
ACCENTED_SHARE = 0.5  # of a question's words with accents, for its words without to be read as typed
# A question word the sentence before says (in the same paragraph) counts this much for a sentence
# that does not: a paragraph keeps its topic ("… trồng xoài …" before "… với giá bán …"). With 0.3,
# the quoted sentence held the evidence for 0.90 of the fit half's factoid questions with 30
# articles, 0.88 without, and 0.79 of the test half's natural ones, 0.78 without.
TOPIC_WEIGHT = 0.3

# Words that say what kind of answer is asked ("giữ chức vụ gì", "tên là gì"): an answer of that kind
# seldom repeats them.
_TYPE_CUE_WORDS = frozenset("giu chuc vu danh cuong vi ten goi nguoi".split())


def _near(span: Span, words: Sequence[Word], matched: list[int], content: dict[str, float]) -> float:
    """The share of the question's word weight found near `span`, each word counted once at its
    nearest occurrence."""
    total = sum(content.values()) or 1.0
    best: dict[str, float] = {}
    for position in matched:
        word = words[position].folded
        closeness = 1.0 / (1.0 + max(0, distance(span, position) - 1) / WINDOW)
        best[word] = max(best.get(word, 0.0), closeness)
    return sum(content[word] * closeness for word, closeness in best.items()) / total


@dataclass(frozen=True)
class SentenceReading:
    """How one sentence of a passage answers (document offsets): its score, its short answer."""

    sentence: tuple[int, int]
    short: tuple[int, int] | None
    found: bool
    score: float  # spread-weighted share of the question's words, its pairs, words near the answer
    words: float
    near: float
    pairs: float
    slot: float = 0.0  # share of the question's words next to its question word that stand near the answer
    carried: frozenset[str] = frozenset()  # question words said of the person the sentence is about
    own: float = 0.0  # share of the question's words the sentence itself says (not its title): breaks ties


@dataclass
class PassageReading:
    """The sentences of one passage, read; whether any held a span of the kind asked; why spans were refused."""

    sentences: list[SentenceReading]
    typed: bool
    refused: list[str]

    @property
    def best(self) -> SentenceReading | None:
        return max(self.sentences, key=lambda s: (s.score, s.own), default=None)


class Reader:
    """Reads passages for one question: the one sentence scorer that ranks passages by their best
    sentence, highlights, and chooses the quotation and its short answer.

    Args:
        question: the question (cleaned).
        archive_idf: the archive's IDF of accent-free terms (`LexicalSearch.idf`): which sentence of a
            passage answers is told by the words that are rare in this archive.
        document: the full text of a document by its id: the places, specifiers and people named
            before a passage hold for its sentences that do not name their own.
        carried: the question's words (accent-free) that a follow-up carried in from earlier turns
            ("anh Châu Văn Cường" for "anh ấy"): what the conversation is about, said by every
            sentence of a passage that says them anywhere (or right before it), as a sentence
            seldom repeats its topic.
    """

    def __init__(self, question: str, archive_idf: Callable[[Sequence[str]], dict[str, float]] | None = None,
                 document: Callable[[str], str] | None = None, carried: frozenset[str] = frozenset()):
        self.form = form = question_form(question)
        self.question, self.asked = question, asked_type(question)
        self.content, self.pairs = question_words(form), question_pairs(form)
        # What a near miss names and the text does not (`_missing`) is told by how rare each word is
        # as the question writes it, when it has accents: "Vạn" and "voi" (elephant) are rare, although
        # "văn" and "với" make their accent-free forms common; and "với" does not say "voi".
        # Only in a question typed with its accents: one typed with few ("Ai la Bi thu phuong Tân Mỹ")
        # may lack them on any word.
        accented = sum(a != w for w, a in zip(form.words, form.written or ())) >= ACCENTED_SHARE * len(form.words)
        self.written = {word: as_written for word, as_written in reversed(list(zip(form.words, form.written or ())))
                        } if accented else {}
        self.rarity = {word: max(weight, reference_idf(self.written[word])) if word in self.written else weight
                       for word, weight in self.content.items()}
        self.choosing = self.content  # the words, weighed in the archive when it can tell
        if archive_idf is not None and self.content:
            idf = archive_idf(tuple(FOLDED + term for term in self.content))
            self.choosing = {term: idf.get(FOLDED + term, weight) for term, weight in self.content.items()}
        self.document = document
        self._read: dict[tuple[str, int, str, str | None], PassageReading] = {}
        # The words right around the question word, but the noun it asks an instance of ("xây công trình
        # gì": "xin xây"): an answer stands next to what they say.
        before = tuple(w for w in form.before if w not in form.focus)
        self.slot_words = {w: self.content[w] for w in before[-2:] + form.after[:2] if w in self.content}
        self.equivalents = equivalents(form.words, form.written, frozenset(self.content))
        # The kind of place a "phường nào" question asks for.
        start, end = form.ask
        asks_kind = form.kind == PLACE and end - start == 2 and form.words[end - 1] == "nao"
        self.place_kind = form.words[start] if asks_kind and form.words[start] in PLACE_KINDS else None
        self.carried = carried & self.content.keys()
        # The words naming the measure asked ("rộng"), said by a sentence that gives one of its kind.
        self.measure = MEASURE_WORDS.get(self.asked.unit, frozenset()) & self.content.keys() \
            if self.asked is not None else frozenset()

    def _asks_who_did(self, matched: list[int]) -> bool:
        """Whether the question asks who did or said something ("Ai kiến nghị …?", no role asked)
        that a sentence says (`matched`: its words that are the question's)."""
        form = self.form
        return form.kind == PERSON and form.ask == (0, 1) and form.role is None and len(matched) >= 2

    def _of_question(self, written: frozenset[str]) -> list[tuple[str, str]]:
        """The words (as written) of a person that are question words, each accent-free and as written, and
        the title the question gives them ("bà" of "Bà Hằng đề nghị …?" for "Đồng chí đề nghị …")."""
        found = [(folded, word) for word in written if (folded := strip_word_diacritics(word)) in self.content]
        return found + [(title, title) for title, name in self.equivalents.titles if any(f == name for f, _w in found)]

    def _says(self, folded: str, written: str) -> bool:
        """Whether a word of a text (accent-free and as written) says the question's word of the same
        letters: as the question writes it when both carry accents ("với" does not say the "voi"
        (elephant) a near miss asks about, nor "sống" "sông")."""
        asked = self.written.get(folded)
        return asked is None or written == asked or not has_diacritics(written)  # "m²" says "m2"

    def _as_written(self, words: tuple[Word, ...]) -> set[str]:
        """The words of a text (accent-free) that say a question word as the question writes it."""
        return {w.folded for w in words if self._says(w.folded, w.written)}

    def _said(self, text: str, found: set[str]) -> set[str]:
        """`found` (the question words a text says) with those it says in other words."""
        if not self.equivalents:
            return found
        return found | self.equivalents.said(self.content.keys() - found, text)

    @staticmethod
    def _subject(sentence: str, document: str) -> frozenset[str] | None:
        """The words of the first person `sentence` names (name and roles), None when it names none."""
        named = people(sentence)
        return with_roles(document, named[0]) if named else None

    def passage(self, text: str, start: int, title: str, document_id: str | None = None) -> PassageReading:
        """The sentences of the passage `text` (at document offset `start`), read."""
        key = (text, start, title, document_id)
        if key not in self._read:
            full = self.document(document_id) if self.document and document_id is not None else ""
            self._read[key] = self._passage(text, start, title, full[max(0, start - CONTEXT_CHARS):start], full)
        return self._read[key]

    def _passage(self, text: str, offset: int, title: str, before: str = "",
                 document: str = "") -> PassageReading:
        form, content, pairs = self.form, self.content, self.pairs
        total, pair_total = sum(content.values()) or 1.0, sum(pairs.values()) or 1.0
        title_words = {w.folded for w in sentence_words(title)}
        title_pairs = text_pairs(title)
        sentences = [(start, end, text[start:end]) for start, end in _sentences(text)]
        spread = spread_weights(self.choosing, [text_words(s) for _s, _e, s in sentences])
        spread_total = sum(spread.values()) or 1.0
        read, typed, refused = [], False, []
        # The places and specifiers named before (the title, the text before the passage) hold for a
        # sentence that does not name its own.
        context = Context()
        # And so does the person named last: "Đồng chí cũng kỳ vọng …" after a sentence naming
        # "đồng chí Nguyễn Thị Mỹ Hằng"; a person named counts with every role the document gives them.
        subject: frozenset[str] = frozenset()
        # What a follow-up carried in from the conversation, where the passage's document says it
        # (the bank an answer named in the lead is what the passages after it are about).
        topic = self.carried & (text_words(text) | title_words | text_words(document or before)) \
            if self.carried else frozenset()
        # The word pairs of what it carried in count as said wherever its words do ("Châu Văn Cường").
        topic_pairs = frozenset(pair for pair in pairs if set(pair.split("_")) <= topic)
        # Where the person named last is written (passage offsets, below 0 before the passage): who
        # said or did what a sentence naming nobody says ("Phường kiến nghị …" after "… Nguyễn Đăng
        # Thoại cho biết …").
        speaker: tuple[int, int] | None = None
        for start, text_before in [(None, title)] + [(s - len(before), before[s:e]) for s, e in _sentences(before)]:
            context.read(text_before)
            subject = self._subject(text_before, document) or subject
            if start is not None:
                speaker = _named_at(text_before, start) or speaker
        # What each sentence says of the question (its words weighed by how rare they are in the
        # archive and how few sentences of the passage have them, its word pairs), whether it holds
        # the kind of thing asked; a sentence of another place or specifier ("phường Phú Thuận" for
        # "phường Tân Mỹ") is read, never the answer.
        said_by = []
        previous_said, previous_end = set(), 0
        for start, end, sentence in sentences:
            words = sentence_words(sentence)
            context.read(sentence)
            matched = [i for i, word in enumerate(words)
                       if word.folded in content and self._says(word.folded, word.written)]
            named = people(sentence)
            about = frozenset().union(*(with_roles(document, p) for p in named)) if named else subject
            subject = with_roles(document, named[0]) if named else subject
            said_by_speaker = None if named else speaker
            speaker = _named_at(sentence, start) or speaker
            asked_about = self._of_question(about)
            typed_here = self.asked is not None and holds_type(self.asked, sentence, self.question)
            said = self._said(sentence, {words[i].folded for i in matched} | (title_words & set(content))) \
                | {folded for folded, _written in asked_about} | topic | (self.measure if typed_here else frozenset())
            # For what is missing, as written (`_as_written`).
            carried = topic | frozenset(folded for folded, written in asked_about if self._says(folded, written))
            said_pairs = text_pairs(sentence) | title_pairs | topic_pairs
            pair_share = sum(weight for pair, weight in pairs.items() if pair in said_pairs) / pair_total
            spread_share = sum(spread[w] for w in said if w in spread) / spread_total
            # The paragraph's topic, said by the sentence before ("… trồng xoài …" before "… giá bán …").
            if TOPIC_WEIGHT and start and "\n" not in text[previous_end:start]:
                topic_share = sum(spread[w] for w in previous_said - said if w in spread) / spread_total
                spread_share += TOPIC_WEIGHT * topic_share
            previous_said, previous_end = said, end
            elsewhere = context.other_place(form) or context.other_specifier(form)
            refused += ["place"] * elsewhere
            base = spread_share + PAIR_WEIGHT * pair_share + TYPE_WEIGHT * typed_here - REFUSED_WEIGHT * elsewhere
            said_by.append((start, end, sentence, words, matched, sum(content[w] for w in said) / total, pair_share,
                            elsewhere, base, carried, said_by_speaker))
        # Then the answer in it, with the relation asked and the words near it: only in the sentences
        # that could still score best (the answer adds at most NEAR_WEIGHT + FOUND_WEIGHT + FITS_WEIGHT).
        bar = max((row[-3] for row in said_by), default=0.0) - NEAR_WEIGHT - FOUND_WEIGHT - FITS_WEIGHT
        for start, end, sentence, words, matched, share, pair_share, elsewhere, base, carried, spoken in said_by:
            short, near, found, why, slot, fits = None, 0.0, False, [], 0.0, False
            if form.kind is not None and not elsewhere and base >= bar:
                found_spans, why = candidates(form, sentence, matched)
                refused += why
                if found_spans:
                    typed = True
                    anchors = anchor_positions(form, words)
                    span, _priority = max(found_spans, key=lambda c: (
                        _near(c[0], words, matched, content) + c[1]
                        + SLOT * any(0 < c[0].first_word - i <= 3 for i in anchors), -(c[0].end - c[0].start)))
                    near = _near(span, words, matched, content)
                    slot = _slot_share(span, words, self.slot_words)
                    short = (offset + start + span.start, offset + start + span.end)
                    found = True
                    fits = form.kind in (PLACE, ORGANIZATION) and bool(form.focus) and find_phrase(
                        tuple(w.folded for w in words[span.first_word:span.last_word + 1]), form.focus) >= 0
                elif spoken is not None and self._asks_who_did(matched):  # "Ai nêu kiến nghị đó?"
                    short, found = (offset + spoken[0], offset + spoken[1]), True
                    # The one speaking stands before the sentence's first word, its subject.
                    near = _near(Span(0, 0, PERSON, "", -1, -1), words, matched, content)
                # "Phường nào kiến nghị …?" of "Phường kiến nghị …": the ward the text named last.
                alone = kind_alone_at(words, self.place_kind) if self.place_kind and not fits and len(matched) >= 2 \
                    else None
                named = last_named(before + text[:start], self.place_kind) if alone is not None else None
                if named is not None:
                    at = offset - len(before)
                    short, found, fits = (at + named[0], at + named[1]), True, True
                    # The ward stands where the sentence names it by its kind ("Phường đề xuất …").
                    near = _near(Span(words[alone].start, words[alone].end, PLACE, "", alone, alone), words, matched,
                                 content)
            score = base + NEAR_WEIGHT * near + FOUND_WEIGHT * found + FITS_WEIGHT * fits \
                - REFUSED_WEIGHT * ("role" in why and not found)
            own = sum(content[w] for w in {words[i].folded for i in matched}) / total
            read.append(SentenceReading((offset + start, offset + end), short, found, score, share, near, pair_share,
                                        slot, carried, own))
        return PassageReading(read, typed, refused)

    def read(self, passages: Sequence[Passage], count: int = PASSAGES_READ, fused: bool = False) -> Reading | None:
        """Choose, among the sentences of the first `count` passages, the one that answers (a
        lower passage's only when it answers clearly better: `RANK_WEIGHT` per rank, or, when the
        passages' scores are `fused` z-scores, per `GAP_UNIT` they score below the first, if less)."""
        if not passages:
            return None
        behind = [RANK_WEIGHT * max(0.0, min(rank, (passages[0].score - p.score) / GAP_UNIT if fused else rank))
                  for rank, p in enumerate(passages[:count])]
        best, best_rank, typed, refused = None, 0, False, []
        for rank, passage in enumerate(passages[:count]):
            found = self.passage(passage.text, passage.start, passage.title, passage.document_id)
            typed, refused = typed or found.typed, refused + found.refused
            top = found.best
            if top is not None and (best is None or top.score - behind[rank] > best.score - behind[best_rank]):
                best, best_rank = top, rank
        rejected = tuple(dict.fromkeys(refused))
        if best is None:
            top = passages[0]
            return Reading(0, top.highlights[0] if top.highlights else (top.start, top.end), None, False, typed, 0.0,
                           0.0, rejected=rejected)
        chosen = passages[best_rank]
        sentence = chosen.text[best.sentence[0] - chosen.start:best.sentence[1] - chosen.start]
        sentence_said = self._said(sentence, self._as_written(sentence_words(sentence))) | best.carried
        title_said = self._as_written(sentence_words(chosen.title))
        carried = self.passage(chosen.text, chosen.start, chosen.title, chosen.document_id).sentences
        passage_said = self._said(chosen.text, self._as_written(sentence_words(chosen.text))).union(
            *(s.carried for s in carried))
        # The noun a "X gì / X nào" question asks an instance of ("công trình gì") is seldom said.
        focus = (set(self.form.focus) | (UNIT_CUE_WORDS if self.form.kind == NUMBER else set()) | _TYPE_CUE_WORDS) \
            if best.found else set()
        # The short answer as written: in the passage, or before it (`last_named`) in its document.
        short_text = None
        if best.short is not None:
            inside = best.short[0] >= chosen.start or self.document is None
            written, at = (chosen.text, chosen.start) if inside else (self.document(chosen.document_id), 0)
            short_text = written[best.short[0] - at:best.short[1] - at]
        return Reading(best_rank, best.sentence, best.short, best.found, typed, round(best.score, 4),
                       round(best.words, 4), near=round(best.near, 4), pairs=round(best.pairs, 4),
                       slot=round(best.slot, 4),
                       missing=round(missing_share(self.rarity, sentence_said | title_said | focus), 4),
                       missing_passage=round(missing_share(self.rarity, passage_said | title_said | focus), 4),
                       rejected=rejected,
                       short_text=short_text)

    def highlights(self, text: str, start: int, title: str, document_id: str | None = None
                   ) -> tuple[tuple[int, int], ...]:
        """The sentence(s) of a passage to highlight: the best, and the runner-up when it scores
        almost as well (document offsets)."""
        ranked = sorted(self.passage(text, start, title, document_id).sentences, key=lambda s: (-s.score, -s.own))
        chosen = ranked[:1] + [s for s in ranked[1:2] if ranked[0].score > 0
                               and s.score >= SECOND_SENTENCE_RATIO * ranked[0].score]
        return tuple(s.sentence for s in chosen)


def read(question: str, passages: Sequence[Passage], count: int = PASSAGES_READ,
         archive_idf: Callable[[Sequence[str]], dict[str, float]] | None = None) -> Reading | None:
    """Read the sentences of the first `count` passages and choose the one that answers `question`
    (its passage, its span, and the short answer in it); None without passages (see `Reader`)."""
    return Reader(question, archive_idf).read(passages, count)


def _slot_share(span: Span, words: Sequence[Word], slot_words: dict[str, float]) -> float:
    """The weighed share of `slot_words` found within `SLOT_REACH` words of `span`."""
    if not slot_words:
        return 1.0
    near = {w.folded for i, w in enumerate(words) if distance(span, i) <= SLOT_REACH}
    return sum(weight for word, weight in slot_words.items() if word in near) / sum(slot_words.values())


def _named_at(sentence: str, start: int) -> tuple[int, int] | None:
    """Where the first person `sentence` names is written, `sentence` standing at `start`."""
    named = people(sentence)
    at = sentence.find(named[0].written) if named else -1
    return (start + at, start + at + len(named[0].written)) if at >= 0 else None


@lru_cache(maxsize=4096)
def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(sentence_spans(text))
