"""Export the bundled model's BERT encoder to ONNX, once, when the model is converted (PyTorch)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

#: The model graph for ONNX Runtime, where sentence-transformers' ONNX backend also looks for it.
ONNX_PATH = Path("onnx") / "model.onnx"
#: The same graph with int8 weights (`quantize_onnx`), beside it.
INT8_PATH = Path("onnx") / "model_int8.onnx"


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


def quantize_onnx(folder: Path) -> Path:
    """Write `folder/onnx/model_int8.onnx`: the float graph with its matrix weights quantised to
    int8 by ONNX Runtime's dynamic quantisation (activations quantised on the fly). Written under a
    temporary name and renamed, so a reader never sees half a file.

    Settings chosen by measurement (README, "Model precision").
    """
    import os

    from onnxruntime.quantization import QuantType, quantize_dynamic

    source, target = folder / ONNX_PATH, folder / INT8_PATH
    staging = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        quantize_dynamic(str(source), str(staging), weight_type=QuantType.QInt8)
        os.replace(staging, target)
    finally:
        staging.unlink(missing_ok=True)
    return target
