"""Refusals in Vietnamese (`ingest/refusals.py`): the reasons only indexing finds have their
Vietnamese line naming the file or folder, and an error without one keeps its own message."""

import pytest

from assistant import Assistant
from assistant.errors import DiskFullError, DocumentError, IndexLockedError, IndexStateError
from assistant.ingest.refusals import DISK_FULL, LOCKED, in_vietnamese
from assistant.testing import HashingEmbedder


def test_a_duplicate_is_said_in_vietnamese_naming_the_file_and_the_document(fake_assistant, tmp_path, seed_article):
    copy = tmp_path / "ban-sao.txt"
    copy.write_bytes(seed_article.read_bytes())
    with pytest.raises(DocumentError) as caught:
        fake_assistant.index(paths=[copy])
    assert in_vietnamese(caught.value) == "ban-sao.txt: trùng nội dung với tài liệu 000_dbd6872183af7f42 đã có " \
                                          "trong chỉ mục"


def test_a_watched_folder_that_cannot_be_seen_is_said_in_vietnamese(tmp_path, corpus_dir):
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    corpus_dir.rename(tmp_path / "moved")
    with pytest.raises(DocumentError) as caught:
        assistant.index()
    line = in_vietnamese(caught.value)
    assert line.startswith(f"không đọc được thư mục {corpus_dir}") and "không tài liệu nào bị xóa" in line


def test_a_failure_nobody_foresaw_and_a_locked_index():
    failed = DocumentError("x.txt: could not be read (RecursionError: deep); left out", "failed", name="x.txt")
    assert in_vietnamese(failed) == "x.txt: không xử lý được tệp này; tệp đã bị bỏ qua"
    assert in_vietnamese(IndexLockedError("index is being indexed by process 12")) == LOCKED
    assert in_vietnamese(DiskFullError("the disk holding /x is full")) == DISK_FULL


def test_an_error_without_vietnamese_wording_keeps_its_own_message():
    assert in_vietnamese(IndexStateError("index directory /x is not writable")) == "index directory /x is not writable"
    assert in_vietnamese(DocumentError("odd", "failed")) == "odd"  # its details are missing
