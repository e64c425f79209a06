"""The chat server: the JSON API's ask against Python's `ask()`, and 16 concurrent clients while an upload is indexed.

    python -m benchmarks chat-api                                  # 5 rounds; 200 requests at 16 concurrent
    python -m benchmarks chat-api --rounds 3 --requests 100 --clients 8

The server runs in this process on a free 127.0.0.1 port over the bundled article with the real
embedding model, with logins (a users file of one editor; every API request sends HTTP Basic).
Latency: in each round, for every dev-set question, `assistant.ask(q)` then `POST /api/v1/ask` over
a kept-alive connection, both after a warm-up pass (the question's vector is cached for both, so
the difference is what the server adds); the median of the rounds' medians is recorded, with the
target `API p50 <= 1.2 x ask() p50 + 5 ms`. Load: `--requests` questions from `--clients` threads
at once, first to the API, then to the page's `/answer` endpoint through `gradio_client`, each
while an editor's upload of a new article (20 paragraphs) is indexed; a failure is an error or a
non-2xx answer. The harness exits with 1 when the target is missed, a request fails or an upload
is not indexed.
"""

from __future__ import annotations

import base64
import logging
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .common.datasets import ARTICLE_QA, SEED_DOCUMENTS, read_jsonl, require
from .common.measure import spread
from .common.ports import free_port

EDITOR = ("bientap", "mật khẩu của bài đo")
TARGET_SHARE, TARGET_MS = 1.2, 5.0
UPLOAD_PARAGRAPHS = 20
log = logging.getLogger("benchmarks")

# An asker sends one question and returns None, or what was wrong with the answer.
Asker = Callable[[str], "str | None"]


def add_options(parser) -> None:
    parser.add_argument("--rounds", type=int, default=5, help="latency rounds (default 5)")
    parser.add_argument("--requests", type=int, default=200, help="requests per load run (default 200)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--questions", type=Path, default=ARTICLE_QA,
                        help="JSON lines with a `question` each (default: the article dev set of ../shared/eval; "
                             "tests/fixtures/article_questions.jsonl stands in without it)")


def distinct_questions(path: Path) -> list[str]:
    """The distinct questions of a JSON-lines file, in their order."""
    return list(dict.fromkeys(row["question"] for row in read_jsonl(path)))


def article(number: int) -> bytes:
    """A new article of 20 paragraphs, so that indexing it takes a while (every passage is embedded)."""
    paragraphs = [f"Bài đo số {number}, đoạn {i}: phường Bình Thạnh khánh thành cây cầu thứ {i} dài {100 + i} mét, "
                  f"nối hai bờ kênh, với tổng vốn {i * 3} tỷ đồng từ ngân sách thành phố."
                  for i in range(UPLOAD_PARAGRAPHS)]
    return ("\n\n".join(paragraphs) + "\n").encode("utf-8")


def latency(assistant, url: str, asked: list[str], rounds: int) -> dict:
    """Each round's median of `ask()` and of the API's ask over the same questions, alternating."""
    import httpx

    python_p50, api_p50 = [], []
    with httpx.Client(base_url=url, auth=EDITOR, timeout=60) as client:
        for question in asked:  # warm-up: every question's vector cached, the connection open
            assistant.ask(question)
            client.post("api/v1/ask", json={"question": question}).raise_for_status()
        for _round in range(rounds):
            python_seconds, api_seconds = [], []
            for question in asked:
                began = time.perf_counter()
                assistant.ask(question)
                python_seconds.append(time.perf_counter() - began)
                began = time.perf_counter()
                client.post("api/v1/ask", json={"question": question}).raise_for_status()
                api_seconds.append(time.perf_counter() - began)
            python_p50.append(statistics.median(python_seconds) * 1000)
            api_p50.append(statistics.median(api_seconds) * 1000)
    python_ms, api_ms = statistics.median(python_p50), statistics.median(api_p50)
    limit = TARGET_SHARE * python_ms + TARGET_MS
    return {"questions": len(asked), "rounds": rounds, "ask_p50_ms": python_ms, "api_p50_ms": api_ms,
            "ask_p50_by_round_ms": python_p50, "api_p50_by_round_ms": api_p50, "target_share": TARGET_SHARE,
            "target_added_ms": TARGET_MS, "target_ms": limit, "met": api_ms <= limit}


def api_asker(url: str) -> Asker:
    """One client of `POST /api/v1/ask` with HTTP Basic, its connection kept alive."""
    import httpx

    client = httpx.Client(base_url=url, auth=EDITOR, timeout=120)

    def ask(question: str) -> str | None:
        response = client.post("api/v1/ask", json={"question": question})
        if response.status_code != 200 or "status" not in response.json():
            return f"HTTP {response.status_code}: {response.text[:200]}"
        return None
    return ask


def page_asker(url: str) -> Asker:
    """One `gradio_client` user of the page's `/answer` endpoint, logged in with HTTP Basic."""
    from gradio_client import Client

    header = "Basic " + base64.b64encode(":".join(EDITOR).encode()).decode()
    client = Client(url, verbose=False, headers={"Authorization": header}, download_files=False)

    def ask(question: str) -> str | None:
        result = client.predict(question, None, api_name="/answer")
        return None if isinstance(result, dict) and "status" in result else f"answer: {result!r:.200}"
    return ask


def under_load(name: str, make_asker: Callable[[str], Asker], url: str, asked: list[str], requests: int,
               clients: int, upload: Callable[[], dict]) -> dict:
    """`requests` questions from `clients` threads at once while `upload()` runs in another."""
    work = [asked[i % len(asked)] for i in range(requests)]
    lock, seconds, failures = threading.Lock(), [], []
    askers = [make_asker(url) for _ in range(clients)]
    start = threading.Barrier(clients + 2)
    uploaded: dict = {}

    def worker(ask: Asker) -> None:
        start.wait()
        while True:
            with lock:
                if not work:
                    return
                question = work.pop()
            began = time.perf_counter()
            try:
                failure = ask(question)
            except Exception as error:  # noqa: BLE001 - every failure is counted, whatever it is
                failure = f"{type(error).__name__}: {error}"
            with lock:
                seconds.append(time.perf_counter() - began)
                if failure:
                    failures.append(failure)

    def uploader() -> None:
        start.wait()
        began = time.perf_counter()
        uploaded.update(upload())
        uploaded["seconds"] = time.perf_counter() - began

    threads = [threading.Thread(target=worker, args=(ask,)) for ask in askers] + [threading.Thread(target=uploader)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {"name": name, "clients": clients, "planned": requests, "requests": len(seconds),
            "failures": len(failures), "failure_examples": failures[:5], "seconds": wall,
            "requests_per_second": len(seconds) / wall, "ms": spread(seconds, 1000) if seconds else None,
            "upload": uploaded}


def run(options) -> dict:
    if options.rounds < 1 or options.requests < 1 or options.clients < 1:
        raise ValueError("--rounds, --requests and --clients must be at least 1")
    require(options.questions)
    logging.getLogger("bm25s").setLevel(logging.WARNING)  # bm25s sets its own logger to DEBUG
    import httpx

    from assistant import Assistant
    from ui.auth import Access
    from ui.server import launch
    from ui.users import EDITOR as EDITOR_ROLE
    from ui.users import UsersFile

    asked = distinct_questions(options.questions)
    with tempfile.TemporaryDirectory(prefix="chat-api-") as scratch:
        scratch = Path(scratch)
        started = time.perf_counter()
        assistant = Assistant.open(scratch / "index", documents=[SEED_DOCUMENTS])
        assistant.embedder.embed(["khởi động"])  # load the model now, not in the first request
        users = UsersFile(scratch / "users.json")
        users.add(EDITOR[0], EDITOR_ROLE, EDITOR[1])
        server = launch(assistant=assistant, port=free_port(), uploads_dir=scratch / "uploads",
                        access=Access(users), block=False)
        ready, passages = time.perf_counter() - started, len(assistant.snapshot.chunks)
        log.info("chat-api: server on %s with logins, %d passages, %d questions; ready in %.1f s",
                 server.local_url, passages, len(asked), ready)
        uploads = iter(range(1, 100))

        def upload() -> dict:
            number = next(uploads)
            with httpx.Client(base_url=server.local_url, auth=EDITOR, timeout=300) as client:
                response = client.post("api/v1/documents", files={"file": (f"bai-do-{number}.txt", article(number))})
            return {"status": response.status_code, "ok": response.status_code == 201}

        try:
            measured = latency(assistant, server.local_url, asked, options.rounds)
            runs = [under_load(label, make_asker, server.local_url, asked, options.requests, options.clients, upload)
                    for label, make_asker in (("API POST /api/v1/ask", api_asker),
                                              ("chat page /answer (gradio_client)", page_asker))]
        finally:
            server.close()
    failed = not measured["met"] or any(r["failures"] or r["requests"] < r["planned"] or not r["upload"].get("ok")
                                        for r in runs)
    return {"model": assistant.embedder.model_id, "passages": passages,
            "upload_paragraphs": UPLOAD_PARAGRAPHS, "ready_seconds": ready, "latency": measured, "load": runs,
            "failed": failed}
