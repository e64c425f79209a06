"""Reliability under hostile files and concurrent use, through the command line as a user runs it.

    python -m benchmarks reliability large-file [--runs 3] [--model-passages 100]
    python -m benchmarks reliability ask-during-index [--news DIR] [--asks 20]
    python -m benchmarks reliability milvus-lite [--readers 3]     # needs the scale extra

Each measure writes its own record, `reliability-MEASURE.json` (`reliability-large-file-all-passages.json`
with `--model-passages 0`):

- `large-file`: files of short sentences on one line, as a hostile upload writes them. The
  5.5 MB one (500k × "Tin tức. ") against the 5 MB limit; a 4.9 MB one of the same sentence
  indexed by `assistant index` with the real model (`--runs` times), its progress lines and its
  longest passage; and 4.9 MB of distinct sentences: the text handling (loading, cutting,
  tokenising, counting terms: an in-process update with the fake embedder, `--runs` times), then
  the model's passages per second on `--model-passages` of its passages, spread over the file,
  embedded as the indexer does (every core), from which the model's time for all of them follows.
  `--model-passages 0` embeds every one instead (minutes of model time on 2 cores).
- `ask-during-index`: an index of the first half of `--news` (the 300 articles of
  ../shared/eval/news), then `assistant index --rebuild` adding the other half (and embedding
  every passage again, so that it runs as long as the asks) while `--asks` questions are asked
  in a loop, alternately with `--index-dir` and as the default index (`ASSISTANT_INDEX_DIR`,
  whose `ask` would update it but finds the indexer's lock): failures, latencies. Then the
  watched folder renamed: what `index` and `ask` do, and the documents left.
- `milvus-lite`: `--readers` parallel `ask` on a Milvus Lite index, then the same through a
  `milvus-lite server` over the same file.

Uses the real bundled model (converted on first use).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from .common.datasets import NEWS, ROOT, SEED_DOCUMENTS, require
from .common.measure import spread, timed
from .common.ports import free_port, wait_for_port

QUESTION = "Ai là Chủ tịch UBND phường Tân Mỹ?"
SENTENCE = "Tin tức. "
REFUSED_SENTENCES = 500_000  # 5.5 MB, over the 5 MB limit of a file
LARGE_BYTES = 4_900_000  # just under it
log = logging.getLogger("benchmarks")


def add_options(parser) -> None:
    parser.add_argument("measure", choices=sorted(MEASURES), help="what to measure (each writes its own record)")
    parser.add_argument("--runs", type=int, default=3, help="large-file: runs of each timing (default 3)")
    parser.add_argument("--model-passages", type=int, default=100,
                        help="large-file: distinct passages the model embeds to give its rate (default 100; "
                             "0: every one, minutes of model time)")
    parser.add_argument("--news", type=Path, default=NEWS,
                        help="ask-during-index: a folder of .txt news articles (default: ../shared/eval/news)")
    parser.add_argument("--asks", type=int, default=20, help="ask-during-index: questions asked while the indexer "
                                                             "runs (default 20)")
    parser.add_argument("--readers", type=int, default=3, help="milvus-lite: parallel readers (default 3)")


def variant(options) -> str:
    """The measure; `large-file-all-passages` when the model embeds every distinct passage."""
    return "large-file-all-passages" if options.measure == "large-file" and options.model_passages == 0 \
        else options.measure


def run(options) -> dict:
    if options.runs < 1 or options.asks < 1 or options.readers < 1 or options.model_passages < 0:
        raise ValueError("--runs, --asks and --readers must be at least 1, --model-passages at least 0")
    with tempfile.TemporaryDirectory(prefix="reliability-") as work:
        return MEASURES[options.measure](options, Path(work))


def run_cli(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS`, as a user runs it (UTF-8 output captured)."""
    return subprocess.run([sys.executable, "-m", "assistant", *map(str, args)], check=False, capture_output=True,
                          text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}, cwd=ROOT)


def start_cli(*args, env: dict | None = None) -> subprocess.Popen:
    """`python -m assistant ARGS` started in the background, its output piped."""
    return subprocess.Popen([sys.executable, "-m", "assistant", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})


def succeeded(completed: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    """`completed`, once checked.

    Raises:
        RuntimeError: the command failed, with the end of its standard error.
    """
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(completed.args[1:])} failed ({completed.returncode}):\n"
                           f"{completed.stderr[-2000:]}")
    return completed


def embedded_in(summary: str) -> int | None:
    """The passages an `assistant index` summary says it embedded."""
    found = re.search(r"(\d+) passages embedded", summary)
    return int(found[1]) if found else None


# --- large-file ---------------------------------------------------------------------------------

def large_file(options, work: Path) -> dict:
    over = work / "qua-lon" / "tin.txt"
    over.parent.mkdir()
    over.write_text(SENTENCE * REFUSED_SENTENCES, encoding="utf-8")
    seconds, refused = timed(lambda: run_cli("index", over, "--index-dir", work / "index-over"))
    results = {"refused": {"sentences": REFUSED_SENTENCES, "bytes": over.stat().st_size, "seconds": seconds,
                           "exit": refused.returncode, "stderr": refused.stderr.strip()}}
    log.info("large-file: %s", results["refused"])
    results["repeated"] = _repeated_sentence(options.runs, work)
    log.info("large-file: one sentence repeated, indexed in %.1f s (median)", results["repeated"]["seconds"]["median"])
    results["distinct"] = _distinct_sentences(options.runs, options.model_passages, work)
    return results


def _repeated_sentence(runs: int, work: Path) -> dict:
    """A 4.9 MB line of one sentence, indexed with the real model by the command line `runs` times."""
    under = work / "vua" / "tin.txt"
    under.parent.mkdir()
    count = LARGE_BYTES // len(SENTENCE.encode("utf-8"))
    under.write_text(SENTENCE * count, encoding="utf-8")
    seconds = []
    for number in range(runs):
        elapsed, indexed = timed(partial(run_cli, "index", under, "--index-dir", work / f"index-{number}"))
        seconds.append(elapsed)
        succeeded(indexed)
    return {"sentences": count, "bytes": under.stat().st_size, "seconds": spread(seconds), "each_seconds": seconds,
            "progress_lines": indexed.stderr.strip().splitlines(), "summary": indexed.stdout.strip(),
            "embedded": embedded_in(indexed.stdout), **_passage_facts(work / "index-0")}


def distinct_text(size: int) -> str:
    """Short sentences, each different ("Tin so 12345. "), `size` bytes of them at most."""
    sentences, total, number = [], 0, 0
    while total + 20 < size:
        sentence = f"Tin so {number}. "
        sentences.append(sentence)
        total += len(sentence)
        number += 1
    return "".join(sentences)


def _distinct_sentences(runs: int, model_passages: int, work: Path) -> dict:
    """4.9 MB of distinct sentences: everything but the model `runs` times, then the model."""
    from assistant import Assistant
    from assistant.testing import HashingEmbedder

    text = distinct_text(LARGE_BYTES)
    varied = work / "khac-nhau" / "tin.txt"
    varied.parent.mkdir()
    varied.write_text(text, encoding="utf-8")
    seconds = []
    for number in range(runs):
        index_dir = work / f"index-distinct-{number}"
        started = time.perf_counter()
        indexed = Assistant(index_dir, embedder=HashingEmbedder()).index(paths=[varied])
        seconds.append(time.perf_counter() - started)
        if not indexed.added:
            raise RuntimeError(f"{varied} was not indexed: {indexed.summary()}")
    facts = _passage_facts(index_dir)
    if facts["longest_passage"] > 1500:
        raise RuntimeError(f"a passage of {facts['longest_passage']} characters: passages are at most 1,500")
    log.info("large-file: distinct sentences, %d passages, text handling %.1f s (median); now the model",
             facts["passages"], spread(seconds)["median"])
    return {"bytes": varied.stat().st_size, "sentences": text.count(". "), "embedded": indexed.embedded_chunks,
            "text_seconds": spread(seconds), "each_text_seconds": seconds, **facts,
            "model": _model_rate(index_dir, model_passages)}


def _passage_facts(index_dir: Path) -> dict:
    """The passages of an index, how many distinct texts they hold, and the longest one's characters."""
    from assistant import Assistant
    from assistant.testing import HashingEmbedder

    chunks = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False).snapshot.chunks
    return {"passages": len(chunks), "distinct_passages": len({chunk.text for chunk in chunks}),
            "longest_passage": max(chunk.end - chunk.start for chunk in chunks)}


def _model_rate(index_dir: Path, sample: int) -> dict:
    """The real model's passages per second on `sample` passages of the index (0: all of them),
    embedded as the indexer embeds them, and its time for every passage at that rate."""
    from assistant import Assistant, Settings
    from assistant.embed.bulk import available_cores, embed_in_bulk
    from assistant.embed.embedders import make_embedder
    from assistant.testing import HashingEmbedder

    snapshot = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False).snapshot
    texts = [chunk.search_text(snapshot.documents[chunk.document_id].title) for chunk in snapshot.chunks]
    chosen = texts if sample == 0 or sample >= len(texts) else texts[::len(texts) // sample][:sample]
    settings = Settings.from_env()
    embedder = make_embedder(settings)
    embedder.embed(["khởi động"])  # the model's load is not part of its rate
    workers = settings.index_workers or available_cores()
    seconds, _vectors = timed(lambda: embed_in_bulk(embedder, chosen, [str(i) for i in range(len(chosen))],
                                                    batch_size=settings.batch_size, workers=workers, cache=None))
    rate = len(chosen) / seconds
    return {"model": embedder.model_id, "workers": workers, "batch_size": settings.batch_size,
            "passages": len(chosen), "mean_characters": sum(map(len, chosen)) / len(chosen), "seconds": seconds,
            "passages_per_second": rate, "estimated": len(chosen) < len(texts), "all_seconds": len(texts) / rate}


# --- ask-during-index ---------------------------------------------------------------------------

def ask_during_index(options, work: Path) -> dict:
    if options.news == NEWS:
        require(NEWS)
    articles = sorted(Path(options.news).glob("*.txt"))
    if len(articles) < 2:
        raise ValueError(f"no articles in {options.news}; give a folder of .txt news with --news")
    folder = work / "news"
    folder.mkdir()
    half = len(articles) // 2
    for article in articles[:half]:
        shutil.copy(article, folder)
    index_dir = work / "index"
    seconds, built = timed(lambda: succeeded(run_cli("index", folder, "--index-dir", index_dir, "-q")))
    results = {"first_half": {"articles": half, "seconds": seconds, "summary": built.stdout.strip()}}
    log.info("ask-during-index: first half indexed in %.0f s; asking while the rest is indexed", seconds)

    for article in articles[half:]:
        shutil.copy(article, folder)
    results["during"] = _asks_while_indexing(index_dir, options.asks, len(articles) - half)
    log.info("ask-during-index: %d asks, %d failures", results["during"]["asks"], results["during"]["failures"])

    moved = folder.with_name("news-renamed")
    folder.rename(moved)
    refused = run_cli("index", "--index-dir", index_dir)
    asked = run_cli("ask", QUESTION, "--json", env={"ASSISTANT_INDEX_DIR": str(index_dir)})
    listed = run_cli("documents", "--index-dir", index_dir)
    results["renamed"] = {"index_exit": refused.returncode, "index_stderr": refused.stderr.strip(),
                          "ask_exit": asked.returncode, "ask_stderr": asked.stderr.strip(),
                          "documents_left": len(listed.stdout.splitlines()), "documents_indexed": len(articles)}
    moved.rename(folder)
    return results


def _asks_while_indexing(index_dir: Path, asks: int, added: int) -> dict:
    """`asks` asks, alternately with `--index-dir` and on the default index, while
    `assistant index --rebuild` runs: adding the second half and embedding every passage again
    keeps the indexer busy for all of them."""
    began = time.perf_counter()
    indexer = start_cli("index", "--rebuild", "--index-dir", index_dir)
    outcomes = []
    for number in range(asks):
        as_default = number % 2 == 1
        args = ["ask", QUESTION, "--json"] + ([] if as_default else ["--index-dir", index_dir])
        env = {"ASSISTANT_INDEX_DIR": str(index_dir)} if as_default else None
        seconds, asked = timed(partial(run_cli, *args, env=env))
        outcomes.append({"default_index": as_default, "exit": asked.returncode, "seconds": seconds,
                         "during_index": indexer.poll() is None,
                         "status": json.loads(asked.stdout)["status"] if asked.returncode == 0 else None,
                         "stderr": asked.stderr.strip()[-300:]})
    indexed_out, indexed_err = indexer.communicate()
    indexer_seconds = time.perf_counter() - began
    failures = [outcome for outcome in outcomes if outcome["exit"] != 0]
    during = [outcome["seconds"] for outcome in outcomes if outcome["during_index"]]
    return {"asks": len(outcomes), "during_index": len(during), "failures": len(failures),
            "first_failures": failures[:3], "seconds_during_index": spread(during) if during else None,
            "outcomes": outcomes, "articles_added": added, "indexer_exit": indexer.returncode,
            "indexer_seconds": indexer_seconds, "indexer_summary": indexed_out.strip(),
            "indexer_stderr": indexed_err.strip()[-2000:], "indexer_embedded": embedded_in(indexed_out),
            "notes": sorted({outcome["stderr"] for outcome in outcomes if outcome["stderr"]})[:3]}


# --- milvus-lite --------------------------------------------------------------------------------

def milvus_lite(options, work: Path) -> dict:
    lite = {"ASSISTANT_STORE": "milvus"}
    index_dir = work / "index"
    succeeded(run_cli("index", SEED_DOCUMENTS, "--index-dir", index_dir, "-q", env=lite))
    results = {"lite_file": _parallel_asks(index_dir, lite, options.readers)}

    port = free_port()
    server = subprocess.Popen([str(Path(sys.executable).with_name("milvus-lite")), "server", "--data-dir",
                               str(index_dir / "milvus.db"), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        served = {**lite, "ASSISTANT_MILVUS_URI": f"http://127.0.0.1:{port}"}
        results["server"] = _parallel_asks(index_dir, served, options.readers)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    return results


def _parallel_asks(index_dir: Path, env: dict, readers: int) -> dict:
    """`readers` `assistant ask` started at once on the index: how many answered, and what the others said."""
    started = time.perf_counter()
    asks = [start_cli("ask", QUESTION, "--json", "--index-dir", index_dir, env=env) for _ in range(readers)]
    errors = [ask.communicate()[1] for ask in asks]
    refusals = [error.strip() for ask, error in zip(asks, errors, strict=True) if ask.returncode != 0]
    return {"readers": readers, "answered": readers - len(refusals), "refused": len(refusals),
            "seconds": time.perf_counter() - started, "refusals": sorted(set(refusals))}


MEASURES = {"large-file": large_file, "ask-during-index": ask_during_index, "milvus-lite": milvus_lite}
