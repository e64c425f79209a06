"""Fixtures of the embedding tests (tests/embed and tests/embed/backend)."""

import json

import pytest

from assistant.embed.backend.onnx_export import ONNX_PATH


def _sentence_transformers_folder(path, pooling: str = "mean", graph: bool = True):
    """A model folder's configuration files (no weights): Transformer → Pooling → Normalize."""
    path.mkdir()
    (path / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ]))  # fmt: skip
    (path / "1_Pooling").mkdir()
    modes = {"pooling_mode_mean_tokens": pooling == "mean", "pooling_mode_cls_token": pooling == "cls",
             "pooling_mode_max_tokens": False}
    (path / "1_Pooling" / "config.json").write_text(json.dumps(modes))
    if graph:
        (path / ONNX_PATH).parent.mkdir()
        (path / ONNX_PATH).write_bytes(b"not really a graph")
    return path


@pytest.fixture(scope="session")
def sentence_transformers_folder():
    """A function making a model folder's configuration files at a path (no weights): Transformer →
    Pooling (`pooling`: mean or cls) → Normalize, with a stand-in ONNX graph unless `graph` is False."""
    return _sentence_transformers_folder
