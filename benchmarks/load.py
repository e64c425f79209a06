"""Load test: the chat app served on 127.0.0.1, concurrent `gradio_client` users asking the article dev set.

    python -m benchmarks load [--clients 8] [--questions 50] [--time-limit 300] [--index-dir DIR]

The app runs in this process on a free local port over the bundled article (index built in a
temporary folder unless --index-dir is given) with the real embedding model. Every answer from the
`/answer` endpoint is checked: answerable questions must not be `not_found` and must have an
evidence string in one of the top 3 cited passages, unanswerable ones must not be `answered`. Three runs: each distinct question
once (cold: the model embeds every question), then one client, then `--clients` clients. The dev
set holds few distinct questions, so the last two runs mostly hit the query-vector cache, as
repeated chat questions do; `--no-query-cache` makes the model embed every request instead.
The record lists every error and wrong answer; the harness exits with 1 on any of them or on an
unfinished request.
"""

from __future__ import annotations

import logging
import random
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.text.normalize import nfc

from .common.datasets import ARTICLE_QA, SEED_DOCUMENTS, load_article_questions, require
from .common.measure import percentile
from .common.ports import free_port

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


def run_users(name: str, url: str, plans: list[list[dict]], deadline: float) -> Run:
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


def summary(result: Run, rows_by_id: dict[str, dict]) -> dict:
    """One run's requests, errors, wrong answers (by question), latency percentiles and rate."""
    milliseconds = [o.seconds * 1000 for o in result.outcomes if o.error is None]
    wrong: dict[str, dict] = {}
    for outcome in result.outcomes:
        if outcome.wrong:
            row = rows_by_id[outcome.question_id]
            entry = wrong.setdefault(outcome.question_id, {"kind": row["kind"], "question": row["question"],
                                                           "reason": outcome.wrong, "times": 0})
            entry["times"] += 1
    errors = [o for o in result.outcomes if o.error]
    return {"run": result.name, "clients": result.clients, "planned": result.planned, "done": len(result.outcomes),
            "errors": len(errors), "wrong": sum(o.wrong is not None for o in result.outcomes),
            "p50_ms": percentile(milliseconds, 50) if milliseconds else None,
            "p95_ms": percentile(milliseconds, 95) if milliseconds else None,
            "max_ms": percentile(milliseconds, 100) if milliseconds else None,
            "requests_per_second": len(result.outcomes) / result.seconds,
            "first_errors": [{"client": o.client, "question": o.question_id, "error": o.error} for o in errors[:10]],
            "wrong_answers": dict(sorted(wrong.items()))}


def add_options(parser) -> None:
    parser.add_argument("--clients", type=int, default=8, help="concurrent users (default 8)")
    parser.add_argument("--questions", type=int, default=50, help="questions per user (default 50)")
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds for the whole test (default 300)")
    parser.add_argument("--index-dir", type=Path, help="index of the bundled article (default: a temporary one)")
    parser.add_argument("--no-query-cache", action="store_true", help="embed every question, even repeated ones")
    parser.add_argument("--seed", type=int, default=0, help="seed for drawing the questions")


def variant(options) -> str | None:
    return "no-query-cache" if options.no_query_cache else None


def run(options) -> dict:
    if options.clients < 1 or options.questions < 1:
        raise ValueError("--clients and --questions must be at least 1")
    require(ARTICLE_QA)
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG
    deadline = time.monotonic() + options.time_limit
    rows = load_article_questions()
    if options.no_query_cache:
        from assistant.answer import assistant as core

        core.QUERY_CACHE_SIZE = 0  # read when an Assistant is created: every question reaches the model
    with tempfile.TemporaryDirectory(prefix="load-test-") as scratch:
        from assistant import Assistant
        from ui.page import DEFAULT_CONCURRENCY_LIMIT
        from ui.server import launch

        started = time.perf_counter()
        assistant = Assistant.open(options.index_dir or Path(scratch) / "index", documents=[SEED_DOCUMENTS])
        assistant.embedder.embed(["khởi động"])  # load the model now, not in the first request
        demo = launch(assistant=assistant, port=free_port(), uploads_dir=Path(scratch) / "uploads", block=False)
        ready = time.perf_counter() - started
        passages = len(assistant.snapshot.chunks)  # read now: the index goes with the scratch folder
        try:
            runs = [run_users("each question once", demo.local_url, [rows], deadline),
                    run_users("1 client", demo.local_url, plans_for(rows, 1, options.questions, options.seed), deadline),
                    run_users(f"{options.clients} clients", demo.local_url,
                              plans_for(rows, options.clients, options.questions, options.seed), deadline)]
        finally:
            demo.close()
    rows_by_id = {row["id"]: row for row in rows}
    summaries = [summary(result, rows_by_id) for result in runs]
    failed = any(s["done"] < s["planned"] or s["errors"] or s["wrong"] for s in summaries)
    return {"concurrency_limit": DEFAULT_CONCURRENCY_LIMIT, "model": assistant.embedder.model_id,
            "passages": passages, "dev_questions": len(rows), "ready_seconds": ready,
            "query_cache": not options.no_query_cache, "runs": summaries, "failed": failed}
