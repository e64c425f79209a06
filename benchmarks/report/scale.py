"""Renderers of the scale tables (dense and lexical search over synthetic archives up to 1M
passages, loading read or mapped) and of the Milvus store's (fusion methods, flushing, updates)."""

from __future__ import annotations

from .markdown import markdown_table, provenance
from .registry import table, value
from .speed import _archive_label

SHIPPED_EF_SEARCH = 512  # assistant.search.dense.HNSW_EF_SEARCH, bold in the tables


def passages_label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


def index_label(row: dict) -> str:
    if row["index"] == "exact":
        return f"exact, {row['threads']} thread{'s' if row['threads'] > 1 else ''}"
    kind = "HNSW" if row["faiss_type"].startswith("IndexHNSW") else "IVFFlat"
    spec = row["index"]
    if spec == "shipped":
        return f"**{kind} (shipped)**" if row["value"] == SHIPPED_EF_SEARCH else kind
    return f"{kind} {spec}"


@table("scale/dense", "scale", benchmark="scale", accepts=lambda record: "dense" in record["results"])
def scale_dense(*records: dict) -> list[str]:
    rows = []
    for row in sorted((row for record in records for row in record["results"]["dense"]),
                      key=lambda row: (row["passages"], row["vectors"], row["index"] != "exact")):
        rows.append([passages_label(row["passages"]), row["vectors"], index_label(row),
                     "–" if row["build_seconds"] is None else f"{row['build_seconds']:.0f}",
                     "–" if row["value"] is None else f"{row['parameter']}={row['value']}",
                     "1" if row["index"] == "exact" else f"{row['recall_at_10']:.3f}", f"{row['p50_ms']:.2f}",
                     f"{row['p95_ms']:.2f}", f"{row['file_mb']:.0f}", f"{row['build_peak_mb']:.0f}"])
    return [provenance(*records), "",
            *markdown_table(["passages", "vectors", "index", "build s", "search", "recall@10", "p50 ms", "p95 ms",
                             "file MB", "build peak MB"], rows)]


@table("scale/alternatives", "scale-alternatives")
def scale_alternatives(record: dict) -> list[str]:
    """Each approximate index at three settings of its search parameter, side by side."""
    settings = {"efSearch": (128, 256, 512), "nprobe": (16, 64, 128)}
    indexes: dict[str, list[dict]] = {}
    for row in record["results"]["dense"]:
        if row["index"] != "exact" and row["value"] in settings[row["parameter"]]:
            indexes.setdefault(row["index"], []).append(row)
    names = {"shipped": "HNSW M=32, efConstruction=80 (shipped)", "ivf:1024": "IVFFlat, 1,024 lists"}
    rows = []
    for spec, chosen in indexes.items():
        name = names.get(spec) or "HNSW M={}, efConstruction={}".format(*spec.split(":")[1:])
        rows.append([name, f"{chosen[0]['build_seconds']:.0f}", " / ".join(f"{r['recall_at_10']:.3f}" for r in chosen),
                     " / ".join(f"{r['p50_ms']:.2f}" for r in chosen)])
    exact = [row for row in record["results"]["dense"] if row["index"] == "exact"]
    return [provenance(record) + " Exact search in the same run: " + ", ".join(
                f"{row['p50_ms']:.1f} ms p50 on {row['threads']} thread{'s' if row['threads'] > 1 else ''}"
                for row in exact) + ".", "",
            *markdown_table(["index (100k structured vectors)", "build s",
                             "recall@10 at efSearch 128 / 256 / 512 (IVF: nprobe 16 / 64 / 128)", "p50 ms at the same"],
                            rows)]


@table("scale/loading", "scale", benchmark="scale", accepts=lambda record: bool(record["results"].get("loading")))
def scale_loading(record: dict) -> list[str]:
    rows = [[passages_label(row["passages"]), row["index"].removeprefix("Index").removesuffix("IP").replace(
                "HNSWFlat", "HNSW"), row["load"], f"{row['load_ms']:,.0f} / {row['warm_load_ms']:,.0f}",
             f"{row['private_mb']:,.0f}", f"{row['mapped_mb']:,.0f}",
             f"{row['first_10_p50_ms']:,.1f} / {row['first_10_p95_ms']:,.1f}",
             f"{row['next_100_p50_ms']:,.1f} / {row['next_100_p95_ms']:,.1f}"]
            for row in record["results"]["loading"]]
    return markdown_table(["passages", "index", "load", "load ms cold / warm", "private MB", "page-cache MB mapped",
                           "first 10 p50 / p95 ms", "next 100 p50 / p95 ms"], rows)


@table("scale/lexical", "scale", benchmark="scale", accepts=lambda record: "lexical" in record["results"])
def scale_lexical(record: dict) -> list[str]:
    rows = []
    for row in record["results"]["lexical"]:
        read, mapped = row["read"], row["mmap"]
        rows.append([passages_label(row["passages"]), f"{row['build_seconds']:.0f}", f"{row['build_peak_mb']:,.0f}",
                     f"{row['disk_mb']:,.0f}", f"{read['load_seconds']:.2f} s, {read['private_mb']:,.0f} MB",
                     f"{read['p50_ms']:.1f} / {read['p95_ms']:.1f}",
                     f"{mapped['load_seconds']:.2f} s, {mapped['private_mb']:,.0f} MB",
                     f"{mapped['p50_ms']:.1f} / {mapped['p95_ms']:.1f}"])
    stream = record["results"]["stream"]
    return [(f"Synthetic passages' terms equal to `passage_terms(window text)`: {stream['windows_equal_to_passage_terms']}"
            f"/{stream['windows_checked']} windows; `passage_terms` itself: {stream['passage_terms_per_second']:,.0f} "
            "passages/s."), "",
            *markdown_table(["passages", "build s", "build peak MB", "on disk MB", "load (read)", "p50 / p95 ms",
                             "load (mmap)", "p50 / p95 ms"], rows)]


def _dense_at(record: dict, size: int, index: str, parameter_value: int | None = None, threads: int = 1) -> dict:
    for row in record["results"]["dense"]:
        if row["passages"] == size and row["index"] == index and row["threads"] == threads \
                and (parameter_value is None or row["value"] == parameter_value):
            return row
    raise KeyError(f"{record['benchmark']} has no {index} row at {size} passages")


@value("scale/shipped-1m", "scale")
def scale_shipped(record: dict) -> str:
    """The shipped HNSW at 1M passages: `p50 1.4 ms, recall@10 0.983`."""
    row = _dense_at(record, 1_000_000, "shipped", SHIPPED_EF_SEARCH)
    return f"p50 {row['p50_ms']:.1f} ms, recall@10 {row['recall_at_10']:.3f}"


@value("scale/lexical-1m", "scale")
def scale_lexical_1m(record: dict) -> str:
    """BM25 at 1M passages: `51.1 ms p50 (read into memory), an 8.0 GB peak while building`."""
    row = next(row for row in record["results"]["lexical"] if row["passages"] == 1_000_000)
    return (f"{row['read']['p50_ms']:.0f} ms p50 (read into memory; {row['mmap']['p50_ms']:.0f} ms mapped), and a "
            f"{row['build_peak_mb'] / 1024:.1f} GB peak while building")


@table("milvus/fusion", "milvus", benchmark="milvus")
def milvus_fusion(record: dict) -> list[str]:
    results = record["results"]
    rows = [[row["method"], f"{row['recall_at_1']:.3f}", f"{row['recall_at_5']:.3f}", f"{row['median_ms']:.1f}"]
            for row in results["methods"]]
    return [provenance(record) + f" {results['questions']:,} questions, the same 50 + 50 candidates for every method.",
            "", *markdown_table(["method", "Recall@1", "Recall@5", "ms / question (median, after the embedding)"],
                                rows)]


@table("milvus/flushing", "milvus", benchmark="milvus")
def milvus_flushing(record: dict) -> list[str]:
    flushing = record["results"]["flushing"]
    rows = [[row["rows"], f"{row['dense_ms']:.1f}", f"{row['bm25_ms']:.1f}"] for row in flushing["rows"]]
    return markdown_table([f"{flushing['passages']} rows, {flushing['questions']} questions", "dense search, ms",
                           "BM25 search, ms"], rows)


@table("archive/stores", "archive-updates", "archive-updates-milvus", "archive-updates-3000",
       "archive-updates-3000-milvus")
def archive_stores(*records: dict) -> list[str]:
    rows = []
    for record in records:
        results = record["results"]
        in_process = results["in_process"]
        rows.append([_archive_label(results), {"local": "local", "milvus": "Milvus"}[results["store"]],
                     f"{in_process['embedding']['median']:.2f} s", f"{in_process['rest']['median']:.2f} s",
                     f"{in_process['remove']['median']:.2f} s"])
    return [provenance(*records), "",
            *markdown_table(["archive", "store", "add: embedding", "add: the rest", "remove"], rows)]


@value("milvus/same-answers", "retrieval", "retrieval-milvus", "answers", "answers-milvus")
def milvus_same_answers(retrieval: dict, retrieval_milvus: dict, answers: dict, answers_milvus: dict) -> str:
    """Whether the Milvus store's retrieval and answer figures equal the local store's, checked cell by cell."""
    def rounded(record: dict) -> list:
        return [[round(row[key], 3) for key in ("recall_at_1", "recall_at_5", "mrr_at_10", "answer_sentence")]
                for row in record["results"]["xquad"]["rows"]]

    retrieval_same = rounded(retrieval) == rounded(retrieval_milvus) and \
        retrieval["results"]["article"]["rows"] == retrieval_milvus["results"]["article"]["rows"]
    answers_same = all(answers["results"][key] == answers_milvus["results"][key]
                       for key in ("natural", "foreign", "xquad"))
    verdict = {(True, True): "every retrieval figure (to the third decimal) and every answer share equal the local "
                             "store's",
               (True, False): "every retrieval figure equals the local store's, but some answer shares differ",
               (False, True): "every answer share equals the local store's, but some retrieval figures differ",
               (False, False): "some retrieval figures and answer shares differ from the local store's"}
    return verdict[(retrieval_same, answers_same)]


def _method(record: dict, name: str) -> dict:
    return next(row for row in record["results"]["methods"] if row["method"] == name)


@value("milvus/fusion-comparison", "milvus")
def milvus_fusion_comparison(record: dict) -> str:
    fusion = _method(record, "ours, fusion only (Milvus candidates)")["recall_at_1"]
    weighted = _method(record, "Milvus hybrid_search, weighted 0.5/0.5")["recall_at_1"]
    rrf = _method(record, "Milvus hybrid_search, RRF k=60")["recall_at_1"]
    ours = _method(record, "ours (Milvus store)")["recall_at_1"]
    return (f"z-scores alone {fusion:.3f} against {weighted:.3f} for its weighted ranker and {rrf:.3f} for RRF; "
            f"with our sentence boost {ours:.3f}")


@value("milvus/question-ms", "milvus")
def milvus_question_ms(record: dict) -> str:
    return (f"{_method(record, 'ours (Milvus store)')['median_ms']:.1f} ms after its embedding, against "
            f"{_method(record, 'ours (local store)')['median_ms']:.1f} ms locally")


@value("archive/stores-large", "archive-updates-3000-milvus", "archive-updates-3000")
def archive_stores_large(milvus: dict, local: dict) -> str:
    on_milvus, on_local = milvus["results"]["in_process"], local["results"]["in_process"]
    return (f"took {on_milvus['embedding']['median']:.2f} s of embedding plus {on_milvus['rest']['median']:.2f} s, "
            f"removing one {on_milvus['remove']['median']:.2f} s, against {on_local['rest']['median']:.2f} s and "
            f"{on_local['remove']['median']:.2f} s for the local store")
