"""Renderers of the speed tables: query latency, cold start, indexing, the newsroom archive (builds
and updates, on both stores), extending the HNSW graph, and the LLM step."""

from __future__ import annotations

from .markdown import markdown_table, provenance
from .registry import table, value

STAGE_LABELS = {"normalise": "normalise", "embed": "embed", "dense": "dense", "lexical": "lexical",
                "fuse": "fuse (+ best-sentence reordering)", "highlight": "highlight", "read": "read (short answer)",
                "confidence": "confidence"}
CORPUS_LABELS = {"xquad": "XQuAD index", "article": "article index"}
EMBEDDER_LABELS = {"OnnxEmbedder": "ONNX Runtime", "SentenceTransformerEmbedder": "sentence-transformers"}


@table("latency/stages", "latency", benchmark="latency")
def latency_stages(record: dict) -> list[str]:
    corpora = record["results"]["corpora"]
    header = ["ms"]
    for key, corpus in corpora.items():
        header += [f"{CORPUS_LABELS[key]} ({corpus['passages']} passages) median", "p95"]
    rows = [("bare query embedding", "bare"), ("`ask()` end to end", "ask"),
            *((STAGE_LABELS[stage], stage) for stage in STAGE_LABELS), ("all stages but embed", "overhead"),
            ("`rewrite_question`, 3-question history", "rewrite")]
    lines = []
    for label, key in rows:
        cells = [label]
        for corpus in corpora.values():
            seconds = corpus["seconds"].get(key)  # records made before a stage existed lack it
            cells += [f"{1000 * seconds['median']:.2f}", f"{1000 * seconds['p95']:.2f}"] if seconds else ["–", "–"]
        lines.append(cells)
    for label, key in (("**ask / bare, per question**", "ratio"), ("**(ask + rewrite) / bare**", "ratio_with_rewrite")):
        cells = [label]
        for corpus in corpora.values():
            cells += [f"**{corpus[key]['median']:.3f}**", f"{corpus[key]['p95']:.3f}"]
        lines.append(cells)
    first = next(iter(corpora.values()))
    return [provenance(record) + f" {EMBEDDER_LABELS.get(first['embedder'], first['embedder'])}, "
            f"{first['precision']}, {first['threads']} thread(s); "
            + ", ".join(f"{corpus['questions']} distinct questions × {record['parameters']['rounds']} rounds on the "
                        f"{CORPUS_LABELS[key]}" for key, corpus in corpora.items()) + ".", "",
            *markdown_table(header, lines)]


def _processes(record: dict) -> dict:
    return record["results"]["processes"]


@table("cold-start/processes", "cold-start", benchmark="cold-start")
def cold_start_processes(record: dict) -> list[str]:
    labels = {"python_pass": "`python -c pass`", "bare_import": "bare `import sentence_transformers, faiss`",
              "onnx_floor": "floor, ONNX Runtime: load model + embed 1 query",
              "torch_floor": "floor, sentence-transformers: import + load model + embed 1 query",
              "ask": "`python -m assistant ask \"…\" --json` (default: ONNX Runtime, int8)",
              "ask_torch": "same, `ASSISTANT_BACKEND=torch` (float32 index)"}
    rows = [[labels[key], f"{row['median']:.2f}", f"{row['p95']:.2f}"] for key, row in _processes(record).items()]
    runs = record["parameters"]["runs"]
    return [provenance(record) + f" Fresh processes, {runs} runs each, index built beforehand (bundled article).", "",
            *markdown_table(["process", "median s", "p95 s"], rows)]


@table("cold-start/phases", "cold-start", benchmark="cold-start")
def cold_start_phases(record: dict) -> list[str]:
    labels = {"import": "`from assistant import Assistant`", "open": "`Assistant.open` (the index)",
              "first_ask": "first `ask` (loads the model)", "second_ask": "second `ask`"}
    rows = [[labels[key], f"{row['median']:.2f}", f"{row['p95']:.2f}"]
            for key, row in record["results"]["phases"].items()]
    return markdown_table(["phase, in one process", "median s", "p95 s"], rows)


@value("cold-start/imports", "cold-start")
def cold_start_imports(record: dict) -> str:
    """`543 modules and 0.78 s of imports: bm25s 0.33 s, numpy 0.11, …` (the five largest)."""
    imports = record["results"]["ask_imports"]
    top = list(imports["top_level_cumulative_seconds"].items())[:5]
    heavy = ", ".join(imports["heavy"]) if "heavy" in imports else "not recorded"
    return (f"{imports['modules']} modules and {imports['seconds']:.2f} s of imports: "
            + ", ".join(f"{name} {seconds:.2f}" + (" s" if i == 0 else "") for i, (name, seconds) in enumerate(top))
            + f"; of the heavy packages it imports {heavy}")


@value("cold-start/light", "cold-start")
def cold_start_light(record: dict) -> str:
    """`assistant --help`, `import assistant` and `import assistant.text.normalize`: heavy imports and their time."""
    light = record["results"]["light_commands"]
    heavy = sorted({name for command in light.values() for name in command["heavy"]})
    seconds = " / ".join(f"{command['import_seconds']:.2f}" for command in light.values())
    return f"import {', '.join(heavy) if heavy else 'nothing heavy'} ({seconds} s of imports)"


@table("indexing/rates", "indexing", benchmark="indexing")
def indexing_rates(record: dict) -> list[str]:
    results = record["results"]
    backend = {"auto": "ONNX Runtime", "onnx": "ONNX Runtime", "torch": "sentence-transformers"}[results["backend"]]
    rows = []
    for row in results["rows"]:
        label = "bare `model.encode` (sentence-transformers)" if row["task"] == "encode" \
            else f"`Assistant.index` ({backend})"
        best = row["task"] == "encode" and row["batch_size"] == results["best_encode_batch_size"]
        rate = f"{row['chunks_per_second']['median']:.1f}"
        rows.append([label, row["batch_size"], f"**{rate}**" if best else rate, f"{row['slowest_5_percent']:.1f}",
                     f"{row['ratio_to_best_encode']:.2f}", f"{row['extra_peak_mb']:.0f}"])
    return [provenance(record) + f" {results['passages']} passages ({results['paragraphs']} XQuAD paragraphs, "
            f"{results['mean_characters']:.0f} characters on average), {record['parameters']['rounds']} interleaved "
            f"rounds, torch threads {results['torch_threads']}.", "",
            *markdown_table(["run", "batch size", "chunks/s median", "slowest 5 %", "ratio to best bare encode",
                             "extra peak MB"], rows)]


def _is_build(record: dict) -> bool:
    return record["parameters"].get("command") == "build"


@table("archive/build", "archive-build", benchmark="archive", accepts=_is_build)
def archive_build(record: dict) -> list[str]:
    results = record["results"]
    rows = []
    for row in results["configurations"]:
        label = row["label"]
        if label == "defaults":
            label = f"defaults ({row['precision']}, {row['workers']} workers, batch {row['batch_size']})"
        rows.append([label, f"{row['seconds']['median']:.1f}", f"{row['passages_per_second']:.1f}",
                     f"{row['ratio']:.2f}", f"{row['peak_mb']:.0f}"])
    return [provenance(record) + f" The bundled article + 300 news articles from scratch ({results['passages']} "
            f"passages), {results['rounds']} rounds, {results['cores']} cores.", "",
            *markdown_table(["configuration", "seconds", "passages/s", "× first row", "peak memory MB"], rows)]


def _archive_label(results: dict) -> str:
    return f"{results['articles']:,} articles, {results['passages']:,} passages"


@table("archive/updates", "archive-updates", "archive-updates-3000", benchmark="archive",
       accepts=lambda record: not _is_build(record))
def archive_updates(*records: dict) -> list[str]:
    rows = []
    for record in records:
        results = record["results"]
        in_process, cli = results["in_process"], results["command_line"]
        rows.append([_archive_label(results), results["store"], f"{in_process['embedding']['median']:.2f} s",
                     f"{in_process['rest']['median']:.2f} s", f"{in_process['remove']['median']:.2f} s",
                     f"{cli['add']['median']:.2f} / {cli['remove']['median']:.2f} s "
                     f"({cli['version']['median']:.2f} s floor)" if cli else "–"])
    return [provenance(*records), "",
            *markdown_table(["archive", "store", "add: embedding", "add: the rest", "remove",
                             "CLI `index FILE` / `--remove`"], rows)]


@table("update/graph", "update", benchmark="update")
def update_graph(record: dict) -> list[str]:
    results = record["results"]
    rows = [[label, f"{results[key]['seconds']['median']:.2f}", f"{results[key]['seconds']['max']:.2f}",
             f"{results[key]['recall_at_10']:.3f}"]
            for label, key in (("rebuild the graph (before)", "rebuild"), ("extend the graph (now)", "extend"))]
    return [provenance(record) + f" {results['size']:,} passages + {results['new']:,}, dimension "
            f"{results['dimension']}, {results['threads']} faiss thread(s), {results['rounds']} rounds; extend / "
            f"rebuild {results['extend_to_rebuild']:.3f}.", "",
            *markdown_table([f"update of {results['size'] // 1000}k passages + {results['new']:,}", "median s", "max s",
                             "recall@10 vs exact"], rows)]


@table("llm/added", "llm", benchmark="llm")
def llm_added(record: dict) -> list[str]:
    results = record["results"]
    added = results["added_ms"]
    return [provenance(record), "", *markdown_table(
        ["asks", "with a generated answer", "added ms, median", "p95", "target"],
        [[results["asks"], results["generated"], f"{added['median']:.2f}", f"{added['p95']:.2f}",
          f"≤ {results['target_ms']:.0f} ms"]])]


@value("llm/median", "llm")
def llm_median(record: dict) -> str:
    return f"{record['results']['added_ms']['median']:.1f} ms (median; measured {record['date'][:10]})"


@table("latency/backends", "latency", "latency-float32", "latency-torch")
def latency_backends(*records: dict) -> list[str]:
    """One row per run: the bare embedding, `ask()`, and their ratio on each index."""
    rows = []
    for record in records:
        corpora = record["results"]["corpora"]
        first = next(iter(corpora.values()))
        cells = [f"{EMBEDDER_LABELS.get(first['embedder'], first['embedder'])}, {first['precision']}"]
        for corpus in corpora.values():
            cells += [f"{1000 * corpus['seconds']['bare']['median']:.2f}", f"{1000 * corpus['seconds']['ask']['median']:.2f}",
                      f"{corpus['ratio']['median']:.3f}"]
        rows.append(cells)
    header = ["embedder, precision"]
    for key in next(iter(records))["results"]["corpora"]:
        header += [f"{CORPUS_LABELS[key]}: bare ms", "`ask()` ms", "ask / bare"]
    return [provenance(*records), "", *markdown_table(header, rows)]


@value("latency/ask-article", "latency")
def latency_ask_article(record: dict) -> str:
    return f"{1000 * record['results']['corpora']['article']['seconds']['ask']['median']:.0f} ms"


@value("latency/embedding", "latency", "latency-float32", "latency-torch")
def latency_embedding(int8: dict, float32: dict, torch: dict) -> str:
    """A question's embedding on the XQuAD index: int8, float32, and with sentence-transformers."""
    def bare(record: dict) -> float:
        return 1000 * record["results"]["corpora"]["xquad"]["seconds"]["bare"]["median"]

    return (f"~{bare(int8):.1f} ms (int8; {bare(float32):.1f} ms in float32) instead of {bare(torch):.0f} ms with "
            "sentence-transformers")


@value("cold-start/ask-vs-torch", "cold-start")
def cold_start_ask_vs_torch(record: dict) -> str:
    processes = record["results"]["processes"]
    return f"{processes['ask']['median']:.1f} s after start instead of {processes['ask_torch']['median']:.1f} s"


@value("cold-start/first-answer", "cold-start")
def cold_start_first_answer(record: dict) -> str:
    processes, results = record["results"]["processes"], record["results"]
    return (f"{processes['ask']['median']:.2f} s after start, {results['ask_to_onnx_floor']:.2f} × the ONNX model floor "
            f"({processes['onnx_floor']['median']:.2f} s) and {results['ask_to_bare_import']:.2f} × a bare "
            f"`import sentence_transformers, faiss` ({processes['bare_import']['median']:.2f} s)")


def _build_row(record: dict, label: str) -> dict:
    return next(row for row in record["results"]["configurations"] if row["label"] == label)


@value("archive/default-rate", "archive-build")
def archive_default_rate(record: dict) -> str:
    """The default configuration's rate, and what 1M passages would take at it."""
    rate = _build_row(record, "int8, 2 cores, batch 2")["passages_per_second"]
    return f"{rate:.1f} passages/s on two cores: 1M passages would take about {1e6 / rate / 3600:.0f} hours"


@value("archive/batch-sizes", "archive-build")
def archive_batch_sizes(record: dict) -> str:
    large, small = _build_row(record, "int8, 2 cores, batch 32"), _build_row(record, "int8, 2 cores, batch 2")
    return (f"{large['seconds']['median']:.0f} s and {large['peak_mb'] / 1024:.1f} GB at 32 against "
            f"{small['seconds']['median']:.0f} s and {small['peak_mb'] / 1024:.1f} GB at 2")


@value("archive/ray", "archive-build-ray")
def archive_ray(record: dict) -> str:
    """Local Ray against the local bulk import, same run: `18.7 against 22.7 passages/s (0.83×)`."""
    local, ray = record["results"]["configurations"][0], record["results"]["configurations"][-1]
    return (f"{ray['passages_per_second']:.1f} against {local['passages_per_second']:.1f} passages/s "
            f"({ray['passages_per_second'] / local['passages_per_second']:.2f}×)")


@value("archive/ready", "archive-updates-3000")
def archive_ready(record: dict) -> str:
    results = record["results"]
    what = "built" if results["index_built_in_run"] else "opened (built in an earlier run)"
    return (f"{what} in {results['index_ready_seconds']:.0f} s"
            + (f" ({results['passages'] / results['index_ready_seconds']:.1f} passages/s)"
               if results["index_built_in_run"] else ""))


@value("archive/update-large", "archive-updates-3000")
def archive_update_large(record: dict) -> str:
    results = record["results"]
    return (f"{results['in_process']['rest']['median']:.1f} s besides the embedding to add an article and "
            f"{results['in_process']['remove']['median']:.1f} s to remove one at {results['passages']:,} passages")


@value("latency/overhead", "latency", "latency-float32")
def latency_overhead(int8: dict, float32: dict) -> str:
    """The stages outside the model on the XQuAD index, int8 and float32: `2.4 ms (2.5 ms with float32)`."""
    def overhead(record: dict) -> float:
        return 1000 * record["results"]["corpora"]["xquad"]["seconds"]["overhead"]["median"]

    return f"{overhead(int8):.1f} ms ({overhead(float32):.1f} ms with float32)"


@value("indexing/equal-batch", "indexing-torch")
def indexing_equal_batch(record: dict) -> str:
    """`Assistant.index` against the bare encode at the same batch size: `0.93× at batch 2, 0.89× at batch 8`."""
    rates = {(row["task"], row["batch_size"]): row["chunks_per_second"]["median"] for row in record["results"]["rows"]}
    return ", ".join(f"{rates[('index', size)] / rates[('encode', size)]:.2f}× at batch {size}"
                     for task, size in rates if task == "index" and ("encode", size) in rates)


@value("latency/baseline", "latency")
def latency_baseline(record: dict) -> str:
    """`ask()` of this checkout against an earlier revision, timed in the same run."""
    baseline = record["results"].get("baseline")
    if baseline is None:
        return "not measured (`python -m benchmarks latency --baseline REF`)"
    return (f"{baseline['ask_ms']['current']:.1f} ms against {baseline['ask_ms']['baseline']:.1f} ms for "
            f"`{baseline['ref']}` on the XQuAD index, {baseline['ratio']['median']:.2f}× per question (median; "
            f"p95 {baseline['ratio']['p95']:.2f}×), {baseline['questions']} questions × {baseline['rounds']} rounds")
