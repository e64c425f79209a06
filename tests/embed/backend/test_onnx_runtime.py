"""ONNX Runtime for a sentence-transformers folder (`embed/backend/onnx_runtime.py`): which folders
it runs (mean pooling and an exported graph), without loading one. The graphs themselves are run
against sentence-transformers in test_bundled.py."""

import importlib.util

import pytest

from assistant.embed.backend.onnx_runtime import onnx_model_folder


@pytest.mark.skipif(not importlib.util.find_spec("onnxruntime"), reason="onnxruntime is not installed")
def test_only_mean_pooled_folders_with_a_graph_qualify_for_onnx(tmp_path, sentence_transformers_folder):
    assert onnx_model_folder(str(sentence_transformers_folder(tmp_path / "mean"))) == tmp_path / "mean"
    assert onnx_model_folder(str(sentence_transformers_folder(tmp_path / "cls", pooling="cls"))) is None
    assert onnx_model_folder(str(sentence_transformers_folder(tmp_path / "none", graph=False))) is None
