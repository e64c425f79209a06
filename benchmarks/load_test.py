"""Load test: the chat app served on 127.0.0.1, concurrent `gradio_client` users asking the article dev set.

    python benchmarks/load_test.py [--clients 8] [--questions 50] [--time-limit 300] [--index-dir DIR]

The app runs in this process on a free local port over the bundled article (index built in a
temporary folder unless --index-dir is given) with the real embedding model. Every answer from the
`/answer` endpoint is checked: answerable questions must not be `not_found` and must have an
evidence string in one of the top 3 cited passages, unanswerable ones must not be `answered`. Three runs: each distinct question
once (cold: the model embeds every question), then one client, then `--clients` clients. The dev
set holds few distinct questions, so the last two runs mostly hit the query-vector cache, as
repeated chat questions do; `--no-query-cache` makes the model embed every request instead.
Exits with 1 on any error, wrong answer or unfinished request.
"""

from __future__ import annotations

import argparse
import logging
import random
import socket
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from xquad import ARTICLE_QA, ROOT, load_article_questions

from assistant.text.normalize import nfc

TOP_CITATIONS = 3


@dataclass(frozen=True)
class Outcome:
    """One request: how long it took and what was wrong with it (None when correct)."""

    client: int
    question_id: str
    seconds: float
    error: str | None = None  # the request failed
    wrong: str | None = None  # the request succeeded but the answer is not right


@dataclass(frozen=True)
class Run:
    name: str
    clients: int
    planned: int
    seconds: float
    outcomes: list[Outcome]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def check_answer(row: dict, result: dict) -> str | None:
    """Why `result` (the `/answer` JSON) is not a right answer to the dev-set `row`, or None."""
    if row["kind"] == "unanswerable":
        return "answered an unanswerable question" if result.get("status") == "answered" else None
    if result.get("status") not in ("answered", "related"):
        return "not found"
    cited = [nfc(p["text"]) for p in result.get("passages", [])[:TOP_CITATIONS]]
    if not any(nfc(evidence) in text for evidence in row["evidence"] for text in cited):
        return f"no evidence in the top {TOP_CITATIONS} passages"
    return None


def ask_all(url: str, client_number: int, rows: list[dict], deadline: float, start: threading.Barrier,
            outcomes: list[Outcome]) -> None:
    """One user: its own `Client`, asking `rows` in order until done or past `deadline`."""
    from gradio_client import Client

    try:
        client = Client(url, verbose=False, download_files=False)
    except Exception as error:  # noqa: BLE001 - a benchmark reports every failure, whatever it is
        start.abort()
        outcomes.append(Outcome(client_number, "-", 0.0, error=f"connect: {type(error).__name__}: {error}"))
        return
    try:
        start.wait()
    except threading.BrokenBarrierError:
        return
    for row in rows:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return
        began = time.perf_counter()
        try:
            result = client.submit(row["question"], None, api_name="/answer").result(timeout=remaining)
        except Exception as error:  # noqa: BLE001
            outcomes.append(Outcome(client_number, row["id"], time.perf_counter() - began,
                                    error=f"{type(error).__name__}: {error}"))
            continue
        seconds = time.perf_counter() - began
        if not isinstance(result, dict) or "error" in result:
            outcomes.append(Outcome(client_number, row["id"], seconds, error=f"error answer: {result!r:.200}"))
        else:
            outcomes.append(Outcome(client_number, row["id"], seconds, wrong=check_answer(row, result)))


def run(name: str, url: str, plans: list[list[dict]], deadline: float) -> Run:
    """Start one thread per plan (a user's questions) together; wait for all or the deadline."""
    outcomes: list[Outcome] = []  # list.append is atomic: threads share it safely
    start = threading.Barrier(len(plans) + 1)
    threads = [threading.Thread(target=ask_all, args=(url, number, rows, deadline, start, outcomes), daemon=True)
               for number, rows in enumerate(plans)]
    for thread in threads:
        thread.start()
    try:
        start.wait(timeout=max(deadline - time.monotonic(), 0.1))
    except threading.BrokenBarrierError:
        pass
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 0) + 5)
    return Run(name, len(plans), sum(map(len, plans)), time.perf_counter() - began, list(outcomes))


def plans_for(rows: list[dict], clients: int, questions: int, seed: int) -> list[list[dict]]:
    """Each client's questions, drawn at random (reproducibly) from the dev set."""
    return [random.Random(seed * 1000 + client).choices(rows, k=questions) for client in range(clients)]


def summary_row(result: Run) -> str:
    seconds = np.array([o.seconds for o in result.outcomes if o.error is None]) * 1000
    p50, p95, top = (np.percentile(seconds, [50, 95, 100]) if len(seconds) else (float("nan"),) * 3)
    done = len(result.outcomes)
    errors = sum(o.error is not None for o in result.outcomes)
    wrong = sum(o.wrong is not None for o in result.outcomes)
    return (f"| {result.name} | {result.clients} | {done}/{result.planned} | {errors} | {wrong} | {p50:.0f} | "
            f"{p95:.0f} | {top:.0f} | {done / result.seconds:.1f} |")


def report(runs: list[Run], rows_by_id: dict[str, dict]) -> bool:
    """Print the summary table and every failure; True when all requests ran and were right."""
    print("\n| run | clients | requests | errors | wrong | p50 ms | p95 ms | max ms | requests/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for result in runs:
        print(summary_row(result))
    ok = True
    for result in runs:
        if len(result.outcomes) < result.planned:
            ok = False
            print(f"\n{result.name}: {result.planned - len(result.outcomes)} requests not run before the time limit")
        errors = [o for o in result.outcomes if o.error]
        for outcome in errors[:10]:
            print(f"{result.name}: client {outcome.client}, {outcome.question_id}: {outcome.error}")
        wrong: dict[str, tuple[str, int]] = {}
        for outcome in result.outcomes:
            if outcome.wrong:
                reason, count = wrong.get(outcome.question_id, (outcome.wrong, 0))
                wrong[outcome.question_id] = (reason, count + 1)
        for question_id, (reason, count) in sorted(wrong.items()):
            row = rows_by_id[question_id]
            print(f"{result.name}: wrong ×{count} {question_id} [{row['kind']}] {reason}: {row['question']}")
        ok = ok and not errors and not wrong
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent users (default 8)")
    parser.add_argument("--questions", type=int, default=50, help="questions per user (default 50)")
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds for the whole test (default 300)")
    parser.add_argument("--index-dir", type=Path, help="index of the bundled article (default: a temporary one)")
    parser.add_argument("--no-query-cache", action="store_true", help="embed every question, even repeated ones")
    parser.add_argument("--seed", type=int, default=0, help="seed for drawing the questions")
    args = parser.parse_args()
    if args.clients < 1 or args.questions < 1:
        parser.error("--clients and --questions must be at least 1")
    if not ARTICLE_QA.exists():
        print(f"skipped: {ARTICLE_QA} not found (the shared evaluation data is not beside this clone)")
        return 0
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG
    deadline = time.monotonic() + args.time_limit
    rows = load_article_questions()
    if args.no_query_cache:
        from assistant.answer import assistant as core

        core.QUERY_CACHE_SIZE = 0  # read when an Assistant is created: every question reaches the model
    with tempfile.TemporaryDirectory(prefix="load-test-") as scratch:
        from assistant import Assistant
        from ui.page import DEFAULT_CONCURRENCY_LIMIT
        from ui.server import launch

        started = time.perf_counter()
        assistant = Assistant.open(args.index_dir or Path(scratch) / "index", documents=[ROOT / "documents"])
        assistant.embedder.embed(["khởi động"])  # load the model now, not in the first request
        demo = launch(assistant=assistant, port=free_port(), uploads_dir=Path(scratch) / "uploads", block=False)
        try:
            print(f"App on {demo.local_url} (queue concurrency {DEFAULT_CONCURRENCY_LIMIT}), model "
                  f"{assistant.embedder.model_id}, {len(assistant.snapshot.chunks)} passages; ready in "
                  f"{time.perf_counter() - started:.1f} s. {len(rows)} dev questions, "
                  f"{'no query cache' if args.no_query_cache else 'query cache on'}.")
            runs = [run("cold, each question once", demo.local_url, [rows], deadline),
                    run("1 client", demo.local_url, plans_for(rows, 1, args.questions, args.seed), deadline),
                    run(f"{args.clients} clients", demo.local_url,
                        plans_for(rows, args.clients, args.questions, args.seed), deadline)]
        finally:
            demo.close()
    ok = report(runs, {row["id"]: row for row in rows})
    print("\nall answers right, no errors" if ok else "\nFAILED: see the errors and wrong answers above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
