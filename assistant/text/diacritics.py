"""Diacritic restoration: put the accents back on a question typed without them, using the
corpus's own vocabulary (syllable and syllable-pair counts) and, as a weaker prior, how often each
form and pair occurs in real news (the reference frequencies, `reference.py`), so the dense model
sees Vietnamese even on an archive of one article."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from .normalize import canonical_tones, has_diacritics, nfc, strip_diacritics
from .reference import reference_forms
from .words import COMMON_WORDS

_WORD = re.compile(r"\w+", re.UNICODE)
PAIR_WEIGHT = 3.0  # a pair seen together says more than how common each form is
# Real news counts less than the archive the question is asked of, its pairs more than its single
# words (a common form must not outvote the archive's own). Words of the natural and factoid
# questions restored right, archive alone / with these weights: 0.67 / 0.88 on the bundled article,
# 0.88 / 0.91 with 300 articles, 0.94 / 0.96 on the first 400 XQuAD questions; XQuAD Recall@1 without
# diacritics 0.881 / 0.876 dense, 0.949 / 0.949 hybrid (2026-12-07; 0.25 for both: 0.87, 0.89, 0.95,
# dense 0.875, hybrid 0.947).
REFERENCE_WEIGHT = 0.5
REFERENCE_FORM_WEIGHT = 0.05


# Question phrases, restored as they are written whatever the archive says: news writes "bảo" (says)
# and "nhiều" (many) far more often than "bao nhiêu", which questions ask all the time.
_QUESTION_PHRASES = {tuple(strip_diacritics(phrase).split()): tuple(canonical_tones(phrase).split()) for phrase in (
    "bao nhiêu", "bao lâu", "bao giờ", "bao xa", "như thế nào", "thế nào", "ra sao", "làm sao", "tại sao", "vì sao",
    "ở đâu", "là gì", "là ai", "khi nào", "lúc nào", "ngày nào", "năm nào", "tháng mấy", "mấy giờ", "những gì",
    "cái gì")}  # accent-free words -> as written


def _counts(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """Word forms and adjacent form pairs of `texts`, counted."""
    forms: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for text in texts:
        words = [canonical_tones(w.lower()) for w in _WORD.findall(nfc(text))]
        forms.update(words)
        pairs.update(first + " " + second for first, second in zip(words, words[1:]))
    return forms, pairs


class DiacriticRestorer:
    """Restores diacritics word by word, choosing among the accented forms seen in the corpus
    with a Viterbi search over syllable-pair counts (`tien hanh` → `tiến hành`).

    It keeps every form and pair count of the corpus, so an update adds the counts of new passages
    and subtracts those of removed ones (`updated`) instead of counting the archive again.
    """

    def __init__(self, forms: dict[str, int], pairs: dict[str, int], complete: bool = True):
        self.forms = forms  # accented form -> count
        self.pairs = pairs  # "form form" -> count
        self.complete = complete  # False: only the pairs that decide a choice (indexes of format 1)

    @functools.cached_property
    def unigrams(self) -> dict[str, dict[str, int]]:
        """Folded word -> {accented form: count}, built when the first question needs it."""
        choices: dict[str, dict[str, int]] = defaultdict(dict)
        for form, count in self.forms.items():
            choices[strip_diacritics(form)][form] = count
        return choices

    @staticmethod
    def _prior(form: str, count: int) -> float:
        """A form's weight: its count in the corpus, and (much less) its frequency in real news."""
        return math.log1p(count) + REFERENCE_FORM_WEIGHT * math.log1p(reference_forms().forms.get(form, 0))

    def _pair(self, previous: str, form: str) -> float:
        pair = previous + " " + form
        return PAIR_WEIGHT * (math.log1p(self.pairs.get(pair, 0))
                              + REFERENCE_WEIGHT * math.log1p(reference_forms().pairs.get(pair, 0)))

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "DiacriticRestorer":
        """Count the accented forms and form pairs of `texts` (passages of the corpus)."""
        forms, pairs = _counts([*texts, COMMON_WORDS])  # common words: a weak prior for question words
        return cls(dict(forms), dict(pairs))

    def updated(self, removed: Iterable[str], added: Iterable[str]) -> "DiacriticRestorer":
        """A restorer for the corpus without the passages `removed` and with `added` (this one is
        left as it is: questions may be using it). Needs a `complete` restorer."""
        if not self.complete:
            raise ValueError("an index of format 1 keeps too few word-pair counts to update; count the texts again")
        removed_forms, removed_pairs = _counts(removed)
        added_forms, added_pairs = _counts(added)
        return DiacriticRestorer(_changed(self.forms, added_forms, removed_forms),
                                 _changed(self.pairs, added_pairs, removed_pairs))

    def to_dict(self) -> dict:
        return {"forms": self.forms, "pairs": self.pairs}

    @classmethod
    def from_dict(cls, data: dict) -> "DiacriticRestorer":
        if "forms" not in data:  # format 1: forms by folded word, the deciding pairs only
            forms = {form: count for choices in data["unigrams"].values() for form, count in choices.items()}
            return cls(forms, data["bigrams"], complete=False)
        return cls(data["forms"], data["pairs"])

    def restore(self, text: str) -> str:
        """Return `text` with diacritics restored on the words typed without any.

        Words that already carry diacritics, and words the vocabulary does not know, are kept
        as typed. Capitalisation of each word is preserved.
        """
        matches = list(_WORD.finditer(nfc(text)))
        text = nfc(text)
        choices = self._best_forms([m.group(0) for m in matches])
        pieces, position = [], 0
        for match, form in zip(matches, choices):
            pieces.append(text[position:match.start()])
            pieces.append(_match_case(match.group(0), form))
            position = match.end()
        pieces.append(text[position:])
        return "".join(pieces)

    def _candidates(self, word: str) -> dict[str, int]:
        """The forms a word may stand for, with their corpus counts (0 for one known only from the
        reference frequencies)."""
        lower = word.lower()
        if has_diacritics(lower):
            return {canonical_tones(lower): 1}
        found = dict.fromkeys(reference_forms().choices.get(lower, ()), 0)
        found.update(self.unigrams.get(lower, {}))
        return found or {lower: 1}

    def _best_forms(self, words: list[str]) -> list[str]:
        """Viterbi over each word's candidate forms: unigram prior plus pair evidence. Each step
        keeps, per form, its best score and the form before it (not the whole path so far), so
        the search is linear in the number of words."""
        if not words:
            return []
        lattice = [self._candidates(word) for word in words]
        lowered = [word.lower() for word in words]
        for index in range(len(words)):
            for length in (3, 2):
                phrase = _QUESTION_PHRASES.get(tuple(lowered[index:index + length]))
                if phrase is not None:
                    lattice[index:index + length] = [{form: 1} for form in phrase]
                    break
        scores = {form: self._prior(form, count) for form, count in lattice[0].items()}
        back: list[dict[str, str]] = []
        for candidates in lattice[1:]:
            step, pointers = {}, {}
            for form, count in candidates.items():
                prior = self._prior(form, count)
                score, previous = max(
                    ((previous_score + prior + self._pair(previous, form), previous)
                     for previous, previous_score in scores.items()),
                    key=lambda item: item[0],
                )
                step[form], pointers[form] = score, previous
            scores = step
            back.append(pointers)
        form = max(scores.items(), key=lambda item: item[1])[0]
        path = [form]
        for pointers in reversed(back):
            form = pointers[form]
            path.append(form)
        return path[::-1]


def _changed(counts: dict[str, int], added: Counter, removed: Counter) -> dict[str, int]:
    """A copy of `counts` with `added` added and `removed` taken away, only the keys they touch
    visited (a plain dict copy of the rest: an update's cost follows the change)."""
    changed = dict(counts)
    delta = Counter(added)
    delta.subtract(removed)
    for key, change in delta.items():
        value = changed.get(key, 0) + change
        if value > 0:
            changed[key] = value
        else:
            changed.pop(key, None)
    return changed


def _match_case(original: str, form: str) -> str:
    if original.isupper() and len(original) > 1:
        return form.upper()
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
