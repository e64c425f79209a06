"""Planning an update (`indexing/plan.py`): which files are read again, what a broken sidecar or
an old encoding does, duplicates, and links out of the indexed folder."""


import pytest

from assistant import Assistant
from assistant.errors import DocumentError
from assistant.ingest.documents import load_document
from assistant.testing import HashingEmbedder

ARTICLE = "title: Cầu Ánh Sao\n\nCầu Ánh Sao ở phường Bình Thạnh dài 500 mét.\n\nCây cầu khánh thành cuối tuần.\n"


# The file's own header names it "Cầu Ánh Sao": a sidecar title replaces it only when it is valid.
@pytest.mark.parametrize("sidecar, field, title", [
    ("[1, 2, 3]", "not a JSON object", "Cầu Ánh Sao"),
    ("12345", "not a JSON object", "Cầu Ánh Sao"),
    ({"title": 123, "date": ["2025-01-01"]}, '"title"', "Cầu Ánh Sao"),
    ({"title": "x" * 5000}, '"title"', "Cầu Ánh Sao"),
    ({"title": "Cầu", "date": "<b>2025</b>"}, '"date"', "Cầu"),
    ({"title": "Cầu", "date": "2025-02-30"}, '"date"', "Cầu"),
])
def test_bad_sidecar_fields_are_left_out_with_a_note_naming_the_file(tmp_path, fake_assistant, write_article, sidecar,
                                                                      field, title):
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = write_article(folder, "cau.txt", ARTICLE, sidecar=sidecar)
    report = fake_assistant.index(paths=[path])
    assert report.added == ["cau"]
    assert any("cau.txt.meta.json" in line and field in line for line in report.warnings), report.warnings
    document = fake_assistant.document("cau")
    assert (document.title, document.date) == (title, None)  # no valid date anywhere
    # and asking still works (lexically: the fake embedder is too crude for the calibrated dense signals)
    assert fake_assistant.ask("Cầu Ánh Sao dài bao nhiêu?", mode="lexical").short_answer == "500 mét"


def test_an_indexed_document_whose_sidecar_breaks_keeps_its_last_good_version(write_article, tmp_path, fake_assistant):
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = write_article(folder, "cau.txt", ARTICLE, sidecar={"title": "Cầu Ánh Sao mới"})
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


def test_a_new_document_with_an_unreadable_sidecar_is_indexed_without_it(write_article, tmp_path, fake_assistant):
    folder = tmp_path / "incoming"
    folder.mkdir()
    report = fake_assistant.index(paths=[write_article(folder, "cau.txt", ARTICLE, sidecar='{"title": ')])
    assert report.added == ["cau"] and fake_assistant.document("cau").title == "Cầu Ánh Sao"
    assert any("unreadable metadata" in line and "indexed without its metadata" in line for line in report.warnings)


def test_duplicate_document_is_refused(tmp_path, fake_assistant, corpus_dir, tree_digest):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((corpus_dir / "000_dbd6872183af7f42.txt").read_bytes())
    before = tree_digest(fake_assistant.index_directory.directory)
    with pytest.raises(DocumentError, match="same text"):
        fake_assistant.index([copy])
    assert tree_digest(fake_assistant.index_directory.directory) == before


def test_untouched_files_are_not_read_again_and_edits_are_seen(tmp_path, corpus_dir, monkeypatch):
    import os

    import assistant.indexing.plan as indexer

    article = corpus_dir / "moi.txt"
    article.write_text("Tin mới về phường Bình Thạnh.", encoding="utf-8")
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    read = []
    monkeypatch.setattr(indexer, "load_document", lambda path, **kw: read.append(path.name) or load_document(path, **kw))
    assert assistant.index().changed is False and read == []

    # Same size, modification time put back: the change time still tells.
    status = article.stat()
    article.write_text("Tin mới về phường Bình Thuận.", encoding="utf-8")
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert article.stat().st_size == status.st_size
    report = assistant.index()
    assert report.updated == ["moi"] and read == ["moi.txt"]

    read.clear()
    (corpus_dir / "moi.txt.meta.json").write_text('{"title": "Tin Bình Thuận"}', encoding="utf-8")
    report = assistant.index()
    assert report.updated == ["moi"] and read == ["moi.txt"]
    assert assistant.document("moi").title == "Tin Bình Thuận"


def test_windows_1258_is_noted_when_indexed_and_not_again(tmp_path, fake_assistant):
    folder = tmp_path / "incoming"
    folder.mkdir()
    path = folder / "cu.txt"
    path.write_bytes(b"C\xe2u \xc1nh Sao d\xe0i 500 m\xe9t.")  # precomposed letters cp1258 has
    report = fake_assistant.index(paths=[path])
    assert any("Windows-1258" in line for line in report.warnings)
    assert fake_assistant.document("cu").encoding == "cp1258"
    assert not fake_assistant.index().warnings  # said once, when indexed


def test_links_out_of_the_indexed_folder_are_left_out_unless_followed(write_article, tmp_path, fake_embedder):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Mật khẩu của máy chủ là hunter2.\n", encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    write_article(docs, "bai.txt", ARTICLE)
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


def _good_articles(folder, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for number in range(count):
        (folder / f"tin-{number:02d}.txt").write_text(
            f"Tin số {number}\n\nPhường {number} khánh thành cây cầu dài {number}00 mét.", encoding="utf-8")


def test_a_word_repeated_seventy_thousand_times_is_indexed_with_its_folder(tmp_path, fake_embedder):
    """Its term counts overflowed 16 bits, and the whole import of the folder failed."""
    folder = tmp_path / "news"
    _good_articles(folder, 20)
    (folder / "tin-lap.txt").write_text("tin " * 70_000, encoding="utf-8")
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder)
    report = assistant.index(paths=[folder])
    assert len(report.added) == 21 and not report.skipped
    assert max(len(chunk.text) for chunk in assistant.snapshot.chunks) <= assistant.settings.chunking.max_chars
    assert assistant.retrieve("phường 7 khánh thành cầu", k=1, mode="lexical")[0].document_id == "tin-07"


def test_a_file_that_fails_unforeseen_is_skipped_in_one_line_and_the_others_indexed(tmp_path, fake_embedder,
                                                                                    monkeypatch):
    import assistant.indexing.plan as plan

    folder = tmp_path / "news"
    _good_articles(folder, 20)
    (folder / "doc-hai.txt").write_text("Bài báo gây lỗi.", encoding="utf-8")

    def failing(path, **options):
        if path.name == "doc-hai.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return load_document(path, **options)

    monkeypatch.setattr(plan, "load_document", failing)
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder)
    report = assistant.index(paths=[folder])
    assert len(report.added) == 20 and len(report.skipped) == 1
    line, = report.skipped
    assert "doc-hai.txt" in line and "RecursionError" in line and "\n" not in line
    assert "20 added" in report.summary() and "1 skipped" in report.summary()
    # the same file named on its own is refused, in one line, with the index as it was
    generation = assistant.snapshot.generation
    with pytest.raises(DocumentError, match="doc-hai.txt: could not be read .RecursionError"):
        assistant.index(paths=[folder / "doc-hai.txt"])
    assert assistant.index_directory.current() == generation


def test_a_bad_file_in_a_watched_folder_does_not_stop_questions_or_updates(tmp_path, corpus_dir, fake_embedder,
                                                                           monkeypatch):
    import assistant.indexing.plan as plan

    Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=fake_embedder)
    (corpus_dir / "hong.txt").write_text("Tệp gây lỗi.", encoding="utf-8")
    (corpus_dir / "moi.txt").write_text("Tin mới về cầu Bình Triệu dài 300 mét.", encoding="utf-8")
    monkeypatch.setattr(plan, "load_document", lambda path, **options: (_ for _ in ()).throw(MemoryError())
                        if path.name == "hong.txt" else load_document(path, **options))
    reopened = Assistant.open(tmp_path / "index", embedder=fake_embedder)  # as `assistant ask` opens it
    assert "moi" in reopened.snapshot.documents and "hong" not in reopened.snapshot.documents
    assert reopened.ask("Cầu Bình Triệu dài bao nhiêu?", mode="lexical").status != "not_found"
    skipped, = reopened.index().skipped  # `assistant index` goes on too, saying why in one line
    assert "hong.txt" in skipped and "MemoryError" in skipped


# --- a watched folder that cannot be seen is never read as "all its documents were deleted" -------

@pytest.fixture
def watched(tmp_path, fake_embedder):
    """An index of a watched folder `news/` of 20 articles, and its tree's digest."""
    folder = tmp_path / "news"
    _good_articles(folder, 20)
    assistant = Assistant(tmp_path / "index", embedder=fake_embedder)
    assistant.index(paths=[folder])
    return assistant, folder


def _assert_nothing_removed(assistant, tree_digest, before, generation):
    assert tree_digest(assistant.index_dir) == before and assistant.index_directory.current() == generation
    assert len(Assistant.open(assistant.index_dir, embedder=HashingEmbedder(), update=False).documents()) == 20


@pytest.mark.parametrize("loss", ["renamed", "unmounted"])
def test_a_watched_folder_that_is_gone_stops_the_update_and_removes_nothing(watched, tree_digest, loss, caplog):
    assistant, folder = watched
    generation, before = assistant.snapshot.generation, tree_digest(assistant.index_dir)
    folder.rename(folder.with_name("news-renamed"))
    if loss == "unmounted":
        folder.mkdir()  # the mount point stays, empty
    with pytest.raises(DocumentError, match=f"watched folder {folder} (is missing|holds none of its 20)") as caught:
        assistant.index()
    message = str(caught.value)
    assert "nothing was changed" in message and f"assistant index --remove {folder}" in message and "\n" not in message
    _assert_nothing_removed(assistant, tree_digest, before, generation)

    # a reader opening it (as `assistant ask` does) answers from the live generation, saying why once
    reader = Assistant.open(assistant.index_dir, embedder=HashingEmbedder())
    assert reader.snapshot.generation == generation and len(reader.documents()) == 20
    assert any("was not updated" in record.getMessage() and str(folder) in record.getMessage()
               for record in caplog.records)
    _assert_nothing_removed(assistant, tree_digest, before, generation)

    if loss == "unmounted":
        folder.rmdir()
    folder.with_name("news-renamed").rename(folder)  # back: nothing to do
    assert not assistant.index().changed and assistant.index_directory.current() == generation


def test_a_watched_folder_that_cannot_be_read_stops_the_update(watched, tree_digest, monkeypatch):
    import os

    assistant, folder = watched
    generation, before = assistant.snapshot.generation, tree_digest(assistant.index_dir)
    walk = os.walk

    def refused(top, onerror=None, **options):  # as listing a folder without read permission fails
        if os.fspath(top) == os.fspath(folder):
            onerror(PermissionError(13, "Permission denied", os.fspath(top)))
            return iter(())
        return walk(top, onerror=onerror, **options)

    monkeypatch.setattr(os, "walk", refused)
    with pytest.raises(DocumentError, match=f"cannot read folder {folder} .Permission denied.*nothing was changed"):
        assistant.index()
    _assert_nothing_removed(assistant, tree_digest, before, generation)


def test_removing_a_watched_folder_takes_its_documents_and_a_deleted_subfolder_takes_its_own(watched, write_article):
    assistant, folder = watched
    sub = folder / "phong-su"
    write_article(sub, "ky-1.txt", "Phóng sự kỳ 1 về chợ Bến Thành.")
    assert assistant.index().added == ["ky-1"]
    import shutil

    shutil.rmtree(sub)  # the folder it lived in is read, and no longer holds it
    assert assistant.index().removed == ["ky-1"]
    with pytest.raises(DocumentError, match="no document with id 'khong-co' and no watched folder"):
        assistant.index(remove=["khong-co"])
    other = write_article(folder.with_name("khac"), "khac.txt", "Tin khác về giá xăng.").parent
    assistant.index(paths=[other])
    folder.rename(folder.with_name("news-old"))
    report = assistant.index(remove=[str(folder)])  # the way out the message names
    assert len(report.removed) == 20 and assistant.snapshot.manifest["sources"] == [str(other.resolve())]


def test_a_file_watched_on_its_own_is_dropped_when_deleted_but_not_when_its_folder_is_gone(fake_assistant, tmp_path,
                                                                                          write_article):
    path = write_article(tmp_path / "rieng", "cau.txt", ARTICLE)
    fake_assistant.index(paths=[path])
    path.parent.rename(tmp_path / "rieng-2")
    with pytest.raises(DocumentError, match=r"watched file \(and its folder\) .*cau.txt is missing"):
        fake_assistant.index()
    (tmp_path / "rieng-2").rename(path.parent)
    path.unlink()  # its folder is read and no longer holds it
    assert fake_assistant.index().removed == ["cau"]
