"""Settings (`config.py`): checked when made, overridable by environment variables that are read
there only, with messages naming the variable and the choices."""


import pytest

from assistant.config import Settings, default_uploads_dir
from assistant.errors import AssistantError


def test_unknown_backend_is_refused_with_the_choices(monkeypatch):
    with pytest.raises(AssistantError, match="auto, onnx, torch"):
        Settings(backend="gpu")
    monkeypatch.setenv("ASSISTANT_BACKEND", "gpu")
    with pytest.raises(AssistantError, match="ASSISTANT_BACKEND"):
        Settings.from_env()


def test_thread_count_comes_from_the_environment(monkeypatch):
    assert Settings.from_env().threads == 1
    monkeypatch.setenv("ASSISTANT_THREADS", "2")
    assert Settings.from_env().threads == 2
    monkeypatch.setenv("ASSISTANT_THREADS", "two")
    with pytest.raises(AssistantError, match="ASSISTANT_THREADS='two' is not a whole number"):
        Settings.from_env()


def test_settings_check_the_server_url_and_model():
    with pytest.raises(AssistantError, match="http"):
        Settings(llm_url="ftp://x", llm_model="m")
    with pytest.raises(AssistantError, match="ASSISTANT_LLM_MODEL"):
        Settings(llm_url="http://127.0.0.1:1/v1")
    assert "secret" not in repr(Settings(llm_url="http://x/v1", llm_model="m", llm_api_key="secret"))


def test_the_uploads_folder_is_settable(tmp_path, monkeypatch):
    assert default_uploads_dir(tmp_path / "index") == tmp_path / "uploads"
    monkeypatch.setenv("ASSISTANT_UPLOADS_DIR", str(tmp_path / "elsewhere"))
    assert default_uploads_dir(tmp_path / "index") == tmp_path / "elsewhere"
