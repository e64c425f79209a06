"""The manifest (`stores/manifest.py`): what a generation records (model, chunking, hashes, no
pickle, its own checksum), and hand-edited or damaged manifests refused in one line without
touching the generation."""

import json

import pytest

from assistant import Assistant
from assistant.errors import IndexStateError
from assistant.stores.generations import Generations
from assistant.stores.manifest import FORMAT_VERSION, manifest_checksum
from assistant.testing import HashingEmbedder


def test_manifest_records_model_chunking_and_hashes(fake_assistant):
    manifest = fake_assistant.snapshot.manifest
    assert manifest["format_version"] == FORMAT_VERSION == 3 and manifest["checksum"] == manifest_checksum(manifest)
    assert manifest["model"]["id"] == "fake-hash-embedder"
    assert manifest["dimension"] == 64
    assert manifest["chunking"]["max_chars"] > 0
    document = manifest["documents"]["000_dbd6872183af7f42"]
    assert len(document["sha256"]) == 64
    assert set(manifest["files"]) >= {"dense.faiss", "chunks.jsonl", "documents.jsonl", "vocabulary.json"}
    assert not any(name.endswith((".pkl", ".pickle")) for name in manifest["files"])


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


def test_any_byte_flipped_in_the_manifest_is_detected(fake_assistant):
    """The manifest was the one file the checksums did not cover: a flipped byte went unseen."""
    generation = fake_assistant.snapshot.generation
    path = generation / "manifest.json"
    original = path.read_bytes()
    generations = Generations(fake_assistant.index_dir)
    expected = generations.read_manifest(generation)
    unseen = []
    for position in range(len(original)):
        flipped = bytearray(original)
        flipped[position] ^= 0x01
        path.write_bytes(bytes(flipped))
        try:
            if generations.read_manifest(generation) != expected:
                unseen.append(position)
        except IndexStateError as error:
            assert "\n" not in str(error) and "--rebuild" in str(error)
    path.write_bytes(original)
    assert unseen == []


def test_a_manifest_edited_consistently_but_without_its_checksum_is_refused(fake_assistant):
    path = fake_assistant.snapshot.generation / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["documents"]["000_dbd6872183af7f42"]["title"] = "Tiêu đề khác"
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndexStateError, match="altered"):
        Assistant.open(fake_assistant.index_dir, embedder=HashingEmbedder(), update=False)
    del manifest["checksum"]
    path.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(IndexStateError, match="its checksum is missing"):
        Assistant.open(fake_assistant.index_dir, embedder=HashingEmbedder(), update=False)
