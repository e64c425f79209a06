"""The embedders (`embed/embedders.py`): choosing the backend and the precision, prompts read from
the model folder (fast: nothing here loads a model)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from assistant.config import BUNDLED_MODEL_ID, Settings
from assistant.embed.backend.onnx_export import ONNX_PATH
from assistant.embed.backend.onnx_runtime import onnx_model_folder
from assistant.embed.embedders import OnnxEmbedder, SentenceTransformerEmbedder, make_embedder, resolve_precision
from assistant.errors import ModelError
from assistant.files import write_json

ONNX_INSTALLED = all(importlib.util.find_spec(name) for name in ("onnxruntime", "onnx"))


def sentence_transformers_folder(path, pooling: str = "mean", graph: bool = True):
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


def test_torch_backend_and_other_models_use_sentence_transformers(tmp_path):
    embedder = make_embedder(Settings(backend="torch", threads=1))
    assert isinstance(embedder, SentenceTransformerEmbedder) and embedder.threads == 1
    assert embedder._model is None  # nothing is loaded until the first embedding
    folder = sentence_transformers_folder(tmp_path / "model")
    assert isinstance(make_embedder(Settings(model=str(folder))), SentenceTransformerEmbedder)  # auto: the bundled model only


@pytest.mark.skipif(not ONNX_INSTALLED, reason="onnxruntime and onnx are not installed")
def test_auto_backend_runs_the_bundled_model_on_onnx_runtime():
    embedder = make_embedder(Settings(model=BUNDLED_MODEL_ID, backend="auto", threads=1))
    assert isinstance(embedder, OnnxEmbedder) and embedder.model_id == BUNDLED_MODEL_ID
    assert embedder._model is None  # choosing the backend converts and loads nothing


@pytest.mark.skipif(not importlib.util.find_spec("onnxruntime"), reason="onnxruntime is not installed")
def test_only_mean_pooled_folders_with_a_graph_qualify_for_onnx(tmp_path):
    assert onnx_model_folder(str(sentence_transformers_folder(tmp_path / "mean"))) == tmp_path / "mean"
    assert onnx_model_folder(str(sentence_transformers_folder(tmp_path / "cls", pooling="cls"))) is None
    assert onnx_model_folder(str(sentence_transformers_folder(tmp_path / "none", graph=False))) is None


def test_onnx_backend_without_a_graph_says_how_to_fix_it(tmp_path):
    folder = sentence_transformers_folder(tmp_path / "model", graph=False)
    embedder = make_embedder(Settings(model=str(folder), backend="onnx"))
    with pytest.raises(ModelError, match="ASSISTANT_BACKEND=torch"):
        embedder.embed(["câu hỏi"])


@pytest.mark.parametrize("broken", ["prompts", "absent"])
def test_prompts_come_from_the_model_folder_without_loading_it(tmp_path, broken):
    folder = tmp_path / "model"
    folder.mkdir()
    if broken == "prompts":
        write_json(folder / "config_sentence_transformers.json", {"prompts": {"query": "hỏi: ", "passage": "đoạn: "}})
        embedder = OnnxEmbedder(str(folder))
        assert (embedder.query_prompt, embedder.passage_prompt) == ("hỏi: ", "đoạn: ")
        assert embedder._model is None
    else:
        embedder = OnnxEmbedder(str(folder))
        with pytest.raises(Exception, match="ONNX"):
            embedder.query_prompt  # noqa: B018 - no settings file: the model itself is asked, and fails clearly


def test_auto_precision_is_int8_for_the_bundled_model_only():
    assert resolve_precision("auto", BUNDLED_MODEL_ID, onnx=True) == "int8"
    assert resolve_precision("auto", BUNDLED_MODEL_ID, onnx=False) == "float32"  # sentence-transformers
    assert resolve_precision("auto", "/models/other-e5", onnx=True) == "float32"
    assert resolve_precision("float32", BUNDLED_MODEL_ID, onnx=True) == "float32"
    assert resolve_precision("int8", "/models/other-e5", onnx=True) == "int8"
