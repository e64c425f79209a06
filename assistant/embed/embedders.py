"""Embeddings: turn passages and questions into normalised vectors.

Two backends run the same model: sentence-transformers (PyTorch), for any model, and ONNX Runtime,
for the bundled model's exported graph. ONNX Runtime starts in about a second where importing
PyTorch and sentence-transformers takes ten, and embeds a question in under half the time; the
vectors agree to a cosine of 1.000000 (tests/embed/backend/test_bundled.py), so one index serves both.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import threading
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ..config import (
    BUNDLED_MODEL_ID,
    DEFAULT_BATCH_SIZE,
    DEFAULT_PRECISION,
    PRECISIONS,
    Settings,
    check_choice,
    hub_offline,
)
from ..errors import ModelError
from ..text.normalize import nfc
from .backend.bundled import resolve_model_path
from .backend.onnx_export import onnx_export_available
from .backend.onnx_runtime import OnnxModel, load_onnx_model
from .runtime import configure_libraries

log = logging.getLogger(__name__)


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


class _LazyEmbedder:
    """What both embedders share: their settings, prompt resolution, and loading the model once,
    on first use, even when several threads ask at the same time."""

    def __init__(self, model: str = BUNDLED_MODEL_ID, query_prompt: str | None = None,
                 passage_prompt: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 threads: int | None = None):
        self.model_id = model
        self.batch_size = batch_size
        self.threads = threads
        self._query_prompt = query_prompt
        self._passage_prompt = passage_prompt
        self._model = None
        self._load_lock = threading.Lock()
        self._encode_lock = threading.Lock()  # one encode at a time: interleaved calls only thrash

    @property
    def model(self):
        """The loaded model (loads it on first use)."""
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    self._model = self._load()
        return self._model

    def _load(self):
        raise NotImplementedError

    def _saved_prompts(self) -> dict:
        """The prompts saved with the model, by name: read from its folder's settings when it has
        one, so an update that embeds nothing never loads the model."""
        folder = Path(resolve_model_path(self.model_id)).expanduser()
        settings = folder / "config_sentence_transformers.json"
        if settings.is_file():
            try:
                return json.loads(settings.read_text(encoding="utf-8")).get("prompts") or {}
            except (OSError, ValueError, AttributeError):
                pass  # let the model loader report the broken folder
        return self._loaded_prompts()

    def _loaded_prompts(self) -> dict:
        raise NotImplementedError

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
        prompts = self._saved_prompts()
        if name in prompts:
            return prompts[name]
        if name == "passage" and "document" in prompts:
            return prompts["document"]
        return e5_default if "e5" in self.model_id.lower() else ""


class SentenceTransformerEmbedder(_LazyEmbedder):
    """A sentence-transformers model: the bundled multilingual-e5-small by default, or any
    model id or local folder. Loaded lazily, once, on the first call to `embed`."""

    precision = "float32"

    def __init__(
        self,
        model: str = BUNDLED_MODEL_ID,
        query_prompt: str | None = None,
        passage_prompt: str | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        device: str = "cpu",
        threads: int | None = None,
    ):
        super().__init__(model, query_prompt, passage_prompt, batch_size, threads)
        self.device = device

    def _load(self):
        return load_sentence_transformer(self.model_id, self.device, self.threads)

    def _loaded_prompts(self) -> dict:
        return getattr(self.model, "prompts", None) or {}

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` (NFC-normalised first) into an `(n, dimension)` float32 array."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self.model
        with self._encode_lock:
            vectors = model.encode(
                [nfc(text) for text in texts],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def load_sentence_transformer(model: str, device: str = "cpu", threads: int | None = None):
    """Load a sentence-transformers model by id or local folder, offline-first.

    `threads` sets PyTorch's intra-op threads for the whole process (`runtime.configure_libraries`).

    Raises:
        ModelError: the model is neither a local folder nor available offline.
    """
    path = resolve_model_path(model)
    from sentence_transformers import SentenceTransformer

    configure_libraries(threads)  # now that PyTorch and transformers are loaded

    local = Path(path).expanduser()
    try:
        if local.exists():
            return SentenceTransformer(str(local), device=device)
        return SentenceTransformer(path, device=device, local_files_only=hub_offline())
    except Exception as error:  # sentence-transformers raises many kinds for a missing model
        raise ModelError(
            f"cannot load embedding model {model!r} ({type(error).__name__}: {str(error).splitlines()[0][:200]}); "
            f"pass a local sentence-transformers folder with --model, or unset ASSISTANT_MODEL to use the bundled model"
        ) from error


class OnnxEmbedder(_LazyEmbedder):
    """A sentence-transformers folder with an exported ONNX graph (`onnx/model.onnx`, or
    `onnx/model_int8.onnx` for `precision="int8"`), run by ONNX Runtime and the `tokenizers`
    library: mean pooling over the attention mask, then L2 normalisation, as the folder's modules
    specify. No PyTorch import. Loaded lazily, once."""

    def __init__(self, model: str = BUNDLED_MODEL_ID, query_prompt: str | None = None,
                 passage_prompt: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 threads: int | None = None, precision: str = DEFAULT_PRECISION):
        super().__init__(model, query_prompt, passage_prompt, batch_size, threads)
        check_choice(precision, PRECISIONS, "model precision", "ASSISTANT_PRECISION")
        self.precision = resolve_precision(precision, model, onnx=True)

    def _load(self) -> OnnxModel:
        return load_onnx_model(self.model_id, self.threads, self.precision)

    def _loaded_prompts(self) -> dict:
        return self.model.prompts

    @property
    def dimension(self) -> int:
        return self.model.dimension

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` (NFC-normalised first) into an `(n, dimension)` float32 array."""
        model = self.model
        if not texts:
            return np.zeros((0, model.dimension), dtype=np.float32)
        texts = [nfc(text) for text in texts]
        # Sorted by length so each batch pads little, as sentence-transformers does.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = np.empty((len(texts), model.dimension), dtype=np.float32)
        with self._encode_lock:
            for start in range(0, len(order), self.batch_size):
                rows = order[start:start + self.batch_size]
                vectors[rows] = model.encode([texts[i] for i in rows])
        return vectors

    def embed_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Embed one batch as given, without waiting for other calls: bulk indexing runs several
        at once, on different cores (an ONNX Runtime session may run concurrently)."""
        return self.model.encode([nfc(text) for text in texts])


def resolve_precision(precision: str, model: str, onnx: bool) -> str:
    """`auto` as a concrete precision: int8 for the bundled model on ONNX Runtime, float32 otherwise.

    int8 (per channel, one layer in float: `backend/onnx_export.py`) embedded the 301-article
    benchmark archive 1.8x faster than float32 with the same hybrid XQuAD Recall@1 (0.963 vs 0.964)
    and the same answers on the article's questions (README, "Model"). Other models keep float32:
    their folders rarely hold an int8 graph, and their quality under int8 is unmeasured.
    """
    if precision != "auto":
        return precision
    return "int8" if onnx and model == BUNDLED_MODEL_ID else "float32"


def runs_on_onnx(model: str, backend: str) -> bool:
    """Whether `make_embedder` runs `model` with ONNX Runtime on `backend` (see its docstring)."""
    if backend != "auto":
        return backend == "onnx"
    return model == BUNDLED_MODEL_ID and importlib.util.find_spec("onnxruntime") is not None \
        and onnx_export_available()


def make_embedder(settings: Settings) -> Embedder:
    """The embedder `settings` configure: `model` on `backend` (`auto`, `onnx` or `torch`; see the
    module docstring), with their prompts, batch size, threads and precision.

    `auto` picks ONNX Runtime for the bundled model when onnxruntime and onnx are installed (the
    converter then writes the graph) without converting anything yet, and sentence-transformers
    otherwise. Other models use ONNX Runtime only when asked for and their folder has the graph.
    """
    model, backend, precision = settings.model, settings.backend, settings.precision
    if runs_on_onnx(model, backend):
        return OnnxEmbedder(model, settings.query_prompt, settings.passage_prompt, settings.batch_size,
                            settings.threads, precision)
    if resolve_precision(precision, model, onnx=False) != "float32":
        raise ModelError(f"{precision} weights run on ONNX Runtime only; set ASSISTANT_PRECISION=float32 for "
                         f"{'sentence-transformers' if backend == 'torch' else repr(model)}, or ASSISTANT_BACKEND=onnx "
                         "for a model folder with an ONNX graph")
    return SentenceTransformerEmbedder(model, settings.query_prompt, settings.passage_prompt, settings.batch_size,
                                       threads=settings.threads)
