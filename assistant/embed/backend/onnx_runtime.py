"""Run an exported ONNX graph of a sentence-transformers folder with ONNX Runtime and the
`tokenizers` library: mean pooling over the attention mask, then L2 normalisation. No PyTorch."""

from __future__ import annotations

import importlib.util
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...config import BUNDLED_MODEL_ID
from ...errors import ModelError
from .bundled import resolve_model_path
from .onnx_export import INT8_PATH, ONNX_PATH, quantize_onnx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OnnxModel:
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


def onnx_graph(model: str, folder: Path, precision: str) -> Path:
    """The graph file of `precision` in `folder`; the bundled model's int8 graph is made on first use
    when its folder was converted before int8 existed."""
    if precision == "float32":
        return folder / ONNX_PATH
    graph = folder / INT8_PATH
    if not graph.is_file():
        if model != BUNDLED_MODEL_ID:
            raise ModelError(f"{folder} has no int8 graph ({INT8_PATH}); set ASSISTANT_PRECISION=float32, or "
                             f"quantise {ONNX_PATH} there with onnxruntime.quantization.quantize_dynamic")
        log.info("Making the int8 model (one time, about a minute)…")
        try:
            quantize_onnx(folder)
        except Exception as error:  # onnxruntime's quantiser raises many kinds
            raise ModelError(f"cannot make the int8 model in {folder} ({type(error).__name__}: "
                             f"{str(error).splitlines()[0][:200] if str(error) else ''}); "
                             "set ASSISTANT_PRECISION=float32") from error
    return graph


def load_onnx_model(model: str, threads: int | None, precision: str = "float32") -> OnnxModel:
    import onnxruntime
    from tokenizers import Tokenizer

    folder = onnx_model_folder(model)
    if folder is None:
        raise ModelError(f"embedding model {model!r} has no usable ONNX graph ({ONNX_PATH}, mean pooling) or "
                         "onnxruntime is not installed; set ASSISTANT_BACKEND=torch to use sentence-transformers")
    graph = onnx_graph(model, folder, precision)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    try:
        session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
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
    return OnnxModel(session, tokenizer, inputs, int(dimension), prompts)
