"""Reference IDF: how rare a term is in real Vietnamese news, from a fixed corpus shipped as data.

The archive's own IDF says little on a small archive (over 11 passages every term is in 0-2 of
them) and shifts as the archive grows. Ranking and the answer confidence weigh a question's
words with these reference frequencies instead: "của" and "bao nhiêu" weigh almost nothing, a
name such as "Bé Ngoan" or a pair such as "phú_sĩ" weighs a lot, whatever has been indexed.
Built by `python -m tools.build_reference_idf` from 21,253 passages of 5,000 news articles.
"""

from __future__ import annotations

import gzip
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..config import DATA_DIR
from ..errors import AssistantError
from .normalize import strip_diacritics

REFERENCE_DF = DATA_DIR / "reference_df.tsv.gz"


@lru_cache(maxsize=1)
def _frequencies() -> tuple[int, dict[str, int]]:
    try:
        with gzip.open(REFERENCE_DF, "rt", encoding="utf-8") as handle:
            header = handle.readline().rstrip("\n").split("\t")
            frequencies = {}
            for line in handle:
                term, _, count = line.rstrip("\n").rpartition("\t")
                frequencies[term] = int(count)
    except (OSError, ValueError, EOFError) as error:
        raise AssistantError(f"{REFERENCE_DF}: missing or unreadable ({error}); reinstall the package") from error
    return int(header[1]), frequencies


def reference_df(term: str) -> int:
    """In how many reference passages `term` occurs (0 for an unseen term)."""
    return _frequencies()[1].get(term, 0)


def reference_idf(term: str) -> float:
    """`ln((N + 1) / (df + 0.5))` over the reference passages; an unseen term has df 0."""
    passages, frequencies = _frequencies()
    return math.log((passages + 1) / (frequencies.get(term, 0) + 0.5))


@dataclass(frozen=True)
class ReferenceForms:
    """The accented words and word pairs of the reference passages, with in how many passages each
    occurs: `forms` ("tiến" -> df), `pairs` ("tiến hành" -> df), `choices` (accent-free -> forms)."""

    forms: dict[str, int]
    pairs: dict[str, int]
    choices: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def reference_forms() -> ReferenceForms:
    """The reference frequencies of accented terms, for restoring diacritics (`diacritics.py`)."""
    _passages, frequencies = _frequencies()
    forms, pairs = {}, {}
    choices: dict[str, list[str]] = defaultdict(list)
    for term, count in frequencies.items():
        if term.startswith("~") or not any(c.isalpha() for c in term):
            continue
        if "_" in term:
            pairs[term.replace("_", " ")] = count
        else:
            forms[term] = count
            choices[strip_diacritics(term)].append(term)
    return ReferenceForms(forms, pairs, {key: tuple(values) for key, values in choices.items()})
