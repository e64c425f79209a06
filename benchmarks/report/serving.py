"""Renderers of the assistant in use: the chat server's JSON API and page under concurrent requests
(`chat-api`), and reliability through the command line under hostile files and concurrent
processes (`reliability-large-file`, `reliability-ask-during-index`, `reliability-milvus-lite`)."""

from __future__ import annotations

from .markdown import markdown_table, provenance, thousands
from .registry import table, value

RUN_LABELS = {"API POST /api/v1/ask": "`POST /api/v1/ask`",
              "chat page /answer (gradio_client)": "the page's `/answer` through `gradio_client`"}
MEGABYTE = 1_000_000


@table("chat-api/latency", "chat-api", benchmark="chat-api")
def chat_api_latency(record: dict) -> list[str]:
    results = record["results"]
    latency = results["latency"]
    target = (f"≤ {latency['target_share']} × `ask()` + {latency['target_added_ms']:.0f} ms = "
              f"{latency['target_ms']:.1f} ({'met' if latency['met'] else '**missed**'})")
    return [provenance(record) + f" Median of {latency['rounds']} rounds' p50 over {latency['questions']} questions "
            f"of the article dev set, the bundled article indexed ({results['passages']} passages).", "",
            *markdown_table(["what", "p50 ms", "target"], [
                ["Python `ask()` (question vectors cached, as after a warm-up)", f"{latency['ask_p50_ms']:.1f}", "–"],
                ["`POST /api/v1/ask` with HTTP Basic, same questions", f"{latency['api_p50_ms']:.1f}", target]])]


def _upload(run: dict) -> str:
    upload = run["upload"]
    return f"{'indexed' if upload.get('ok') else '**not indexed**'} in {upload['seconds']:.1f} s"


@table("chat-api/load", "chat-api", benchmark="chat-api")
def chat_api_load(record: dict) -> list[str]:
    runs = record["results"]["load"]
    first = runs[0]
    rows = [[RUN_LABELS.get(run["name"], run["name"]), run["failures"], thousands(run["ms"]["median"]),
             thousands(run["ms"]["p95"]), thousands(run["ms"]["max"]), f"{run['requests_per_second']:.1f}", _upload(run)]
            for run in runs]
    header = f"run ({first['planned']} requests, {first['clients']} at once, an upload indexed meanwhile)"
    return markdown_table([header, "failures", "p50 ms", "p95 ms", "max ms", "requests/s", "upload"], rows)


@value("chat-api/throughput", "chat-api")
def chat_api_throughput(record: dict) -> str:
    api = record["results"]["load"][0]
    return f"{api['requests_per_second']:.1f} requests/s to {api['clients']} clients"


@value("reliability/measured", "reliability-large-file", "reliability-ask-during-index", "reliability-milvus-lite")
def reliability_measured(*records: dict) -> str:
    """When the three measures ran and how busy the machine was: `on 2026-12-07 (load average 0.8–2.4)`."""
    dates = sorted({record["date"][:10] for record in records})
    loads = [load for record in records for load in record["load"].values()]
    return f"on {' and '.join(dates)} (load average {min(loads):.1f}–{max(loads):.1f})"


@value("reliability/refused", "reliability-large-file")
def reliability_refused(record: dict) -> str:
    refused = record["results"]["refused"]
    outcome = "refused by the 5 MB limit" if refused["exit"] != 0 else "**accepted**"
    lines = len(refused["stderr"].splitlines())
    return (f"{thousands(refused['sentences'])} × \"Tin tức. \" ({refused['bytes'] / MEGABYTE:.1f} MB) is {outcome} "
            f"in {refused['seconds']:.1f} s, in {'one line' if lines == 1 else f'{lines} lines'}")


@value("reliability/repeated", "reliability-large-file")
def reliability_repeated(record: dict) -> str:
    repeated = record["results"]["repeated"]
    progress = repeated["progress_lines"]
    shown = f"one progress line, \"{progress[0]}\"" if len(progress) == 1 else f"{len(progress)} progress lines"
    return (f"{thousands(repeated['sentences'])} of them ({repeated['bytes'] / MEGABYTE:.1f} MB, one line) are "
            f"indexed in {repeated['seconds']['median']:.1f} s (median of {repeated['seconds']['runs']}; "
            f"{thousands(repeated['passages'])} passages, the longest {thousands(repeated['longest_passage'])} "
            f"characters, {repeated['embedded']} distinct ones embedded; {shown})")


@value("reliability/distinct", "reliability-large-file")
def reliability_distinct(record: dict) -> str:
    distinct = record["results"]["distinct"]
    model = distinct["model"]
    measured = (f"measured on {model['passages']} of them, about {model['all_seconds'] / 60:.0f} minutes for all"
                if model["estimated"] else f"{model['all_seconds'] / 60:.0f} minutes for all of them")
    return (f"4.9 MB of {thousands(distinct['sentences'])} *distinct* short sentences take "
            f"{distinct['text_seconds']['median']:.1f} s of everything but the model "
            f"({thousands(distinct['passages'])} passages), then the model's time: "
            f"{model['passages_per_second']:.1f} passages of {thousands(model['mean_characters'])} characters a "
            f"second here ({model['workers']} cores; {measured})")


@value("reliability/ask-during-index", "reliability-ask-during-index")
def reliability_ask_during_index(record: dict) -> str:
    results = record["results"]
    during, first = results["during"], results["first_half"]
    seconds = during["seconds_during_index"]
    timing = (f"the {during['during_index']} that ran during the index took {seconds['median']:.1f} s at the median "
              f"and {seconds['p95']:.1f} s at p95" if seconds else "none ran during the index")
    indexer = "" if during["indexer_exit"] == 0 else f", and the indexer **exited {during['indexer_exit']}**"
    return (f"added {during['articles_added']} articles to a watched folder of {first['articles']} and embedded all "
            f"{thousands(during['indexer_embedded'])} passages again ({during['indexer_seconds']:.0f} s){indexer}: "
            f"{during['asks']} asks, {during['failures']} failures; {timing}")


def _lines(count: int) -> str:
    return "one line" if count == 1 else f"{count} lines"


@value("reliability/renamed", "reliability-ask-during-index")
def reliability_renamed(record: dict) -> str:
    renamed = record["results"]["renamed"]
    index = f"exits {renamed['index_exit']} with {_lines(len(renamed['index_stderr'].splitlines()))}"
    notes = len(renamed["ask_stderr"].splitlines())
    ask = (f"answers with {_lines(notes)} of note" if notes else "answers") if renamed["ask_exit"] == 0 \
        else f"**fails** (exit {renamed['ask_exit']})"
    left, indexed = renamed["documents_left"], renamed["documents_indexed"]
    kept = f"all {indexed} documents stay" if left == indexed else f"{left} of {indexed} documents stay"
    return f"`assistant index` {index}, `ask` {ask}, and {kept}"


@value("reliability/milvus-lite", "reliability-milvus-lite")
def reliability_milvus_lite(record: dict) -> str:
    lite, server = record["results"]["lite_file"], record["results"]["server"]
    named = all("milvus-lite server" in refusal for refusal in lite["refusals"])
    refused = f"{lite['refused']} got that line" if named else f"{lite['refused']} were refused otherwise"
    return (f"of {lite['readers']} parallel `ask` on a Lite file, {lite['answered']} answered and {refused}; "
            f"through `milvus-lite server`, {server['answered']} of {server['readers']} answered")


@value("reliability/every-passage", "reliability-large-file-all-passages")
def reliability_every_passage(record: dict) -> str:
    """The model embedding every distinct passage (`--model-passages 0`), to set beside the estimate."""
    model = record["results"]["distinct"]["model"]
    return (f"all {thousands(model['passages'])} took {model['seconds'] / 60:.1f} minutes "
            f"({model['passages_per_second']:.1f} passages/s, measured {record['date'][:10]}, load "
            f"{record['load']['start']:.1f} → {record['load']['end']:.1f})")
