"""What an indexing run did (`indexing/report.py`): whether anything changed, and its one-line summary."""

from assistant.indexing.report import IndexReport


def test_a_run_changed_the_index_when_documents_came_went_or_everything_was_rebuilt():
    assert not IndexReport(unchanged=["a"], skipped=["b.pdf: unsupported"], warnings=["x"]).changed
    for change in ({"added": ["a"]}, {"updated": ["a"]}, {"removed": ["a"]}, {"rebuild_reason": "model changed"}):
        assert IndexReport(**change).changed, change


def test_the_summary_counts_everything_in_one_line():
    report = IndexReport(added=["a", "b"], unchanged=["c"], embedded_chunks=5, reused_chunks=11, seconds=0.42)
    assert report.summary() == ("Index: 2 added, 0 updated, 0 removed, 1 unchanged, 0 skipped, "
                                "5 passages embedded, 11 reused (0.4 s)")
    assert IndexReport(warnings=["w"]).summary().endswith(", 1 warnings (0.0 s)")
