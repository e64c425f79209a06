"""Diacritic restoration: put the accents back on a question typed without them, using the
corpus's own vocabulary (syllable and syllable-pair counts), so the dense model sees Vietnamese."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from .vietnamese import COMMON_WORDS, canonical_tones, has_diacritics, nfc, strip_diacritics

_WORD = re.compile(r"\w+", re.UNICODE)

_COMMON_WEIGHT = 1


class DiacriticRestorer:
    """Restores diacritics word by word, choosing among the accented forms seen in the corpus
    with a Viterbi search over syllable-pair counts (`tien hanh` → `tiến hành`)."""

    def __init__(self, unigrams: dict[str, dict[str, int]], bigrams: dict[str, int]):
        self.unigrams = unigrams  # folded word -> {accented form: count}
        self.bigrams = bigrams  # "form form" -> count, only where a choice exists

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "DiacriticRestorer":
        """Count the accented forms and form pairs of `texts` (passages of the corpus)."""
        unigram_counts: Counter[str] = Counter()
        bigram_counts: Counter[str] = Counter()
        for text in list(texts) + [COMMON_WORDS]:
            weight = _COMMON_WEIGHT if text is COMMON_WORDS else 1
            words = [canonical_tones(w.lower()) for w in _WORD.findall(nfc(text))]
            for word in words:
                unigram_counts[word] += weight
            for first, second in zip(words, words[1:]):
                bigram_counts[first + " " + second] += weight
        unigrams: dict[str, dict[str, int]] = defaultdict(dict)
        for word, count in unigram_counts.items():
            unigrams[strip_diacritics(word)][word] = count
        ambiguous = {folded for folded, forms in unigrams.items() if len(forms) > 1}
        bigrams = {
            pair: count for pair, count in bigram_counts.items()
            if any(strip_diacritics(part) in ambiguous for part in pair.split(" "))
        }
        return cls(dict(unigrams), bigrams)

    def to_dict(self) -> dict:
        return {"unigrams": self.unigrams, "bigrams": self.bigrams}

    @classmethod
    def from_dict(cls, data: dict) -> "DiacriticRestorer":
        return cls(data["unigrams"], data["bigrams"])

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
        lower = word.lower()
        if has_diacritics(lower):
            return {canonical_tones(lower): 1}
        return self.unigrams.get(lower) or {lower: 1}

    def _best_forms(self, words: list[str]) -> list[str]:
        """Viterbi over each word's candidate forms: unigram prior plus pair evidence."""
        if not words:
            return []
        lattice = [self._candidates(word) for word in words]
        best = {form: (math.log1p(count), [form]) for form, count in lattice[0].items()}
        for candidates in lattice[1:]:
            step = {}
            for form, count in candidates.items():
                prior = math.log1p(count)
                score, path = max(
                    ((previous_score + prior + 3.0 * math.log1p(self.bigrams.get(previous + " " + form, 0)),
                      previous_path)
                     for previous, (previous_score, previous_path) in best.items()),
                    key=lambda item: item[0],
                )
                step[form] = (score, path + [form])
            best = step
        return max(best.values(), key=lambda item: item[0])[1]


def _match_case(original: str, form: str) -> str:
    if original.isupper() and len(original) > 1:
        return form.upper()
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form
