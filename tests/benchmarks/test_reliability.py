"""The pure helpers of the reliability benchmark: the hostile file of distinct sentences, and
reading what `assistant index` says it embedded. Nothing is measured and no model is loaded."""

from benchmarks.reliability import distinct_text, embedded_in


def test_distinct_text_stays_under_its_size_and_repeats_no_sentence():
    text = distinct_text(10_000)
    sentences = text.split(". ")[:-1]
    assert len(text.encode("utf-8")) <= 10_000
    assert len(sentences) == len(set(sentences)) > 500
    assert "\n" not in text  # one line, as a hostile upload writes it


def test_embedded_in_reads_the_index_summary():
    summary = "Index: 1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped, 2 passages embedded, 2698 reused (4.8 s)"
    assert embedded_in(summary) == 2
    assert embedded_in("error: no documents") is None
