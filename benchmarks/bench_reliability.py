"""Reliability under hostile files and concurrent use, through the command line as a user runs it.

    python benchmarks/bench_reliability.py large-file [--runs 3]
    python benchmarks/bench_reliability.py ask-during-index [--news DIR] [--asks 20]
    python benchmarks/bench_reliability.py milvus-lite [--readers 3]

- `large-file`: files of short sentences on one line, as a hostile upload writes them. The
  5.5 MB one (500k × "Tin tức. ") against the 5 MB limit; a 4.9 MB one of the same sentence
  indexed by `assistant index` with the real model (median of `--runs`), its progress lines and
  its longest passage; and the text handling of 4.9 MB of distinct sentences (loading, cutting,
  tokenising, counting terms: an in-process update with the fake embedder), whose embedding is
  then the model's passages per second.
- `ask-during-index`: an index of the first half of `--news` (the 300 articles of
  ../shared/eval/news), then `assistant index --rebuild` adding the other half (and embedding
  every passage again, so that it runs as long as the asks) while `--asks` questions are asked
  in a loop, alternately with `--index-dir` and as the default index
  (`ASSISTANT_INDEX_DIR`, whose `ask` would update it but finds the indexer's lock): failures,
  latencies. Then the watched folder renamed: what `index` and `ask` do, documents left.
- `milvus-lite`: `--readers` parallel `ask` on a Milvus Lite index, then the same through a
  `milvus-lite server` over the same file.

Every number is printed as one JSON line. Uses the real bundled model (converted on first use).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT.parent / "shared" / "eval" / "news"
QUESTION = "Ai là Chủ tịch UBND phường Tân Mỹ?"


def run_cli(*args, env: dict | None = None, **options) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS`, as a user runs it (UTF-8 output captured)."""
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}, cwd=ROOT, **options)


def start_cli(*args, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "assistant", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})


def report(name: str, **values) -> None:
    print(json.dumps({"measure": name, **values}, ensure_ascii=False), flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- large-file ---------------------------------------------------------------------------------

def large_file(options, work: Path) -> None:
    sentence = "Tin tức. "
    over = work / "qua-lon" / "tin.txt"
    over.parent.mkdir()
    over.write_text(sentence * 500_000, encoding="utf-8")
    started = time.perf_counter()
    refused = run_cli("index", over, "--index-dir", work / "index-over")
    report("500k sentences, refused", bytes=over.stat().st_size, seconds=round(time.perf_counter() - started, 2),
           exit=refused.returncode, stderr=refused.stderr.strip())

    under = work / "vua" / "tin.txt"
    under.parent.mkdir()
    count = 4_900_000 // len(sentence.encode("utf-8"))
    under.write_text(sentence * count, encoding="utf-8")
    seconds, lines = [], []
    for run in range(options.runs):
        index_dir = work / f"index-{run}"
        started = time.perf_counter()
        indexed = run_cli("index", under, "--index-dir", index_dir)
        seconds.append(time.perf_counter() - started)
        assert indexed.returncode == 0, indexed.stderr
        lines = indexed.stderr.strip().splitlines()
        summary = indexed.stdout.strip()
    longest = _longest_passage(work / "index-0")
    report("one sentence repeated, indexed", sentences=count, bytes=under.stat().st_size,
           median_seconds=round(statistics.median(seconds), 2), runs=[round(s, 2) for s in seconds],
           progress_lines=lines, summary=summary, longest_passage=longest)

    distinct = _distinct_sentences(4_900_000)
    varied = work / "khac-nhau" / "tin.txt"
    varied.parent.mkdir()
    varied.write_text(distinct, encoding="utf-8")
    seconds, passages = [], 0
    for _ in range(options.runs):
        elapsed, passages = _text_handling(varied, work)
        seconds.append(elapsed)
    report("distinct short sentences, text handling (fake embedder)", bytes=varied.stat().st_size,
           sentences=distinct.count(". "), passages=passages,
           median_seconds=round(statistics.median(seconds), 2), runs=[round(s, 2) for s in seconds])


def _distinct_sentences(size: int) -> str:
    """Short sentences, each different ("Tin so 12345."), `size` bytes of them at most."""
    sentences, total, number = [], 0, 0
    while total + 20 < size:
        sentence = f"Tin so {number}. "
        sentences.append(sentence)
        total += len(sentence)
        number += 1
    return "".join(sentences)


def _longest_passage(index_dir: Path) -> int:
    from assistant import Assistant
    from assistant.testing import HashingEmbedder

    snapshot = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False).snapshot
    return max(chunk.end - chunk.start for chunk in snapshot.chunks)


def _text_handling(path: Path, work: Path) -> tuple[float, int]:
    """Seconds to index `path` with the fake embedder (everything but the model), and its passages."""
    from assistant import Assistant
    from assistant.testing import HashingEmbedder

    index_dir = Path(tempfile.mkdtemp(dir=work))
    started = time.perf_counter()
    indexed = Assistant(index_dir, embedder=HashingEmbedder()).index(paths=[path])
    elapsed = time.perf_counter() - started
    assert indexed.added and _longest_passage(index_dir) <= 1500
    shutil.rmtree(index_dir)
    return elapsed, indexed.embedded_chunks


# --- ask-during-index ---------------------------------------------------------------------------

def ask_during_index(options, work: Path) -> None:
    articles = sorted(Path(options.news).glob("*.txt"))
    if len(articles) < 2:
        sys.exit(f"no articles in {options.news}; give a folder of .txt news with --news")
    folder = work / "news"
    folder.mkdir()
    half = len(articles) // 2
    for article in articles[:half]:
        shutil.copy(article, folder)
    index_dir = work / "index"
    started = time.perf_counter()
    built = run_cli("index", folder, "--index-dir", index_dir, "-q")
    assert built.returncode == 0, built.stderr
    report("first half indexed", articles=half, seconds=round(time.perf_counter() - started, 1),
           summary=built.stdout.strip())

    for article in articles[half:]:
        shutil.copy(article, folder)
    # Adding the second half and embedding every passage again keeps the indexer busy for all the asks.
    indexer = start_cli("index", "--rebuild", "--index-dir", index_dir)
    outcomes = []
    for number in range(options.asks):
        as_default = number % 2 == 1
        args = ["ask", QUESTION, "--json"] + ([] if as_default else ["--index-dir", index_dir])
        env = {"ASSISTANT_INDEX_DIR": str(index_dir)} if as_default else None
        started = time.perf_counter()
        asked = run_cli(*args, env=env)
        outcomes.append({"default_index": as_default, "exit": asked.returncode,
                         "seconds": round(time.perf_counter() - started, 2),
                         "during_index": indexer.poll() is None,
                         "status": json.loads(asked.stdout)["status"] if asked.returncode == 0 else None,
                         "stderr": asked.stderr.strip()[-300:]})
    indexed_out, indexed_err = indexer.communicate()
    failures = [o for o in outcomes if o["exit"] != 0]
    during = [o["seconds"] for o in outcomes if o["during_index"]]
    report("asks while `assistant index --rebuild` adds the second half", asks=len(outcomes),
           during_index=len(during), failures=len(failures), failed=failures[:3],
           p50_seconds=round(statistics.median(during), 2) if during else None,
           p95_seconds=round(percentile(during, 0.95), 2) if during else None,
           indexer_exit=indexer.returncode, indexer_summary=indexed_out.strip(),
           notes=sorted({o["stderr"] for o in outcomes if o["stderr"]})[:3])

    moved = folder.with_name("news-renamed")
    folder.rename(moved)
    refused = run_cli("index", "--index-dir", index_dir)
    asked = run_cli("ask", QUESTION, "--json", env={"ASSISTANT_INDEX_DIR": str(index_dir)})
    listed = run_cli("documents", "--index-dir", index_dir)
    report("watched folder renamed", index_exit=refused.returncode, index_stderr=refused.stderr.strip(),
           ask_exit=asked.returncode, ask_stderr=asked.stderr.strip(),
           documents_left=len(listed.stdout.splitlines()), documents_indexed=len(articles))
    moved.rename(folder)


# --- milvus-lite --------------------------------------------------------------------------------

def milvus_lite(options, work: Path) -> None:
    lite = {"ASSISTANT_STORE": "milvus"}
    index_dir = work / "index"
    built = run_cli("index", ROOT / "documents", "--index-dir", index_dir, "-q", env=lite)
    assert built.returncode == 0, built.stderr
    report("parallel readers of a Milvus Lite file", **_parallel_asks(index_dir, lite, options.readers))

    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("milvus-lite")), "server", "--data-dir",
                               str(index_dir / "milvus.db"), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port)
        served = {**lite, "ASSISTANT_MILVUS_URI": f"http://127.0.0.1:{port}"}
        report("parallel readers through `milvus-lite server`", **_parallel_asks(index_dir, served, options.readers))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def _parallel_asks(index_dir: Path, env: dict, readers: int) -> dict:
    started = time.perf_counter()
    asks = [start_cli("ask", QUESTION, "--json", "--index-dir", index_dir, env=env) for _ in range(readers)]
    results = [(ask.wait(), ask.stdout.read(), ask.stderr.read()) for ask in asks]
    return {"readers": readers, "answered": sum(1 for code, _out, _err in results if code == 0),
            "refused": sum(1 for code, _out, _err in results if code != 0),
            "seconds": round(time.perf_counter() - started, 1),
            "refusals": sorted({err.strip() for code, _out, err in results if code != 0})}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"milvus-lite server did not listen on {port}")


MEASURES = {"large-file": large_file, "ask-during-index": ask_during_index, "milvus-lite": milvus_lite}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("measure", choices=sorted(MEASURES))
    parser.add_argument("--runs", type=int, default=3, help="runs of each timing (the median is reported)")
    parser.add_argument("--news", default=str(NEWS), help="a folder of .txt news articles (default: ../shared/eval/news)")
    parser.add_argument("--asks", type=int, default=20, help="questions asked while the indexer runs")
    parser.add_argument("--readers", type=int, default=3, help="parallel readers of the Milvus Lite index")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reliability-") as work:
        MEASURES[options.measure](options, Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
