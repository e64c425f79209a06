"""Shared fixtures: a deterministic fake embedder for fast tests, the bundled article, the
development questions when ../shared is beside the clone, and an index-tree fingerprint."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.testing import HashingEmbedder

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "documents" / "000_dbd6872183af7f42.txt"
DEVELOPMENT_QUESTIONS = ROOT.parent / "shared" / "eval" / "article-qa.dev.jsonl"


@pytest.fixture
def fake_embedder():
    return HashingEmbedder()


@pytest.fixture(scope="session")
def seed_article() -> Path:
    """The bundled article (its `.meta.json` sidecar beside it)."""
    return SEED_ARTICLE


@pytest.fixture
def corpus_dir(tmp_path):
    """A documents folder holding a copy of the bundled article."""
    folder = tmp_path / "documents"
    folder.mkdir()
    shutil.copy(SEED_ARTICLE, folder / SEED_ARTICLE.name)
    shutil.copy(SEED_ARTICLE.with_name(SEED_ARTICLE.name + ".meta.json"), folder)
    return folder


@pytest.fixture
def fake_assistant(tmp_path, corpus_dir, fake_embedder):
    from assistant import Assistant

    return Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=fake_embedder)


@pytest.fixture
def lexical_assistant(fake_assistant):
    """The fake assistant answering lexically: the fake embedder's vectors are too crude for the
    calibrated dense signals."""
    fake_assistant.settings = replace(fake_assistant.settings, mode="lexical")
    return fake_assistant


@pytest.fixture(scope="session")
def development_questions() -> list[dict]:
    """The article development set of ../shared/eval (skips when the shared data is absent)."""
    if not DEVELOPMENT_QUESTIONS.exists():
        pytest.skip("../shared/eval is not beside this clone")
    return [json.loads(line) for line in DEVELOPMENT_QUESTIONS.read_text(encoding="utf-8").splitlines()]


def _tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


@pytest.fixture(scope="session")
def tree_digest():
    """A function: every file under a folder (the lock file's holder note aside) with its SHA-256."""
    return _tree_digest


@pytest.fixture
def app(lexical_assistant, tmp_path):
    """The chat's logic (no Gradio) over the lexical fake assistant, uploads in a temporary folder."""
    from ui.app import ChatApp

    return ChatApp(lexical_assistant, tmp_path / "uploads")


@pytest.fixture
def chat_server():
    """A scripted OpenAI-compatible server on 127.0.0.1 (`assistant.testing.ScriptedChatServer`)."""
    from assistant.testing import ScriptedChatServer

    with ScriptedChatServer() as server:
        yield server
