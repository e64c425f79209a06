"""The indexes the benchmarks ask questions of, kept in the git-ignored `benchmarks/.cache/` between
runs: XQuAD Vietnamese (every paragraph a document), the bundled article, and the archives of three
sizes of the natural-question benchmarks (the article alone, with 30 and with all 300 news articles)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from assistant import Assistant, Settings
from assistant.embed.embedders import resolve_precision

from .datasets import (
    NEWS,
    NEWS_30,
    ROOT,
    SEED_DOCUMENT,
    SEED_DOCUMENTS,
    NaturalQuestion,
    load_xquad,
    write_xquad_corpus,
)

CACHE = ROOT / "benchmarks" / ".cache"
SIZES = ("article", "article+30", "article+300")


def index_folder(name: str, settings: Settings | None = None) -> Path:
    """`benchmarks/.cache/<name>-index`, one per model precision (`ASSISTANT_PRECISION`), so
    comparing precisions never re-embeds the other's index, and one per store (`ASSISTANT_STORE`):
    a Milvus index starts as a copy of the local one, whose vectors the first update moves into
    Milvus instead of embedding them again."""
    settings = settings or Settings.from_env()
    precision = resolve_precision(settings.precision, settings.model, onnx=settings.backend != "torch")
    local = CACHE / (f"{name}-index" if precision == "float32" else f"{name}-index-{precision}")
    if settings.store == "local":
        return local
    folder = local.with_name(f"{local.name}-{settings.store}")
    if not folder.exists() and local.exists():
        shutil.copytree(local, folder, ignore=shutil.ignore_patterns(".lock"))
    return folder


def open_xquad_assistant(settings: Settings | None = None, name: str = "xquad", embedder=None) -> Assistant:
    """An assistant over XQuAD Vietnamese, every paragraph a document."""
    paragraphs, _questions = load_xquad()
    corpus = CACHE / f"{name}-documents"
    write_xquad_corpus(paragraphs, corpus)
    return Assistant.open(index_folder(name, settings), documents=[corpus], settings=settings, embedder=embedder,
                          progress=True)


def open_article_assistant(settings: Settings | None = None, embedder=None) -> Assistant:
    """An assistant over the bundled article alone (the article dev set's index)."""
    return Assistant.open(index_folder("article", settings), documents=[SEED_DOCUMENTS], settings=settings,
                          embedder=embedder)


def archive_files(size: str) -> list[Path]:
    """The document files and folders of an archive size."""
    seed = [SEED_DOCUMENTS]
    if size == "article":
        return seed
    if size == "article+30":
        return seed + [NEWS / name for name in NEWS_30.read_text(encoding="utf-8").split()]
    if size == "article+300":
        return seed + [NEWS]
    raise ValueError(f"unknown archive size {size!r}; choose one of {', '.join(SIZES)}")


def archive_documents(size: str) -> set[str]:
    """File names of the documents in an archive size."""
    names = {SEED_DOCUMENT}
    if size == "article+30":
        names |= set(NEWS_30.read_text(encoding="utf-8").split())
    elif size == "article+300":
        names |= {path.name for path in NEWS.glob("*.txt")}
    return names


def open_archive(size: str, settings: Settings | None = None, embedder=None) -> Assistant:
    """The assistant over one archive size."""
    folder = index_folder(f"archive-{size.replace('+', '-')}", settings)
    return Assistant.open(folder, documents=archive_files(size), settings=settings, embedder=embedder,
                          progress=True)


def applies(question: NaturalQuestion, size: str) -> bool:
    """Whether `question` is asked of the archive: questions about an article need that article."""
    return question.document is None or question.document in archive_documents(size)


def add_settings_options(parser) -> None:
    """`--precision`, `--backend` and `--store`: the settings a benchmark's figures depend on."""
    parser.add_argument("--precision", choices=("auto", "float32", "int8"),
                        help="model precision (default: ASSISTANT_PRECISION or auto, int8 for the bundled model)")
    parser.add_argument("--backend", choices=("auto", "onnx", "torch"),
                        help="embedding backend (default: ASSISTANT_BACKEND or auto)")
    parser.add_argument("--store", choices=("local", "milvus"),
                        help="where vectors and BM25 terms are kept (default: ASSISTANT_STORE or local)")


def apply_settings_options(options) -> Settings:
    """Export the chosen settings as `ASSISTANT_*` variables (child processes and `Settings.from_env`
    then agree) and return the settings of the run."""
    for name in ("precision", "backend", "store"):
        value = getattr(options, name, None)
        if value:
            os.environ[f"ASSISTANT_{name.upper()}"] = value
    return Settings.from_env()


def settings_variant() -> list[str]:
    """The parts of a record's name that say which non-default settings it ran with (`float32`,
    `torch`, `milvus`), whether chosen by option or by environment variable."""
    settings = Settings.from_env()
    parts = [settings.precision] if settings.precision != "auto" else []
    parts += [settings.backend] if settings.backend != "auto" else []
    parts += [settings.store] if settings.store != "local" else []
    return parts
