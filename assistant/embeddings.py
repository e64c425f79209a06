"""Embeddings: turn passages and questions into normalised vectors.

Two backends run the same model: sentence-transformers (PyTorch), for any model, and ONNX Runtime,
for the bundled model's exported graph. ONNX Runtime starts in about a second where importing
PyTorch and sentence-transformers takes ten, and embeds a question in under half the time; the
vectors agree to a cosine of 1.000000 (tests/test_bundled_model.py), so one index serves both.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .bundled_model import BUNDLED_MODEL_ID, ONNX_PATH, onnx_export_available
from .errors import AssistantError, ModelError
from .vietnamese import nfc

log = logging.getLogger(__name__)

DEFAULT_MODEL = BUNDLED_MODEL_ID
# Measured by benchmarks/bench_indexing.py on 2 cores: batches of 2 embed fastest (PERFORMANCE.md).
DEFAULT_BATCH_SIZE = 2
# `auto`: ONNX Runtime for the bundled model when it is installed, else sentence-transformers.
BACKENDS = ("auto", "onnx", "torch")


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

    def __init__(self, model: str = DEFAULT_MODEL, query_prompt: str | None = None,
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
        """The prompts saved with the model, by name."""
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

    def __init__(
        self,
        model: str = DEFAULT_MODEL,
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

    def _saved_prompts(self) -> dict:
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


def resolve_model_path(model: str) -> str:
    """Map the bundled model id to its converted folder; return other ids and paths unchanged."""
    if model == BUNDLED_MODEL_ID:
        from .bundled_model import ensure_bundled_model

        return str(ensure_bundled_model())
    return model


def load_sentence_transformer(model: str, device: str = "cpu", threads: int | None = None):
    """Load a sentence-transformers model by id or local folder, offline-first.

    `threads` sets PyTorch's intra-op threads for the whole process (None keeps its default).

    Raises:
        ModelError: the model is neither a local folder nor available offline.
    """
    path = resolve_model_path(model)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    if threads:
        torch.set_num_threads(threads)

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


class OnnxEmbedder(_LazyEmbedder):
    """A sentence-transformers folder with an exported ONNX graph (`onnx/model.onnx`), run by ONNX
    Runtime and the `tokenizers` library: mean pooling over the attention mask, then L2
    normalisation, as the folder's modules specify. No PyTorch import. Loaded lazily, once."""

    def _load(self) -> "_OnnxModel":
        return _load_onnx_model(self.model_id, self.threads)

    def _saved_prompts(self) -> dict:
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


@dataclass(frozen=True)
class _OnnxModel:
    session: object  # onnxruntime.InferenceSession
    tokenizer: object  # tokenizers.Tokenizer
    inputs: tuple[str, ...]
    dimension: int
    prompts: dict

    def encode(self, texts: list[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(None, {name: feed[name] for name in self.inputs})[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def _read_json(path: Path, default=None):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot read {path} ({error}); delete the model folder to have it rebuilt") from error


def onnx_model_folder(model: str) -> Path | None:
    """The folder of `model` when it can run on ONNX Runtime: a sentence-transformers folder with
    `onnx/model.onnx`, a Transformer → mean Pooling (→ Normalize) pipeline, and onnxruntime installed."""
    if importlib.util.find_spec("onnxruntime") is None:
        return None
    folder = Path(resolve_model_path(model)).expanduser()
    if not (folder / ONNX_PATH).is_file():
        return None
    modules = [m.get("type", "").rsplit(".", 1)[-1] for m in _read_json(folder / "modules.json", [])]
    if modules not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    pooling = _read_json(folder / "1_Pooling" / "config.json", {})
    modes = {key for key, value in pooling.items() if key.startswith("pooling_mode_") and value}
    if modes != {"pooling_mode_mean_tokens"} or not pooling.get("include_prompt", True):
        return None  # OnnxEmbedder implements mean pooling over every token, the prompt's included
    return folder


def _load_onnx_model(model: str, threads: int | None) -> _OnnxModel:
    import onnxruntime
    from tokenizers import Tokenizer

    folder = onnx_model_folder(model)
    if folder is None:
        raise ModelError(f"embedding model {model!r} has no usable ONNX graph ({ONNX_PATH}, mean pooling) or "
                         "onnxruntime is not installed; set ASSISTANT_BACKEND=torch to use sentence-transformers")
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(str(folder / ONNX_PATH), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except Exception as error:  # onnxruntime and tokenizers raise their own exception types
        raise ModelError(f"cannot load the ONNX model in {folder} ({type(error).__name__}: "
                         f"{str(error).splitlines()[0][:200]}); delete the folder to have it rebuilt, "
                         "or set ASSISTANT_BACKEND=torch") from error
    max_length = _read_json(folder / "sentence_bert_config.json", {}).get("max_seq_length") or 512
    tokenizer.enable_truncation(max_length)
    tokenizer.enable_padding(pad_id=tokenizer.token_to_id("<pad>") or 0, pad_token="<pad>")
    dimension = _read_json(folder / "config.json", {}).get("hidden_size")
    if not dimension:
        raise ModelError(f"{folder / 'config.json'} gives no hidden_size; delete the folder to have it rebuilt")
    prompts = _read_json(folder / "config_sentence_transformers.json", {}).get("prompts") or {}
    inputs = tuple(i.name for i in session.get_inputs())
    return _OnnxModel(session, tokenizer, inputs, int(dimension), prompts)


def make_embedder(model: str = DEFAULT_MODEL, query_prompt: str | None = None, passage_prompt: str | None = None,
                  batch_size: int = DEFAULT_BATCH_SIZE, backend: str = "auto", threads: int | None = None) -> Embedder:
    """The embedder for `model` on `backend` (`auto`, `onnx` or `torch`; see the module docstring).

    `auto` picks ONNX Runtime for the bundled model when onnxruntime and onnx are installed (the
    converter then writes the graph) without converting anything yet, and sentence-transformers
    otherwise. Other models use ONNX Runtime only when asked for and their folder has the graph.
    """
    if backend not in BACKENDS:
        raise AssistantError(f"unknown embedding backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    onnx_ready = importlib.util.find_spec("onnxruntime") is not None and onnx_export_available()
    if backend == "onnx" or (backend == "auto" and model == BUNDLED_MODEL_ID and onnx_ready):
        return OnnxEmbedder(model, query_prompt, passage_prompt, batch_size, threads)
    return SentenceTransformerEmbedder(model, query_prompt, passage_prompt, batch_size, threads=threads)
