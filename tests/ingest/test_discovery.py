"""Finding article files (`ingest/discovery.py`): missing paths are reported, and the walk gives each
file's real path."""

import pytest

from assistant.errors import DocumentError
from assistant.ingest.discovery import find_document_files


def test_missing_path_is_reported(tmp_path):
    with pytest.raises(DocumentError, match="no such file"):
        find_document_files([tmp_path / "nope"])


def test_the_walk_reports_each_files_real_path(tmp_path):
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.txt").write_text("Tin b.", encoding="utf-8")
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text("Tin a.", encoding="utf-8")
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    (folder / "c.txt").symlink_to(folder / "sub" / "a.txt")
    real_paths: dict[str, str] = {}
    found = find_document_files([folder], follow_symlinks=True, real_paths=real_paths)
    assert len(found) == 3 and set(real_paths) == {os.fspath(path) for path in found}
    assert all(real == os.path.realpath(path) for path, real in real_paths.items())
