"""Refusals in Vietnamese (`ingest/refusals.py`): every reason a file is refused at indexing has
its Vietnamese line naming the file, and an error without one keeps its own message."""

import pytest

from assistant.errors import DocumentError, IndexLockedError, IndexStateError
from assistant.ingest.documents import load_document
from assistant.ingest.refusals import LOCKED, REFUSALS, in_vietnamese


@pytest.mark.parametrize("content, reason", [
    (b"\x89PNG\x00\x00", "binary"),
    (b"\xff\xfe\x00\xd8", "encoding"),  # UTF-16 with a lone surrogate
    (b"  \n\n ", "empty"),
])
def test_each_refusal_of_a_file_is_said_in_vietnamese_naming_it(tmp_path, content, reason):
    path = tmp_path / "bai-bao.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert caught.value.reason == reason
    line = in_vietnamese(caught.value)
    assert line.startswith("bai-bao.txt: ") and line == REFUSALS[reason].format(**caught.value.detail)
    assert "\n" not in line


def test_a_refusal_with_a_failure_nobody_foresaw_and_a_locked_index():
    failed = DocumentError("x.txt: could not be read (RecursionError: deep); left out", "failed", name="x.txt")
    assert in_vietnamese(failed) == "x.txt: không xử lý được tệp này; tệp đã bị bỏ qua"
    assert in_vietnamese(IndexLockedError("index is being indexed by process 12")) == LOCKED


def test_an_error_without_vietnamese_wording_keeps_its_own_message():
    assert in_vietnamese(IndexStateError("index directory /x is not writable")) == "index directory /x is not writable"
    assert in_vietnamese(DocumentError("odd", "failed")) == "odd"  # its details are missing


def test_a_watched_folder_that_cannot_be_seen_is_said_in_vietnamese():
    error = DocumentError("watched folder /data/news is missing, ...", "watched", name="/data/news")
    assert in_vietnamese(error).startswith("không đọc được thư mục /data/news") and "không tài liệu nào bị xóa" in \
        in_vietnamese(error)
