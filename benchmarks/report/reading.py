"""Renderers of the reading tables (`python -m benchmarks reading`): short answers, near misses,
conversations and XQuAD near misses."""

from __future__ import annotations

from .markdown import markdown_table, provenance, share
from .registry import table

STATUSES = ("answered", "related", "not_found")


def fraction(count: int, total: int) -> str:
    """`0.750 (30/40)`, or `–` when there is nothing to count."""
    return f"{count / total:.3f} ({count}/{total})" if total else "–"


def status_cells(row: dict) -> list[str]:
    return [share(row["statuses"].get(status, 0), row["questions"]) for status in STATUSES]


@table("reading/factoid", "reading", benchmark="reading")
def reading_factoid(record: dict) -> list[str]:
    rows = []
    for row in record["results"]["factoid"]:
        answered, on_top = row["statuses"].get("answered", 0), row["evidence_on_top"]
        rows.append([row["archive"], row["questions"], *status_cells(row), fraction(on_top, answered),
                     fraction(row["short_given"], answered),
                     f"{row['exact_on_top'] / on_top:.3f} / {row['f1_on_top'] / on_top:.3f}" if on_top else "–",
                     f"{row['f1_all'] / row['questions']:.3f}", share(row["same_without_diacritics"], row["questions"])])
    return [provenance(record), "",
            *markdown_table(["archive", "questions", *STATUSES, "evidence on top when answered",
                             "short answer when answered", "exact / F1, answered with the evidence on top",
                             "F1, all questions", "same without diacritics"], rows)]


@table("reading/near-miss", "reading", benchmark="reading")
def reading_near_miss(record: dict) -> list[str]:
    rows = [[row["archive"], row["questions"], *status_cells(row),
             share(row["same_without_diacritics"], row["questions"])] for row in record["results"]["near_miss"]]
    return markdown_table(["archive", "questions", *STATUSES, "same without diacritics"], rows)


@table("reading/conversations", "reading", benchmark="reading")
def reading_conversations(record: dict) -> list[str]:
    rows = [[row["archive"], row["conversations"], row["follow_ups"],
             fraction(row["answered_on_top"], row["follow_ups"]), fraction(row["on_top"], row["follow_ups"]),
             fraction(row["unanswerable_answered"], row["unanswerable_follow_ups"])]
            for row in record["results"]["conversations"]]
    return markdown_table(["archive", "conversations", "answerable follow-ups", "answered, evidence on top",
                           "evidence on top, any status", "unanswerable follow-ups answered"], rows)


@table("reading/xquad-near-miss", "reading", benchmark="reading",
       accepts=lambda record: "xquad_near_miss" in record["results"])
def reading_xquad_near_miss(record: dict) -> list[str]:
    xquad = record["results"]["xquad_near_miss"]
    right = xquad.get("answerable_answered_right", 0)
    return markdown_table(
        ["answerable", "answered from their paragraph", "answered from another", "unanswerable",
         "unanswerable answered", "short answer F1, answered from their paragraph"],
        [[xquad["answerable"], fraction(right, xquad["answerable"]),
          fraction(xquad.get("answerable_answered", 0) - right, xquad["answerable"]), xquad["unanswerable"],
          fraction(xquad.get("unanswerable_answered", 0), xquad["unanswerable"]),
          f"{xquad['f1_answered_right'] / right:.3f}" if right else "–"]])


def _bold_unless(met: bool, text: str) -> str:
    return text if met else f"**{text}**"


def _percents(values: list[float]) -> str:
    return " / ".join(f"{100 * value:.0f}" for value in values) + " %"


@table("reading/checks", "reading", "answers")
def reading_checks(reading: dict, answers: dict) -> list[str]:
    """The targets of reading the passage, at the three archive sizes (article alone / +30 / +300)."""
    results = reading["results"]
    natural = [row for row in answers["results"]["natural"] if row["kind"] == "answerable"]
    answered_on_top = [row["evidence_on_top"] / row["questions"] for row in natural]
    answered = [row["statuses"]["answered"] / row["questions"] for row in natural]
    follow_ups = [row["answered_on_top"] / row["follow_ups"] for row in results["conversations"]]
    given = [row["short_given"] / row["statuses"]["answered"] for row in results["factoid"]]
    f1 = [row["f1_on_top"] / row["evidence_on_top"] for row in results["factoid"]]
    same = [(factoid["same_without_diacritics"] + near["same_without_diacritics"])
            / (factoid["questions"] + near["questions"]) for factoid, near in zip(results["factoid"], results["near_miss"])]
    near = [row["statuses"].get("answered", 0) / row["questions"] for row in results["near_miss"]]
    rows = [
        ["natural answerable questions answered with the evidence on top", "≥ 90 %",
         _bold_unless(min(answered_on_top) >= 0.9, _percents(answered_on_top))],
        ["natural answerable questions answered", "≥ 85 %", _bold_unless(min(answered) >= 0.85, _percents(answered))],
        ["follow-ups answered with the evidence on top", "≥ 90 %",
         _bold_unless(min(follow_ups) >= 0.9, _percents(follow_ups))],
        ["short answer given, answered factoid questions", "≥ 80 %", _bold_unless(min(given) >= 0.8, _percents(given))],
        ["short answer token F1, answered with the evidence on top", "≥ 0.70",
         _bold_unless(min(f1) >= 0.7, " / ".join(f"{value:.2f}" for value in f1))],
        ["same status (and short answer) without diacritics, factoid and near-miss questions", "≥ 95 %",
         _bold_unless(min(same) >= 0.95, _percents(same))],
        ["near misses answered", "–", _percents(near)],
    ]
    if "xquad_near_miss" in results:
        xquad = results["xquad_near_miss"]
        right = xquad.get("answerable_answered_right", 0) / xquad["answerable"]
        wrong = (xquad.get("answerable_answered", 0) - xquad.get("answerable_answered_right", 0)) / xquad["answerable"]
        unanswerable = xquad.get("unanswerable_answered", 0) / xquad["unanswerable"]
        rows.append(["XQuAD near misses: unanswerable answered / answerable answered right / from a wrong paragraph",
                     "≤ 45 % / ≥ 65 % / ≤ 3 %",
                     " / ".join([_bold_unless(unanswerable <= 0.45, f"{100 * unanswerable:.0f} %"),
                                 _bold_unless(right >= 0.65, f"{100 * right:.0f} %"),
                                 _bold_unless(wrong <= 0.03, f"{100 * wrong:.0f} %")])])
    return ["Against the targets (article alone / with 30 / with 300 articles; a missed one in bold):", "",
            *markdown_table(["check", "target", "measured"], rows)]
