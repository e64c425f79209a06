"""Embeddings: turn passages and questions into normalised vectors with sentence-transformers."""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .bundled_model import BUNDLED_MODEL_ID
from .errors import ModelError
from .vietnamese import nfc

log = logging.getLogger(__name__)

DEFAULT_MODEL = BUNDLED_MODEL_ID
# Measured by benchmarks/bench_indexing.py on 2 cores: batches of 2 embed fastest (PERFORMANCE.md).
DEFAULT_BATCH_SIZE = 2


class Embedder(Protocol):
    """Anything that maps texts to L2-normalised float32 vectors, one row per text."""

    model_id: str
    dimension: int
    query_prompt: str
    passage_prompt: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` as given (prompts already applied)."""
        ...


def embed_queries(embedder: Embedder, questions: Sequence[str]) -> np.ndarray:
    """Embed questions with the model's query prompt (`query: ` for e5 models)."""
    return embedder.embed([embedder.query_prompt + nfc(q) for q in questions])


def embed_passages(embedder: Embedder, passages: Sequence[str]) -> np.ndarray:
    """Embed passages with the model's passage prompt (`passage: ` for e5 models)."""
    return embedder.embed([embedder.passage_prompt + nfc(p) for p in passages])


class SentenceTransformerEmbedder:
    """A sentence-transformers model: the bundled multilingual-e5-small by default, or any
    model id or local folder. Loaded lazily, once, on the first call to `embed`."""

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        device: str = "cpu",
    ):
        self.model_id = model
        self.batch_size = batch_size
        self.device = device
        self._query_prompt = query_prompt
        self._passage_prompt = passage_prompt
        self._model = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()

    @property
    def model(self):
        """The loaded `SentenceTransformer` (loads it on first use)."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = load_sentence_transformer(self.model_id, self.device)
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    @property
    def query_prompt(self) -> str:
        if self._query_prompt is None:
            self._query_prompt = self._model_prompt("query", "query: ")
        return self._query_prompt

    @property
    def passage_prompt(self) -> str:
        if self._passage_prompt is None:
            self._passage_prompt = self._model_prompt("passage", "passage: ")
        return self._passage_prompt

    def _model_prompt(self, name: str, e5_default: str) -> str:
        prompts = getattr(self.model, "prompts", None) or {}
        if name in prompts:
            return prompts[name]
        if name == "passage" and "document" in prompts:
            return prompts["document"]
        return e5_default if "e5" in self.model_id.lower() else ""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` (NFC-normalised first) into an `(n, dimension)` float32 array."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.model
        # One encode at a time: torch already uses every core, and interleaved calls only thrash.
        with self._encode_lock:
            vectors = model.encode(
                [nfc(text) for text in texts],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def resolve_model_path(model: str) -> str:
    """Map the bundled model id to its converted folder; return other ids and paths unchanged."""
    if model == BUNDLED_MODEL_ID:
        from .bundled_model import ensure_bundled_model

        return str(ensure_bundled_model())
    return model


def load_sentence_transformer(model: str, device: str = "cpu"):
    """Load a sentence-transformers model by id or local folder, offline-first.

    Raises:
        ModelError: the model is neither a local folder nor available offline.
    """
    path = resolve_model_path(model)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    # Weight-loading progress bars and notices are noise in a CLI answer.
    transformers_logging.set_verbosity_error()
    transformers_logging.disable_progress_bar()

    local = Path(path).expanduser()
    try:
        if local.exists():
            return SentenceTransformer(str(local), device=device)
        offline = os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False")
        return SentenceTransformer(path, device=device, local_files_only=offline)
    except Exception as error:  # sentence-transformers raises many kinds for a missing model
        raise ModelError(
            f"cannot load embedding model {model!r} ({type(error).__name__}: {str(error).splitlines()[0][:200]}); "
            f"pass a local sentence-transformers folder with --model, or unset ASSISTANT_MODEL to use the bundled model"
        ) from error
