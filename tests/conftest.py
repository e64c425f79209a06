"""Shared fixtures: a deterministic fake embedder for fast tests, the real bundled model for slow ones."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.vietnamese import fold

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "documents" / "000_dbd6872183af7f42.txt"
SHARED_EVAL = ROOT.parent / "shared" / "eval"


class FakeEmbedder:
    """Hashes accent-free syllables into a fixed-size bag-of-words vector: deterministic, instant,
    and similar texts get similar vectors. Counts what it embeds."""

    model_id = "fake-hash-embedder"
    dimension = 64
    query_prompt = "q: "
    passage_prompt = "p: "

    def __init__(self):
        self.calls = 0
        self.embedded_texts: list[str] = []

    def embed(self, texts):
        self.calls += 1
        self.embedded_texts.extend(texts)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in fold(text.split(": ", 1)[-1]).split():
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension
                vectors[row, bucket] += 1.0
            vectors[row] /= max(np.linalg.norm(vectors[row]), 1e-9)
        return vectors


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture
def corpus_dir(tmp_path):
    """A documents folder holding a copy of the bundled article."""
    folder = tmp_path / "documents"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder / SEED_ARTICLE.name)
    shutil.copy(SEED_ARTICLE.with_name(SEED_ARTICLE.name + ".meta.json"), folder)
    return folder


@pytest.fixture
def fake_assistant(tmp_path, corpus_dir, fake_embedder):
    from assistant import Assistant

    return Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=fake_embedder)
