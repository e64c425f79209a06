"""The manifest: what a generation was built with and which files it holds, and the checks of its
structure that every generation must pass before any of its files is read.

A generation of the `local` store holds every part of the index; one of the `milvus` store holds
the documents, the passages' citations and the diacritic vocabulary, while the passages' vectors
and BM25 terms are rows of a Milvus collection the manifest names (`stores.milvus`). Each store
checks its own part of the manifest (`IndexStore.manifest_problem`).
"""

from __future__ import annotations

import hashlib
import re

import orjson

from ..config import LexicalSettings

MANIFEST = "manifest.json"
FORMAT_VERSION = 3
# Format 1 lacks the term counts and keeps only some word-pair counts: still read, and fully
# recounted (not re-embedded) by the next update. Format 2 lacks the manifest's own checksum.
READABLE_FORMATS = (1, 2, 3)
CHECKSUMMED_FROM = 3
# The files of every generation, whatever the store.
DOCUMENTS_FILE = "documents.jsonl"
CHUNKS_FILE = "chunks.jsonl"
VOCABULARY_FILE = "vocabulary.json"
COMMON_FILES = (DOCUMENTS_FILE, CHUNKS_FILE, VOCABULARY_FILE)
# A file name in a manifest: relative, inside the generation, no "..".
_FILE_NAME = re.compile(r"[\w-][\w.-]*(?:/[\w-][\w.-]*)*")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def manifest_checksum(manifest: dict) -> str:
    """The SHA-256 of a manifest's content: every entry but `checksum`, as compact JSON with sorted
    keys. A byte changed anywhere in `manifest.json` that still parses changes a value, and so
    this; the checksums of the other files are in the manifest, so this covers the generation."""
    content = {key: value for key, value in manifest.items() if key != "checksum"}
    return hashlib.sha256(orjson.dumps(content, option=orjson.OPT_SORT_KEYS)).hexdigest()


def checksum_problem(manifest: dict) -> str | None:
    """What is wrong with a manifest's own checksum, or None (none is required before format 3)."""
    recorded = manifest.get("checksum")
    if recorded is None:
        return "its checksum is missing" if manifest["format_version"] >= CHECKSUMMED_FROM else None
    try:
        computed = manifest_checksum(manifest)
    except (TypeError, orjson.JSONEncodeError):  # a number out of range, say
        computed = None
    return None if recorded == computed else "altered (its content differs from its checksum)"


def store_kind(manifest: dict) -> str:
    """The store that holds a generation's vectors and terms (`local` before it was recorded)."""
    return manifest.get("store", "local")


def missing_files(manifest: dict, required: tuple[str, ...]) -> list[str]:
    """The names of `required` (and of the generation's common files) its manifest does not list."""
    return [name for name in COMMON_FILES + required if name not in manifest["files"]]


def manifest_problem(manifest: dict) -> str | None:
    """What is wrong with the structure every manifest shares, or None: every generation file
    listed with a size and checksum, names inside the generation, settings, sources and model of
    the right shapes."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return "the list of files and checksums is missing"
    for name, entry in files.items():
        if not isinstance(name, str) or not _FILE_NAME.fullmatch(name) or ".." in name.split("/"):
            return f"file name {name!r} is not a plain name inside the generation"
        if not (isinstance(entry, dict) and isinstance(entry.get("bytes"), int) and entry["bytes"] >= 0
                and isinstance(entry.get("sha256"), str) and _SHA256.fullmatch(entry["sha256"])):
            return f"the entry of {name!r} lacks its size or checksum"
    if not isinstance(store_kind(manifest), str):
        return "the store is not named"
    if not isinstance(manifest.get("lexical"), dict) or set(manifest["lexical"]) - set(LexicalSettings.__annotations__):
        return "the lexical settings are malformed"
    for key in ("sources", "excluded"):
        if not isinstance(manifest.get(key, []), list) or not all(isinstance(v, str) for v in manifest.get(key, [])):
            return f"{key!r} is not a list of paths"
    if not isinstance(manifest.get("model"), dict) or not isinstance(manifest["model"].get("id"), str):
        return "the model entry is malformed"
    return None


def recorded_model(manifest: dict | None) -> dict | None:
    """A manifest's model entry (`id`, prompts, `precision`), or None without a manifest."""
    return {"precision": "float32", **manifest["model"]} if manifest else None  # precision recorded since format 2
