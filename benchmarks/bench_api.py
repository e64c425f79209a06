"""The chat server under load: the JSON API's `ask` against Python's `ask()`, and 200 requests at 16
concurrent, to the API and to the chat page's own endpoint, while an editor's upload is being indexed.

    python benchmarks/bench_api.py                          # 5 rounds, 200 requests at 16 concurrent
    python benchmarks/bench_api.py --rounds 3 --requests 100 --clients 8

The server runs in this process on a free 127.0.0.1 port over the bundled article with the real
embedding model, with logins (a users file of one editor; every API request sends HTTP Basic).
Latency: in each round, for every dev-set question, `assistant.ask(q)` then `POST /api/v1/ask` over a
kept-alive connection, both after a warm-up pass (the question's vector is cached for both, so the
difference is what the server adds); the per-round medians' median is reported, with the target
`API p50 <= 1.2 x ask() p50 + 5 ms`. Load: `--requests` questions from `--clients` threads at once,
first to the API, then to the page's `/answer` endpoint through `gradio_client`, each while an
upload of a new article (20 paragraphs) is indexed; a failure is an error or a non-2xx answer.
Prints the tables and writes benchmarks/results/api.json; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from xquad import ARTICLE_QA, RESULTS, ROOT

FALLBACK_QUESTIONS = ROOT / "tests" / "fixtures" / "article_questions.jsonl"
EDITOR = ("bientap", "mật khẩu của bài đo")
TARGET_SHARE, TARGET_MS = 1.2, 5.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def questions() -> list[str]:
    path = ARTICLE_QA if ARTICLE_QA.exists() else FALLBACK_QUESTIONS
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return list(dict.fromkeys(row["question"] for row in rows))


def article(number: int) -> bytes:
    """A new article of 20 paragraphs, so that indexing it takes a while (every passage is embedded)."""
    paragraphs = [f"Bài đo số {number}, đoạn {i}: phường Bình Thạnh khánh thành cây cầu thứ {i} dài {100 + i} mét, "
                  f"nối hai bờ kênh, với tổng vốn {i * 3} tỷ đồng từ ngân sách thành phố." for i in range(20)]
    return ("\n\n".join(paragraphs) + "\n").encode("utf-8")


def percentiles(seconds: list[float]) -> dict[str, float]:
    values = np.array(seconds) * 1000
    return {"p50_ms": float(np.percentile(values, 50)), "p95_ms": float(np.percentile(values, 95)),
            "max_ms": float(values.max())} if len(values) else {"p50_ms": float("nan")}


def latency(assistant, url: str, asked: list[str], rounds: int, auth) -> dict:
    """Per-round p50 of ask() and of the API's ask, over the same questions, alternating."""
    import httpx

    python_p50, api_p50 = [], []
    with httpx.Client(base_url=url, auth=auth, timeout=60) as client:
        for question in asked:  # warm-up: every question's vector cached, the connection open
            assistant.ask(question)
            client.post("api/v1/ask", json={"question": question}).raise_for_status()
        for _ in range(rounds):
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
            "api_p50_by_round_ms": api_p50, "ask_p50_by_round_ms": python_p50, "target_ms": limit,
            "met": api_ms <= limit}


def api_asker(url: str, auth):
    import httpx

    client = httpx.Client(base_url=url, auth=auth, timeout=120)

    def ask(question: str) -> str | None:
        response = client.post("api/v1/ask", json={"question": question})
        if response.status_code != 200 or "status" not in response.json():
            return f"HTTP {response.status_code}: {response.text[:200]}"
        return None
    return ask


def page_asker(url: str, auth):
    from gradio_client import Client

    header = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
    client = Client(url, verbose=False, headers={"Authorization": header}, download_files=False)

    def ask(question: str) -> str | None:
        result = client.predict(question, None, api_name="/answer")
        return None if isinstance(result, dict) and "status" in result else f"answer: {result!r:.200}"
    return ask


def load(name: str, make_asker, url: str, asked: list[str], requests: int, clients: int, auth, upload) -> dict:
    """`requests` questions from `clients` threads at once while `upload()` runs in another."""
    work = [asked[i % len(asked)] for i in range(requests)]
    lock, seconds, failures = threading.Lock(), [], []
    askers = [make_asker(url, auth) for _ in range(clients)]
    start = threading.Barrier(clients + 2)
    upload_result: dict = {}

    def worker(ask) -> None:
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
        upload_result.update(upload())
        upload_result["seconds"] = time.perf_counter() - began

    threads = [threading.Thread(target=worker, args=(ask,)) for ask in askers] + [threading.Thread(target=uploader)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {"name": name, "clients": clients, "requests": len(seconds), "failures": len(failures),
            "failure_examples": failures[:5], "requests_per_second": len(seconds) / wall, **percentiles(seconds),
            "upload": upload_result}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="latency rounds (default 5)")
    parser.add_argument("--requests", type=int, default=200, help="requests per load run (default 200)")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    import httpx

    from assistant import Assistant
    from ui.auth import Access
    from ui.server import launch
    from ui.users import EDITOR as EDITOR_ROLE
    from ui.users import UsersFile

    asked = questions()
    with tempfile.TemporaryDirectory(prefix="bench-api-") as scratch:
        scratch = Path(scratch)
        started = time.perf_counter()
        assistant = Assistant.open(scratch / "index", documents=[ROOT / "documents"])
        assistant.embedder.embed(["khởi động"])
        users = UsersFile(scratch / "users.json")
        users.add(EDITOR[0], EDITOR_ROLE, EDITOR[1])
        server = launch(assistant=assistant, port=free_port(), uploads_dir=scratch / "uploads",
                        access=Access(users), block=False)
        print(f"Server on {server.local_url} with logins, model {assistant.embedder.model_id}, "
              f"{len(assistant.snapshot.chunks)} passages, {len(asked)} questions; ready in "
              f"{time.perf_counter() - started:.1f} s.")
        uploads = iter(range(1, 100))

        def upload() -> dict:
            number = next(uploads)
            with httpx.Client(base_url=server.local_url, auth=EDITOR, timeout=300) as client:
                response = client.post("api/v1/documents", files={"file": (f"bai-do-{number}.txt", article(number))})
            return {"status": response.status_code, "ok": response.status_code == 201}

        try:
            measured = {"latency": latency(assistant, server.local_url, asked, args.rounds, EDITOR)}
            runs = [load("API POST /api/v1/ask", api_asker, server.local_url, asked, args.requests, args.clients,
                         EDITOR, upload),
                    load("chat page /answer (gradio_client)", page_asker, server.local_url, asked, args.requests,
                         args.clients, EDITOR, upload)]
        finally:
            server.close()
    measured["load"] = runs
    report(measured)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api.json").write_text(json.dumps(measured, ensure_ascii=False, indent=2), encoding="utf-8")
    ok = measured["latency"]["met"] and all(run["failures"] == 0 and run["upload"].get("ok") for run in runs)
    print("\nall targets met" if ok else "\nFAILED: see above")
    return 0 if ok else 1


def report(measured: dict) -> None:
    late = measured["latency"]
    print(f"\n| what | p50 ms |\n|---|---|\n| Python ask() | {late['ask_p50_ms']:.1f} |\n"
          f"| API POST /api/v1/ask (HTTP Basic) | {late['api_p50_ms']:.1f} |\n"
          f"| target: 1.2 × ask() + 5 ms | {late['target_ms']:.1f} ({'met' if late['met'] else 'missed'}) |")
    print(f"(median over {late['rounds']} rounds of each round's p50, {late['questions']} questions, vectors cached)")
    print("\n| run | clients | requests | failures | p50 ms | p95 ms | max ms | requests/s | upload meanwhile |")
    print("|---|---|---|---|---|---|---|---|---|")
    for run in measured["load"]:
        upload = run["upload"]
        print(f"| {run['name']} | {run['clients']} | {run['requests']} | {run['failures']} | {run['p50_ms']:.0f} | "
              f"{run['p95_ms']:.0f} | {run['max_ms']:.0f} | {run['requests_per_second']:.1f} | "
              f"{'indexed' if upload.get('ok') else 'FAILED'} in {upload.get('seconds', 0):.1f} s |")
        for example in run["failure_examples"]:
            print(f"  {run['name']}: {example}")


if __name__ == "__main__":
    sys.exit(main())
