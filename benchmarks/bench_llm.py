"""What asking an LLM server adds to `ask()` when the server answers at once: the HTTP round trip
and the citation checks, measured per question against `ask(generate=False)` in the same run.

    python benchmarks/bench_llm.py [--rounds 5]

The server is `assistant.testing.ScriptedChatServer` on 127.0.0.1 with a reply that passes the
checks (two sentences, markers, a quotation); the assistant is the bundled article's index with the
bundled model. The query vectors are cached after the first call, so both timings share the same
retrieval cost and the difference is what the LLM step costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from assistant import Assistant, Settings
from assistant.testing import ScriptedChatServer

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "Ai là Chủ tịch UBND phường Tân Mỹ?",
    "Khu đất đề xuất xây Trung tâm hành chính rộng bao nhiêu?",
    "Phường Phú Thuận kiến nghị gì về trụ sở làm việc?",
    "Ai là Bí thư Đảng ủy phường Tân Mỹ?",
    "dien tich khu dat xay trung tam hanh chinh",
]
REPLY = "Theo đoạn trích, phường có kiến nghị về trụ sở [1]. Phường “kiến nghị” như vậy [1]."
TARGET_MS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with ScriptedChatServer() as server, tempfile.TemporaryDirectory() as scratch:
        server.reply = REPLY
        settings = Settings.from_env(llm_url=server.url, llm_model="scripted")
        assistant = Assistant.open(Path(scratch) / "index", documents=[ROOT / "documents"], settings=settings)
        for question in QUESTIONS:  # warm-up: model, caches, the HTTP connection
            assistant.ask(question)
        added, generated = [], 0
        for _round in range(args.rounds):
            for question in QUESTIONS:
                started = time.perf_counter()
                assistant.ask(question, generate=False)
                plain = time.perf_counter() - started
                started = time.perf_counter()
                answer = assistant.ask(question)
                added.append((time.perf_counter() - started - plain) * 1000)
                generated += answer.generated
    median, p95 = statistics.median(added), sorted(added)[int(0.95 * (len(added) - 1))]
    print(f"{len(added)} asks, {generated} with a generated answer shown")
    print(f"added by the LLM step: median {median:.2f} ms, p95 {p95:.2f} ms "
          f"({'meets' if median <= TARGET_MS else 'misses'} the ≤ {TARGET_MS:.0f} ms target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
