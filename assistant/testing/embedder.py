"""A deterministic embedder for tests and offline smoke runs: no model, instant, stable vectors."""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from ..text.normalize import fold


class HashingEmbedder:
    """Hashes accent-free syllables into a fixed-size bag-of-words vector: texts sharing words get
    similar vectors, the same text always the same vector. Counts what it embeds (`calls`,
    `embedded_texts`), so tests can check what an update re-embedded."""

    model_id = "fake-hash-embedder"
    dimension = 64
    query_prompt = "q: "
    passage_prompt = "p: "

    def __init__(self):
        self.calls = 0
        self.embedded_texts: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised row per text (prompts, the text up to the first ": ", are ignored)."""
        self.calls += 1
        self.embedded_texts.extend(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in fold(text.split(": ", 1)[-1]).split():
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension
                vectors[row, bucket] += 1.0
            vectors[row] /= max(np.linalg.norm(vectors[row]), 1e-9)
        return vectors
