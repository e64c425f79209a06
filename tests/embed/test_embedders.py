"""The embedders (`embed/embedders.py`): choosing the backend and the precision, prompts read from
the model folder (fast: nothing here loads a model)."""

from __future__ import annotations

import importlib.util

import pytest

from assistant.config import BUNDLED_MODEL_ID, Settings
from assistant.embed.embedders import OnnxEmbedder, SentenceTransformerEmbedder, make_embedder, resolve_precision
from assistant.errors import ModelError
from assistant.files import write_json

ONNX_INSTALLED = all(importlib.util.find_spec(name) for name in ("onnxruntime", "onnx"))


def test_torch_backend_and_other_models_use_sentence_transformers(tmp_path, sentence_transformers_folder):
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


def test_onnx_backend_without_a_graph_says_how_to_fix_it(tmp_path, sentence_transformers_folder):
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
