"""Renderers that combine several benchmarks: the summaries of targets in README.md and
PERFORMANCE.md, float32 against int8, the machine, and the list of every recorded run."""

from __future__ import annotations

from .markdown import command, markdown_table, thousands
from .registry import table, value
from .scale import SHIPPED_EF_SEARCH, _dense_at


def _met(condition: bool) -> str:
    return "met" if condition else "**missed**"


def _configuration(build: dict, label: str) -> dict:
    return next(row for row in build["results"]["configurations"] if row["label"] == label)


def _median(record: dict, corpus: str, key: str) -> float:
    return record["results"]["corpora"][corpus]["seconds"][key]["median"]


@table("performance/summary", "latency", "cold-start", "indexing", "scale", "update")
def performance_summary(latency: dict, cold_start: dict, indexing: dict, scale: dict, update: dict) -> list[str]:
    corpora = latency["results"]["corpora"]
    xquad, article = corpora["xquad"], corpora["article"]
    ask_ok = max(xquad["ratio"]["median"], article["ratio"]["median"]) <= latency["results"]["target_ratio"]
    processes = cold_start["results"]["processes"]
    index_row = next(row for row in indexing["results"]["rows"] if row["task"] == "index" and row["batch_size"] == 2)
    shipped = _dense_at(scale, 1_000_000, "shipped", SHIPPED_EF_SEARCH)
    graph = update["results"]
    rows = [
        [f"`ask()` ≤ {latency['results']['target_ratio']} × bare query embedding",
         (f"{xquad['ratio']['median']:.3f} (XQuAD index), {article['ratio']['median']:.3f} (article); follow-ups with "
         f"rewriting {xquad['ratio_with_rewrite']['median']:.3f} / {article['ratio_with_rewrite']['median']:.3f}"),
         _met(ask_ok)],
        [f"cold start ≤ {cold_start['results']['target_seconds']:.0f} s",
         (f"{processes['ask']['median']:.2f} s median, p95 {processes['ask']['p95']:.2f} (ONNX Runtime, int8); "
         f"{processes['ask_torch']['median']:.1f} s with `ASSISTANT_BACKEND=torch`"),
         _met(processes["ask"]["median"] <= cold_start["results"]["target_seconds"])],
        ["indexing ≥ bare sentence-transformers encode rate at its best batch size",
         (f"{index_row['ratio_to_best_encode']:.2f} × ({index_row['chunks_per_second']['median']:.1f} vs "
         f"{indexing['results']['best_encode_rate']:.1f} chunks/s, batch size 2, one thread)"),
         _met(index_row["ratio_to_best_encode"] >= 1)],
        ["1M passages: dense p50 ≤ 30 ms, recall@10 ≥ 0.95",
         f"HNSW efSearch={SHIPPED_EF_SEARCH}: p50 {shipped['p50_ms']:.1f} ms, recall@10 {shipped['recall_at_10']:.3f}",
         _met(shipped["p50_ms"] <= 30 and shipped["recall_at_10"] >= 0.95) + " (structured vectors)"],
        ["adding documents to a large archive",
         (f"extending the HNSW graph: {graph['extend']['seconds']['median']:.1f} s instead of a "
         f"{graph['rebuild']['seconds']['median']:.0f} s rebuild ({graph['size'] // 1000}k + {graph['new']:,})"), "–"],
    ]
    return markdown_table(["target", "measured", "status"], rows)


@table("readme/performance", "archive-updates", "archive-updates-3000", "archive-build", "latency", "latency-float32",
       "cold-start", "scale")
def readme_performance(updates: dict, updates_3000: dict, build: dict, latency: dict, latency_float32: dict,
                       cold_start: dict, scale: dict) -> list[str]:
    in_process, large = updates["results"]["in_process"], updates_3000["results"]["in_process"]
    before, default = _configuration(build, "float32, 1 core, batch 2"), _configuration(build, "int8, 2 cores, batch 2")
    float_two = _configuration(build, "float32, 2 cores, batch 2")
    ask, ask_float32 = _median(latency, "xquad", "ask"), _median(latency_float32, "xquad", "ask")
    ratio = latency["results"]["corpora"]["xquad"]["ratio"]["median"]
    processes = cold_start["results"]["processes"]
    shipped = _dense_at(scale, 1_000_000, "shipped", SHIPPED_EF_SEARCH)
    passages = updates["results"]["passages_per_added_article"]
    bare_import_ratio = cold_start["results"]["ask_to_bare_import"]
    rows = [
        [f"adding one article ({passages:.0f} passages) to the bundled one + 300 news articles, in the running app",
         "`python -m benchmarks archive updates`",
         (f"{in_process['add']['median']:.2f} s: {in_process['embedding']['median']:.2f} s embedding + "
         f"{in_process['rest']['median']:.2f} s the rest"), "≤ 1.5 s + embedding",
         _met(in_process["rest"]["median"] <= 1.5)],
        ["removing one article from them", "same", f"{in_process['remove']['median']:.2f} s", "≤ 1 s",
         _met(in_process["remove"]["median"] <= 1)],
        [(f"the same at {updates_3000['results']['articles']:,} articles ({updates_3000['results']['passages']:,} "
         "passages)"), "`python -m benchmarks archive updates --size 3000`",
         (f"add {large['embedding']['median']:.2f} s embedding + {large['rest']['median']:.2f} s; remove "
         f"{large['remove']['median']:.2f} s"), "–", "–"],
        [("building the 301 articles from scratch, rate against the float32, one-core, batch-2 configuration in the "
         "same run"), "`python -m benchmarks archive build`",
         (f"{default['ratio']:.2f}× ({default['passages_per_second']:.1f} vs {before['passages_per_second']:.1f} "
         f"passages/s); float32 on two cores {float_two['ratio']:.2f}×"), "≥ 3×", _met(default["ratio"] >= 3)],
        ["peak memory of that build", "same",
         f"{thousands(default['peak_mb'])} MB (float32, one core: {thousands(before['peak_mb'])} MB)", "not above",
         _met(default["peak_mb"] <= before["peak_mb"])],
        ["`ask()` median, XQuAD index", "`python -m benchmarks latency --questions 60`",
         (f"{1000 * ask:.1f} ms ({1000 * ask_float32:.1f} ms with float32); {ratio:.2f}× its own int8 query embedding, "
         f"{ask / _median(latency_float32, 'xquad', 'bare'):.2f}× the float32 one"), "no worse than 1.18×",
         _met(ratio <= 1.18)],
        ["cold start, process start to first answer", "`python -m benchmarks cold-start`",
         (f"{processes['ask']['median']:.2f} s: {bare_import_ratio:.3f}× a bare "
         f"`import sentence_transformers, faiss` ({processes['bare_import']['median']:.2f} s); "
         f"{processes['ask_torch']['median']:.1f} s with `ASSISTANT_BACKEND=torch`"), "≤ 0.25×",
         _met(bare_import_ratio <= 0.25)],
        ["1M passages, dense query (HNSW)", "`python -m benchmarks scale`",
         f"p50 {shipped['p50_ms']:.1f} ms, recall@10 {shipped['recall_at_10']:.3f}", "≤ 30 ms, ≥ 0.95",
         _met(shipped["p50_ms"] <= 30 and shipped["recall_at_10"] >= 0.95)],
    ]
    return markdown_table(["what", "command", "measured", "target", "status"], rows)


def _hybrid(record: dict, key: str) -> float:
    return next(row[key] for row in record["results"]["xquad"]["rows"]
                if row["mode"] == "hybrid" and row["questions"] == "as written")


def _dense(record: dict) -> float:
    return next(row["recall_at_1"] for row in record["results"]["xquad"]["rows"]
                if row["mode"] == "dense" and row["questions"] == "as written")


def _article_hybrid(record: dict) -> str:
    row = next(row for row in record["results"]["article"]["rows"] if row["mode"] == "hybrid")
    right = sum(kind["right"] for kind in row["kinds"].values())
    total = sum(kind["questions"] for kind in row["kinds"].values())
    return f"{right} of {total} / {row['answered_with_quotation']} of {row['answerable']}"


def _natural(record: dict, archive: str, kind: str) -> dict:
    return next(row for row in record["results"]["natural"] if row["archive"] == archive and row["kind"] == kind)


def _share(record: dict, archive: str, kind: str, status: str) -> float:
    row = _natural(record, archive, kind)
    return row["statuses"][status] / row["questions"]


@table("model/precisions", "retrieval-float32", "retrieval", "answers-float32", "answers", "archive-build",
       "latency-float32", "latency")
def model_precisions(retrieval_float32: dict, retrieval: dict, answers_float32: dict, answers: dict, build: dict,
                     latency_float32: dict, latency: dict) -> list[str]:
    pairs = ((retrieval_float32, answers_float32, latency_float32, "float32"), (retrieval, answers, latency, "int8"))
    alone_same = all(_natural(answers_float32, "article", kind) == _natural(answers, "article", kind)
                     for kind in ("answerable", "same_topic", "unrelated"))

    def alone(answers_record: dict) -> str:
        if alone_same:
            return "identical"
        return "; ".join(" / ".join(f"{_share(answers_record, 'article', kind, status):.3f}"
                                    for status in ("answered", "related", "not_found"))
                         for kind in ("answerable", "same_topic", "unrelated"))

    rows = [
        ["XQuAD hybrid Recall@1 / dense Recall@1 (`python -m benchmarks retrieval [--precision float32]`)",
         *(f"{_hybrid(r, 'recall_at_1'):.3f} / {_dense(r):.3f}" for r, _a, _l, _p in pairs)],
        ["article dev set, hybrid: evidence in the top 3 / answered with a quotation",
         *(_article_hybrid(r) for r, _a, _l, _p in pairs)],
        [("natural questions on the article alone (test half): answered, related, not found "
         "(`python -m benchmarks answers [--precision float32]`)"), *(alone(a) for _r, a, _l, _p in pairs)],
        ["natural answerable questions answered, archive of 31 / 301 articles",
         *(f"{_share(a, 'article+30', 'answerable', 'answered'):.3f} / "
           f"{_share(a, 'article+300', 'answerable', 'answered'):.3f}" for _r, a, _l, _p in pairs)],
        ["same-topic questions wrongly answered, 31 / 301 articles",
         *(f"{_share(a, 'article+30', 'same_topic', 'answered'):.3f} / "
           f"{_share(a, 'article+300', 'same_topic', 'answered'):.3f}" for _r, a, _l, _p in pairs)],
        ["unrelated questions `not_found`, 301 articles",
         *(f"{_share(a, 'article+300', 'unrelated', 'not_found'):.3f}" for _r, a, _l, _p in pairs)],
        ["building the 301-article archive, 2 cores, batch 2 (`python -m benchmarks archive build`)",
         *(f"{row['passages_per_second']:.1f} passages/s, {thousands(row['peak_mb'])} MB peak"
           for row in (_configuration(build, f"{p}, 2 cores, batch 2") for _r, _a, _l, p in pairs))],
        [("one question's embedding, median, XQuAD index (`python -m benchmarks latency --questions 60 "
         "[--precision float32]`)"), *(f"{1000 * _median(l, 'xquad', 'bare'):.1f} ms" for _r, _a, l, _p in pairs)],
    ]
    return markdown_table(["", "float32", "int8"], rows)


@value("machine", "latency")
def machine(record: dict) -> str:
    """The machine and library versions of a record: `2 vCPUs, 23.5 GB RAM, Python 3.11.7, …`."""
    facts, libraries = record["machine"], record["machine"]["libraries"]
    return (f"{facts['cores']} vCPUs, {facts['memory_gb']} GB RAM, Python {facts['python']}, "
            + ", ".join(f"{name} {libraries[name]}" for name in ("onnxruntime", "torch", "faiss-cpu", "bm25s")
                        if libraries.get(name)))


@table("runs/all", "*")
def all_runs(*records: dict) -> list[str]:
    """Every record of benchmarks/results/: what ran, when, how long, how busy the machine was."""
    rows = []
    for record in sorted(records, key=lambda record: record["date"]):
        source = record.get("source")
        rows.append([f"`{record['benchmark']}{'-' + record['variant'] if record['variant'] else ''}`",
                     f"`{command(record)}`" + (f" ({source})" if source else ""),
                     record["date"][:16].replace("T", " "),
                     f"{record['seconds'] / 60:.1f}", f"{record['load']['start']:.1f} → {record['load']['end']:.1f}"])
    return markdown_table(["record", "command", "started (UTC)", "minutes", "load"], rows)
