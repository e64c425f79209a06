"""What asking an LLM server adds to `ask()` when the server answers at once: HTTP round trip and citation checks.

    python -m benchmarks llm [--rounds 5]

The server is `assistant.testing.ScriptedChatServer` on 127.0.0.1 with a reply that passes the
checks (two sentences, markers, a quotation); the assistant is the bundled article's index with the
bundled model. The query vectors are cached after the first call, so both timings share the same
retrieval cost and the difference, measured per question against `ask(generate=False)` in the same
run, is what the LLM step costs.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant import Assistant, Settings
from assistant.testing import ScriptedChatServer

from .common.datasets import SEED_DOCUMENTS
from .common.measure import spread

QUESTIONS = [
    "Ai là Chủ tịch UBND phường Tân Mỹ?",
    "Khu đất đề xuất xây Trung tâm hành chính rộng bao nhiêu?",
    "Phường Phú Thuận kiến nghị gì về trụ sở làm việc?",
    "Ai là Bí thư Đảng ủy phường Tân Mỹ?",
    "dien tich khu dat xay trung tam hanh chinh",
]
REPLY = "Theo đoạn trích, phường có kiến nghị về trụ sở [1]. Phường “kiến nghị” như vậy [1]."
TARGET_MS = 10.0


def add_options(parser) -> None:
    parser.add_argument("--rounds", type=int, default=5)


def run(options) -> dict:
    with ScriptedChatServer() as server, tempfile.TemporaryDirectory() as scratch:
        server.reply = REPLY
        settings = Settings.from_env(llm_url=server.url, llm_model="scripted")
        assistant = Assistant.open(Path(scratch) / "index", documents=[SEED_DOCUMENTS], settings=settings)
        for question in QUESTIONS:  # warm-up: model, caches, the HTTP connection
            assistant.ask(question)
        added, generated = [], 0
        for _round in range(options.rounds):
            for question in QUESTIONS:
                started = time.perf_counter()
                assistant.ask(question, generate=False)
                plain = time.perf_counter() - started
                started = time.perf_counter()
                answer = assistant.ask(question)
                added.append((time.perf_counter() - started - plain) * 1000)
                generated += answer.generated
    return {"asks": len(added), "generated": generated, "target_ms": TARGET_MS, "added_ms": spread(added)}
