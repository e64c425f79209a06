"""Hostile and broken input: odd sidecars, a lost CURRENT, links out of the folder, encodings,
hand-edited manifests, terminal output. Each ends in a one-line message or a documented result,
and the published generation stays byte-identical unless the action was meant to change it."""

import json
import os
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import DocumentError, IndexStateError
from assistant.ingest.documents import load_document
from assistant.testing import HashingEmbedder

ARTICLE = "title: Cầu Ánh Sao\n\nCầu Ánh Sao ở phường Bình Thạnh dài 500 mét.\n\nCây cầu khánh thành cuối tuần.\n"


def add(folder: Path, name: str, text: str = ARTICLE, sidecar=None) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    if sidecar is not None:
        (folder / (name + ".meta.json")).write_text(sidecar if isinstance(sidecar, str) else json.dumps(sidecar),
                                                   encoding="utf-8")
    return path


# --- metadata sidecars ------------------------------------------------------------------------------

@pytest.mark.parametrize("sidecar, field", [
    ("[1, 2, 3]", "not a JSON object"),
    ("12345", "not a JSON object"),
    ({"title": 123, "date": ["2025-01-01"]}, '"title"'),
    ({"title": "x" * 5000}, '"title"'),
    ({"title": "Cầu", "date": "<b>2025</b>"}, '"date"'),
    ({"title": "Cầu", "date": "2025-02-30"}, '"date"'),
])
def test_bad_sidecar_fields_are_left_out_with_a_note_naming_the_file(tmp_path, fake_assistant, sidecar, field):
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = add(folder, "cau.txt", sidecar=sidecar)
    report = fake_assistant.index(paths=[path])
    assert report.added == ["cau"]
    assert any("cau.txt.meta.json" in line and field in line for line in report.warnings), report.warnings
    document = fake_assistant.document("cau")
    assert document.title in ("Cầu Ánh Sao", "Cầu") and len(document.title) <= 300
    assert document.date in (None, "2025-01-01") and document.date != "<b>2025</b>"
    assert fake_assistant.ask("Cầu Ánh Sao dài bao nhiêu?").passages  # and asking still works


def test_sidecar_text_is_cleaned_and_dates_are_normalised(tmp_path):
    path = add(tmp_path, "a.txt", sidecar={"title": "Tin\u001b[2J\u001b]0;PWNED\u0007 mới", "date": "24/10/2025",
                                           "source": "Báo\nA"})
    document = load_document(path)
    assert document.title == "Tin [2J ]0;PWNED mới" and "\x1b" not in document.title
    assert document.date == "2025-10-24" and document.source == "Báo A"


def test_an_indexed_document_whose_sidecar_breaks_keeps_its_last_good_version(tmp_path, fake_assistant):
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = add(folder, "cau.txt", sidecar={"title": "Cầu Ánh Sao mới"})
    fake_assistant.index(paths=[path])
    generation = fake_assistant.snapshot.generation
    (folder / "cau.txt.meta.json").write_text('{"title": ', encoding="utf-8")
    report = fake_assistant.index()
    assert fake_assistant.document("cau").title == "Cầu Ánh Sao mới"
    assert report.unchanged and "cau" in report.unchanged and not report.removed
    assert any("cau.txt.meta.json" in line and "keeping the version indexed before" in line for line in report.warnings)
    assert fake_assistant.snapshot.generation == generation  # nothing to write
    (folder / "cau.txt").write_bytes(b"\x00\x01 binary now")  # the article itself turns unreadable too
    report = fake_assistant.index()
    assert "cau" in fake_assistant.snapshot.documents and any("binary" in line for line in report.warnings)
    (folder / "cau.txt").unlink()  # only deleting the file (or --remove) drops it
    assert "cau" in fake_assistant.index().removed


def test_a_new_document_with_an_unreadable_sidecar_is_indexed_without_it(tmp_path, fake_assistant):
    folder = tmp_path / "incoming"
    folder.mkdir()
    report = fake_assistant.index(paths=[add(folder, "cau.txt", sidecar='{"title": ')])
    assert report.added == ["cau"] and fake_assistant.document("cau").title == "Cầu Ánh Sao"
    assert any("unreadable metadata" in line and "indexed without its metadata" in line for line in report.warnings)


# --- generations are never lost ---------------------------------------------------------------------

def test_a_lost_current_lists_the_generations_and_restore_brings_one_back(tmp_path, corpus_dir, tree_digest):
    index_dir = tmp_path / "index"
    assistant = Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    generation = assistant.snapshot.generation
    before = tree_digest(generation)
    for damage in ("", b"\xff\xfe\x00garbage", "..", "../../etc", "gen-nope"):
        (index_dir / "CURRENT").unlink(missing_ok=True)
        if damage != "":
            (index_dir / "CURRENT").write_bytes(damage if isinstance(damage, bytes) else damage.encode())
        with pytest.raises(IndexStateError, match=f"generations present: {generation.name}.*--restore"):
            Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
        assert tree_digest(generation) == before  # nothing rebuilt over it, nothing deleted
    restored = Assistant(index_dir, embedder=HashingEmbedder())
    assert restored.restore(generation.name) == generation
    assert restored.documents() and tree_digest(generation) == before
    with pytest.raises(IndexStateError, match="not a generation"):
        restored.restore("../elsewhere")


def test_cli_restore_and_lost_current_messages(tmp_path, corpus_dir, run_cli):
    index_dir = tmp_path / "index"
    generation = Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder()).snapshot.generation
    (index_dir / "CURRENT").unlink()
    assert "assistant index --restore" in run_cli("documents", "--index-dir", index_dir).error_line()
    assert "assistant index --restore" in run_cli("ask", "Ai?", "--index-dir", index_dir).error_line()
    restored = run_cli("index", "--restore", generation.name, "--index-dir", index_dir)
    assert restored.returncode == 0 and "Restored" in restored.stdout
    assert run_cli("documents", "--index-dir", index_dir).returncode == 0


# --- the index directory is a boundary ----------------------------------------------------------------

@pytest.mark.parametrize("edit, message", [
    (lambda m: m["files"].update({"../../../../etc/passwd": {"bytes": 1, "sha256": "0" * 64}}), "not a plain name"),
    (lambda m: m.pop("files"), "list of files"),
    (lambda m: m.update(files=list(m["files"])), "list of files"),
    (lambda m: m["files"]["chunks.jsonl"].pop("bytes"), "size or checksum"),
    (lambda m: m["lexical"].update(magic=1), "lexical settings"),
    (lambda m: m.update(sources="/etc"), "'sources'"),
    (lambda m: m.update(model=None), "model"),
])
def test_hand_edited_manifests_are_refused_in_one_line(fake_assistant, tree_digest, edit, message):
    generation = fake_assistant.snapshot.generation
    manifest_path = generation / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    edit(manifest)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    before = tree_digest(generation)
    with pytest.raises(IndexStateError, match=message) as caught:
        Assistant.open(fake_assistant.index_dir, embedder=HashingEmbedder(), update=False)
    assert "--rebuild" in str(caught.value) and "\n" not in str(caught.value)
    assert tree_digest(generation) == before


def test_a_manifest_file_that_is_a_link_is_refused(fake_assistant, tmp_path):
    target = fake_assistant.snapshot.generation / "vocabulary.json"
    outside = tmp_path / "vocabulary.json"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(IndexStateError, match="not a plain file"):
        Assistant.open(fake_assistant.index_dir, embedder=HashingEmbedder(), update=False)


# --- links out of the folder ----------------------------------------------------------------------

def test_links_out_of_the_indexed_folder_are_left_out_unless_followed(tmp_path, fake_embedder):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Mật khẩu của máy chủ là hunter2.\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    add(docs, "bai.txt")
    (docs / "passwd.txt").symlink_to(secret)
    (docs / "inside.txt").symlink_to(docs / "bai.txt")  # a link within the folder is fine (a duplicate here)
    (docs / "loop").symlink_to(docs, target_is_directory=True)
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder)
    report = assistant.index(paths=[docs])
    assert set(assistant.snapshot.documents) == {"bai"}
    assert any("passwd.txt" in line and "--follow-symlinks" in line for line in report.skipped)
    assert not any("hunter2" in p.text for p in assistant.retrieve("mật khẩu máy chủ", k=5))
    with pytest.raises(DocumentError, match="follow-symlinks"):
        assistant.index(paths=[docs / "passwd.txt"])
    assistant.index(paths=[docs], follow_symlinks=True)
    assert "passwd" in assistant.snapshot.documents
    assert assistant.snapshot.manifest["follow_symlinks"] is True  # remembered for the watched folder


# --- encodings ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-32"])
def test_unicode_files_with_a_byte_order_mark_are_read(tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    document = load_document(path)
    assert "phường Bình Thạnh" in document.text and document.title == "Cầu Ánh Sao"


def test_a_nul_byte_anywhere_refuses_the_file_and_other_controls_are_removed(tmp_path):
    late_nul = tmp_path / "nul.txt"
    late_nul.write_bytes(("Đoạn đầu. " * 1000 + "\n\n\x00đoạn cuối.").encode())
    with pytest.raises(DocumentError, match="binary"):
        load_document(late_nul)
    bell = tmp_path / "bell.txt"
    bell.write_text("Cầu Ánh Sao\x07 dài\x1b[31m 500 mét.\n", encoding="utf-8")
    document = load_document(bell)
    assert document.text == "Cầu Ánh Sao dài[31m 500 mét." and "control character" in document.notes[0]


def test_windows_1258_is_noted_when_indexed_and_not_again(tmp_path, fake_assistant):
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = folder / "cu.txt"
    path.write_bytes(b"C\xe2u \xc1nh Sao d\xe0i 500 m\xe9t.")  # precomposed letters cp1258 has
    report = fake_assistant.index(paths=[path])
    assert any("Windows-1258" in line for line in report.warnings)
    assert fake_assistant.document("cu").encoding == "cp1258"
    assert not fake_assistant.index().warnings  # said once, when indexed


# --- terminal output and standard input (the command line) ----------------------------------------------

@pytest.mark.slow
def test_terminal_output_escapes_control_characters_and_keeps_one_line_per_document(tmp_path, run_cli, bundled_model):
    docs = tmp_path / "docs"
    docs.mkdir()
    add(docs, "tin\nmới.txt", sidecar={"title": "Tin \u202eđảo\u202c mới"})
    (docs / "tin\nmới.txt.meta.json").unlink()
    add(docs, "tin2.txt", text="Tin \u202eđảo\u202c mới\n\nCầu Ánh Sao dài 500 mét.\n")
    index_dir = tmp_path / "index"
    assert run_cli("index", docs, "--index-dir", index_dir, "-q").returncode == 0
    listing = run_cli("documents", "--index-dir", index_dir)
    lines = listing.stdout.splitlines()
    assert len(lines) == 2 and all(len(line.split("\t")) == 4 for line in lines)
    assert "\u202e" not in listing.stdout and "\\u202e" in listing.stdout
    answer = run_cli("ask", "Cầu Ánh Sao dài bao nhiêu?", "--index-dir", index_dir)
    assert answer.returncode == 0 and "\u202e" not in answer.stdout


@pytest.mark.slow
def test_invalid_utf8_on_standard_input_is_an_error_line_not_dropped_bytes(tmp_path, corpus_dir, run_cli, bundled_model):
    index_dir = tmp_path / "index"
    assert run_cli("index", corpus_dir, "--index-dir", index_dir, "-q").returncode == 0
    result = run_cli("ask", "--index-dir", index_dir, "--json",
                     stdin="Ai là Chủ tịch UBND phường Tân Mỹ?\n".encode() + b"Ch\xff t\xe1ch?\n")
    good, bad = (json.loads(line) for line in result.stdout.splitlines())
    assert good["status"] in ("answered", "related") and bad == {"line": 2, "error": bad["error"]}
    assert "not valid UTF-8" in bad["error"] and result.returncode == 1


# --- chat uploads ---------------------------------------------------------------------------------------

def test_gradio_copies_of_uploads_are_deleted_and_nothing_else(tmp_path, monkeypatch):
    from ui.app import discard_gradio_copy

    cache = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(cache))
    copy = cache / "3f2a" / "bai.txt"
    copy.parent.mkdir(parents=True)
    copy.write_text(ARTICLE, encoding="utf-8")
    mine = tmp_path / "mine.txt"
    mine.write_text(ARTICLE, encoding="utf-8")
    discard_gradio_copy(str(copy))
    discard_gradio_copy(str(mine))
    discard_gradio_copy(None)
    assert not copy.exists() and not copy.parent.exists() and cache.exists() and mine.exists()


def test_the_uploads_folder_is_settable(tmp_path, monkeypatch):
    from ui.app import default_uploads_dir

    assert default_uploads_dir(tmp_path / "index") == tmp_path / "uploads"
    monkeypatch.setenv("ASSISTANT_UPLOADS_DIR", str(tmp_path / "elsewhere"))
    assert default_uploads_dir(tmp_path / "index") == tmp_path / "elsewhere"
    assert os.environ["ASSISTANT_UPLOADS_DIR"].endswith("elsewhere")
