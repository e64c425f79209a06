"""Generations (`stores/generations.py`): the live generation and the `CURRENT` pointer, checksums,
the writer lock, restoring, and publishing atomically, so a crash or a second writer never leaves
half an index."""

import errno
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.embed.bulk import CACHE_FOLDER
from assistant.errors import DiskFullError, IndexLockedError, IndexStateError
from assistant.files import file_digest, read_json
from assistant.stores.generations import Generations
from assistant.stores.manifest import FORMAT_VERSION, MANIFEST
from assistant.testing import HashingEmbedder

SEED_ID = "000_dbd6872183af7f42"
NEW_ARTICLES = ["cau-anh-sao.txt", "cho-noi.txt"]


def test_publishing_seals_the_staging_folder_then_makes_it_the_only_generation(tmp_path):
    generations = Generations(tmp_path / "index")
    assert generations.current() is None
    with generations.writer_lock():
        staging = generations.new_staging()
        (staging / "lexical").mkdir()
        (staging / "lexical" / "terms.txt").write_text("phường", encoding="utf-8")
        first = generations.publish(staging, {"note": "đầu tiên"})
        assert not staging.exists() and generations.current() == first and first.name.startswith("gen-")
        manifest = read_json(first / MANIFEST)
        assert manifest["note"] == "đầu tiên" and manifest["format_version"] == FORMAT_VERSION
        assert manifest["files"] == {"lexical/terms.txt": {"bytes": len("phường".encode()),
                                                           "sha256": file_digest(first / "lexical" / "terms.txt")}}
        interrupted = generations.new_staging()  # as a crashed run leaves it
        second = generations.publish(generations.new_staging(), {})
    assert (tmp_path / "index" / "CURRENT").read_text(encoding="utf-8") == second.name + "\n"
    assert generations.generations() == [second] and not interrupted.exists() and not first.exists()


def test_corrupted_or_truncated_files_are_detected(fake_assistant):
    generation = fake_assistant.snapshot.generation
    faiss_file = generation / "dense.faiss"
    data = faiss_file.read_bytes()
    faiss_file.write_bytes(data[:-10])
    with pytest.raises(IndexStateError, match="truncated"):
        Assistant.open(fake_assistant.index_directory.directory, embedder=HashingEmbedder(), update=False)
    faiss_file.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    with pytest.raises(IndexStateError, match="corrupted"):
        Assistant.open(fake_assistant.index_directory.directory, embedder=HashingEmbedder(), update=False)
    (generation / "chunks.jsonl").unlink()
    with pytest.raises(IndexStateError, match="missing"):
        Assistant.open(fake_assistant.index_directory.directory, embedder=HashingEmbedder(), update=False)


def test_a_manifest_file_that_is_a_link_is_refused(fake_assistant, tmp_path):
    target = fake_assistant.snapshot.generation / "vocabulary.json"
    outside = tmp_path / "vocabulary.json"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(IndexStateError, match="not a plain file"):
        Assistant.open(fake_assistant.index_dir, embedder=HashingEmbedder(), update=False)


def test_second_indexer_is_refused(fake_assistant):
    with fake_assistant.index_directory.writer_lock():
        with pytest.raises(IndexLockedError, match="being indexed"):
            fake_assistant.index(rebuild=True)


def test_unwritable_or_missing_index_directory(tmp_path, corpus_dir):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(IndexStateError, match="cannot create index directory"):
        Assistant.open(blocker / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    with pytest.raises(IndexStateError, match="no index"):
        Assistant.open(tmp_path / "absent", embedder=HashingEmbedder(), update=False)


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


# An indexer that stops at one moment of its run, says so on stdout, and waits there to be killed.
STOPPING_INDEXER = """
import signal, sys
from pathlib import Path
from assistant import Assistant
from assistant.stores import generations
from assistant.testing import HashingEmbedder

index_dir, moment = Path(sys.argv[1]), sys.argv[2]


def reached(name):
    if name == moment:
        print(name, flush=True)
        signal.pause()  # until the test's SIGKILL


def after(function, name):
    def wrapped(*args, **kwargs):
        result = function(*args, **kwargs)
        reached(name)
        return result
    return wrapped


def before(function, name):
    def wrapped(*args, **kwargs):
        reached(name)
        return function(*args, **kwargs)
    return wrapped


class Embedder(HashingEmbedder):
    def embed(self, texts):
        return after(super().embed, "embedding")(texts)


Generations = generations.Generations
Generations.write_contents = after(Generations.write_contents, "writing")
generations.fsync_tree = after(generations.fsync_tree, "sealed")
Generations.point_to = before(Generations.point_to, "renamed")
Generations.remove_stale = before(Generations.remove_stale, "pointed")
Assistant(index_dir, embedder=Embedder()).index()
print("finished", flush=True)
"""
# Each moment of an update, and which generation a SIGKILL there must leave live.
KILL_MOMENTS = {
    "embedding": "previous",  # the first batch of vectors computed; nothing written but the vector cache
    "writing": "previous",  # a hidden staging folder holds documents and passages, no search index yet
    "sealed": "previous",  # the staging folder is complete: checksummed manifest, fsync'd
    "renamed": "previous",  # the new generation's folder is in place; CURRENT still names the previous one
    "pointed": "new",  # CURRENT names the new generation; the previous one is not deleted yet
}
NEW_DOCUMENTS = 20


@pytest.mark.parametrize("moment", KILL_MOMENTS)
def test_an_indexer_killed_at_any_moment_leaves_one_whole_generation_live(tmp_path, corpus_dir, write_article,
                                                                          tree_digest, check_snapshot, moment):
    """SIGKILL a real indexing process at a moment it signals itself: before CURRENT is replaced the
    previous generation stays live byte for byte, after it the new one is; the next run that
    publishes leaves no staging folder, vector cache or other generation behind."""
    index_dir = tmp_path / "index"
    Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    previous = Generations(index_dir).current()
    before = tree_digest(previous)
    for i in range(NEW_DOCUMENTS):
        write_article(corpus_dir, f"bai-{i}.txt", f"Bài số {i}.\n\n" + "Một đoạn dài về phường. " * 50)
    process = subprocess.Popen([sys.executable, "-c", STOPPING_INDEXER, str(index_dir), moment],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        said = process.stdout.readline().strip()  # blocks until the indexer stops at `moment` (or ends)
    finally:
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate()
    assert said == moment, stderr[-2000:]
    assert process.returncode == -signal.SIGKILL

    live = Generations(index_dir).current()
    assistant = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False)
    check_snapshot(assistant.snapshot, {SEED_ID, *(f"bai-{i}" for i in range(NEW_DOCUMENTS))})
    if KILL_MOMENTS[moment] == "previous":
        assert live == previous and tree_digest(previous) == before
        assert set(assistant.snapshot.documents) == {SEED_ID}
    else:
        assert live != previous and previous.exists()
        assert len(assistant.snapshot.documents) == 1 + NEW_DOCUMENTS
    assert assistant.retrieve("phường Tân Mỹ", k=1)

    report = Assistant(index_dir, embedder=HashingEmbedder()).index()
    finished = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False)
    assert len(finished.documents()) == 1 + NEW_DOCUMENTS
    left = sorted(p.name for p in index_dir.iterdir() if p.name.startswith((".tmp-", "gen-", CACHE_FOLDER)))
    if KILL_MOMENTS[moment] == "previous":
        assert report.changed and left == [finished.snapshot.generation.name]  # leftovers removed when it published
    else:
        # The work was done, so this run publishes nothing: the previous generation and the vector
        # cache, which publishing would have removed, stay until the next update publishes.
        assert not report.changed and left == sorted([CACHE_FOLDER, previous.name, live.name])
        write_article(corpus_dir, "sau.txt", "Tin sau cùng về phường Phú Thuận.")
        assert Assistant(index_dir, embedder=HashingEmbedder()).index().added == ["sau"]
        left = sorted(p.name for p in index_dir.iterdir() if p.name.startswith((".tmp-", "gen-", CACHE_FOLDER)))
        assert left == [Generations(index_dir).current().name]


# An indexer that, once it holds the writer lock, says so and waits for a line on stdin.
HELD_INDEXER = """
import sys
from pathlib import Path
from assistant.testing import HashingEmbedder
from assistant import Assistant
from assistant.errors import IndexLockedError

class HeldEmbedder(HashingEmbedder):
    def embed(self, texts):
        if not self.calls:
            print("holding", flush=True)
            sys.stdin.readline()
        return super().embed(texts)

try:
    Assistant(Path(sys.argv[1]), embedder=HeldEmbedder()).index()
except IndexLockedError as error:
    print(error, flush=True)
    sys.exit(3)
"""


def test_a_second_indexing_process_is_refused_while_the_first_holds_the_lock(tmp_path, corpus_dir, write_article,
                                                                             check_snapshot):
    index_dir = tmp_path / "index"
    Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    for name in NEW_ARTICLES:  # new files in the watched folder: both processes have work to do
        write_article(corpus_dir, name, f"Tin {name} về phường Tân Mỹ.\n\nĐoạn thứ hai của tin.")

    def indexer():
        return subprocess.Popen([sys.executable, "-c", HELD_INDEXER, str(index_dir)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    holder = indexer()
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()[-2000:]
        second = indexer()
        refused, refused_errors = second.communicate(timeout=120)
        held, held_errors = holder.communicate("go\n", timeout=120)
    finally:
        holder.kill()
    assert second.returncode == 3, refused_errors[-2000:]
    assert refused.strip() == \
        f"{index_dir} is being indexed by process {holder.pid}; wait for it to finish, then try again"
    assert holder.returncode == 0, held_errors[-2000:]
    reopened = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False)
    assert set(reopened.snapshot.documents) == {SEED_ID, *(Path(name).stem for name in NEW_ARTICLES)}
    check_snapshot(reopened.snapshot, set(reopened.snapshot.documents))


# --- a full disk ------------------------------------------------------------------------------------

def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _short_write(*_args, **_kwargs):  # what numpy says of a write the disk cut short, with no errno
    raise OSError("529165 requested and 181216 written")


def _leftovers(index_dir: Path) -> list[str]:
    """Anything a failed write could leave: staging folders, a pointer being written, half a part."""
    return sorted(str(p.relative_to(index_dir)) for p in index_dir.rglob("*")
                  if p.name.startswith((".tmp-", ".CURRENT", ".part-")))


@pytest.mark.parametrize("where, failure", [
    ("assistant.stores.generations.write_jsonl", _no_space),
    ("assistant.search.dense.DenseIndex.save", lambda *a: (_ for _ in ()).throw(RuntimeError(
        "Error in faiss::FileIOWriter::operator(): fwrite failed: 1024 requested and 10 written"))),
    ("assistant.search.lexical.np.save", _short_write),
    ("assistant.stores.generations.fsync_tree", _no_space),
    ("assistant.stores.generations.Generations.point_to", _no_space),
    ("assistant.embed.bulk.np.savez", _no_space),
])
def test_a_full_disk_is_one_line_and_leaves_the_live_generation_and_no_partial_file(
        fake_assistant, tmp_path, monkeypatch, where, failure):
    from collections import namedtuple

    index_dir = fake_assistant.index_dir
    generation = fake_assistant.snapshot.generation
    (tmp_path / "documents" / "moi.txt").write_text("Tin mới về cầu Bình Triệu.", encoding="utf-8")
    monkeypatch.setattr(where, failure)
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(5_000_000, 5_000_000, 0))
    with pytest.raises(IndexStateError) as caught:
        fake_assistant.index()
    message = str(caught.value)
    assert isinstance(caught.value, DiskFullError)  # the chat says it in Vietnamese (`ingest.refusals`)
    assert message.startswith(f"the disk holding {index_dir} is full") and "\n" not in message
    assert "the index is as it was: free some space and run the same command again" in message
    assert fake_assistant.index_directory.current() == generation and _leftovers(index_dir) == []
    Assistant.open(index_dir, embedder=HashingEmbedder(), update=False).index_directory.load(verify=True)
    monkeypatch.undo()
    assert fake_assistant.index().added == ["moi"] and _leftovers(index_dir) == []


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 5 MB tmpfs, mounted for the test (root only; else the simulated full disks above stand in)."""
    folder = tmp_path / "tmpfs"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root): the simulated full disks cover the same writes")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.timeout(120)
def test_indexing_into_a_full_tmpfs_is_one_line_and_keeps_the_index(small_tmpfs, corpus_dir, tree_digest):
    index_dir = small_tmpfs / "index"
    assistant = Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    generation = assistant.snapshot.generation
    free = shutil.disk_usage(small_tmpfs).free
    (small_tmpfs / "filler").write_bytes(b"\0" * (free - 100_000))  # the disk nearly full
    (corpus_dir / "dai.txt").write_text("\n\n".join(f"Đoạn {n}: tin tức về phường số {n}." for n in range(3_000)),
                                        encoding="utf-8")
    with pytest.raises(IndexStateError, match=f"the disk holding {index_dir} is full"):
        assistant.index()
    assert assistant.index_directory.current() == generation and _leftovers(index_dir) == []
    assert [d.id for d in Assistant.open(index_dir, embedder=HashingEmbedder(), update=False).documents()] == [SEED_ID]
