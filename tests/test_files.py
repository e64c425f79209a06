"""Plain files (`files.py`): JSON and JSON lines in UTF-8 with Vietnamese kept as it is, SHA-256
digests, and fsync of a folder before it is published."""

import hashlib

from assistant.files import file_digest, fsync_tree, read_json, read_jsonl, write_json, write_jsonl

ROW = {"title": "Chủ tịch UBND phường Tân Mỹ", "paragraphs": [[0, 12, 1, False]], "date": None}


def test_json_round_trips_and_keeps_vietnamese_as_utf8(tmp_path):
    for indent in (True, False):
        path = tmp_path / f"row-{indent}.json"
        write_json(path, ROW, indent=indent)
        assert read_json(path) == ROW
        assert "Tân Mỹ".encode() in path.read_bytes() and b"\\u" not in path.read_bytes()
        assert (b"\n  " in path.read_bytes()) == indent


def test_json_lines_hold_one_row_per_line_and_skip_blank_lines(tmp_path):
    path = tmp_path / "rows.jsonl"
    write_jsonl(path, (dict(ROW, number=n) for n in range(3)))
    assert path.read_bytes().count(b"\n") == 3
    path.write_bytes(path.read_bytes() + b"\n  \n")
    assert read_jsonl(path) == [dict(ROW, number=n) for n in range(3)]


def test_the_digest_is_the_files_sha256(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(bytes(range(256)) * 10_000)  # over one read block
    assert file_digest(path) == hashlib.sha256(path.read_bytes()).hexdigest()


def test_fsync_of_a_folder_leaves_its_files_as_they_are(tmp_path, tree_digest):
    (tmp_path / "gen" / "lexical").mkdir(parents=True)
    write_json(tmp_path / "gen" / "manifest.json", ROW)
    (tmp_path / "gen" / "lexical" / "terms.npy").write_bytes(b"\x00\x01")
    before = tree_digest(tmp_path / "gen")
    fsync_tree(tmp_path / "gen")
    assert tree_digest(tmp_path / "gen") == before
