"""Property-based tests: whatever the input, loading a document, reading a sidecar, cleaning a
question or opening a tampered index ends in a result or an `AssistantError`, never another
exception, and never changes a published generation."""

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant import Assistant
from assistant.answer.questions import clean_question
from assistant.errors import AssistantError, QuestionError
from assistant.ingest.documents import Document, load_document
from assistant.ingest.metadata import MAX_METADATA_CHARS, read_sidecar
from assistant.testing import HashingEmbedder

# Bounded for the suite's time: a few hundred inputs in all, seconds per property.
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=400),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)
sidecar_objects = st.dictionaries(st.sampled_from(["title", "date", "source", "url", "author", "other"]), json_values,
                                  max_size=6)


@FUZZ
@given(content=st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8", "surrogatepass")),
       suffix=st.sampled_from([".txt", ".md"]))
def test_loading_any_bytes_gives_a_document_or_a_document_error(tmp_path, content, suffix):
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(content)
    try:
        document = load_document(path)
    except AssistantError:
        return
    assert isinstance(document, Document) and document.text and "\x00" not in document.text
    for paragraph in document.paragraphs:
        assert 0 <= paragraph.start < paragraph.end <= len(document.text)


@FUZZ
@given(data=sidecar_objects | json_values)
def test_any_json_sidecar_gives_checked_metadata(tmp_path, data):
    path = tmp_path / "a.txt"
    path.write_text("Nội dung.", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_text(json.dumps(data), encoding="utf-8")
    metadata, notes = read_sidecar(path)
    assert all(isinstance(value, str) and 0 < len(value) <= MAX_METADATA_CHARS for value in metadata.values())
    assert all(ch >= " " for value in metadata.values() for ch in value)
    assert all(isinstance(note, str) and "\n" not in note for note in notes)


@FUZZ
@given(raw=st.binary(max_size=500))
def test_any_sidecar_bytes_give_metadata_or_a_document_error(tmp_path, raw):
    path = tmp_path / "a.txt"
    path.write_text("Nội dung.", encoding="utf-8")
    (tmp_path / "a.txt.meta.json").write_bytes(raw)
    try:
        read_sidecar(path)
    except AssistantError:
        pass


@FUZZ
@given(question=st.text(max_size=2000) | st.binary(max_size=200).map(lambda b: b.decode("utf-8", "surrogateescape")))
def test_any_question_is_cleaned_or_refused(question):
    try:
        text, notes = clean_question(question, max_chars=1000)
    except QuestionError:
        return
    assert text == text.strip() and 0 < len(text) <= 1000
    assert not any(0xD800 <= ord(ch) <= 0xDFFF or ch in "\x00\n\r\t" for ch in text)


@pytest.fixture(scope="module")
def pristine_index(tmp_path_factory, bundled_documents):
    """An index of the bundled article, built once; each example works on a copy."""
    folder = tmp_path_factory.mktemp("pristine")
    documents = folder / "documents"
    documents.mkdir()
    for path in bundled_documents.iterdir():
        shutil.copy(path, documents)
    Assistant.open(folder / "index", documents=[documents], embedder=HashingEmbedder())
    return folder / "index"


def manifest_edits():
    keys = st.sampled_from(["files", "lexical", "chunking", "model", "sources", "excluded", "documents",
                            "format_version", "dense", "dimension"])
    return st.lists(st.tuples(keys, json_values), min_size=1, max_size=3)


@FUZZ
@given(edits=manifest_edits(), pointer=st.none() | st.binary(max_size=40))
def test_any_tampered_manifest_or_pointer_loads_or_fails_in_one_line(tmp_path, pristine_index, edits, pointer):
    index = tmp_path / "index"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(pristine_index, index)
    generation = next(index.glob("gen-*"))
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    for key, value in edits:
        manifest[key] = value
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if pointer is not None:
        (index / "CURRENT").write_bytes(pointer)
    data = {p.name: p.read_bytes() for p in generation.rglob("*") if p.is_file()}
    try:
        Assistant.open(index, embedder=HashingEmbedder(), update=False).retrieve("phường Tân Mỹ")
    except AssistantError as error:
        assert "\n" not in str(error)
    assert {p.name: p.read_bytes() for p in generation.rglob("*") if p.is_file()} == data
