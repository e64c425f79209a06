"""The `milvus` store: the passages' vectors and BM25 terms as rows of a Milvus collection.

`ASSISTANT_STORE=milvus` keeps the part of the index that grows with the archive and is searched
(vectors, terms) in Milvus: Milvus Lite (a file, by default `<index>/milvus.db`), a Milvus server
or a cluster (`ASSISTANT_MILVUS_URI=http://host:19530`, `ASSISTANT_MILVUS_TOKEN`). The documents,
the passages' citations and the diacritic vocabulary stay in the index directory's generations,
as with the local store, so a question is answered the same way: our fusion, highlighting and
confidence run in Python on the two candidate lists Milvus returns (`answer.retrieval`).

One row per passage, keyed by its vector key (`embed.keys.embedding_key`: model, prompt, text), so an
update upserts only new passages and deletes only those no generation holds any more. Rows are
written before the generation that names them is published and deleted after it is replaced, so a
reader's generation always finds its rows; a reader ignores rows its generation does not name.
A crash between the two leaves rows listed in `milvus-pending.json`, deleted by the next update.

BM25 runs on our own terms (`text.terms.passage_terms`: syllables, word pairs, accent-free forms) as
sparse vectors searched by inner product (`term_statistics.py`), with the archive's document
frequencies kept in the generation. Milvus' own BM25 function was tried first: it keeps its
statistics per segment (Milvus Lite 3.2), so the passages of an article added later, sealed in a
small segment of their own, were scored against that segment alone and ranked out of place.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from ..config import LexicalSettings
from ..errors import IndexStateError
from ..text.terms import query_terms
from .generations import Generations
from .manifest import missing_files, store_kind
from .milvus_collection import SCHEMA_VERSION, MilvusCollection, shown_uri
from .protocol import IndexBuild
from .snapshot import IndexSnapshot
from .term_statistics import FILES as TERM_FILES
from .term_statistics import TermStatistics

log = logging.getLogger(__name__)

PENDING = "milvus-pending.json"


def collection_name(directory: Path, dimension: int) -> str:
    """The collection of an index directory's vectors of one dimension: the directory's name and a
    digest of its path (Milvus names are letters, digits and `_`, at most 255)."""
    path = str(Path(directory).resolve())
    name = re.sub(r"\W", "_", Path(path).name, flags=re.ASCII)[:40]
    return f"passages_{name}_{hashlib.sha256(path.encode('utf-8')).hexdigest()[:8]}_{dimension}"


class _Rows:
    """A generation's passages by vector key: a row of the collection stands for these passages."""

    def __init__(self, collection: MilvusCollection, hashes: Sequence[str]):
        self.collection = collection
        self.hashes = list(hashes)
        self.passages: dict[str, list[int]] = {}
        for index, key in enumerate(self.hashes):
            self.passages.setdefault(key, []).append(index)

    def hits(self, scored: Iterable[tuple[str, float]]) -> list[tuple[int, float]]:
        """`(passage index, score)` of the rows this generation names, best first."""
        return [(index, score) for key, score in scored for index in self.passages.get(key, ())]


class MilvusDense:
    """The dense index of one generation, searched in Milvus (the interface of `dense.DenseIndex`)."""

    kind = "milvus-hnsw"

    def __init__(self, rows: _Rows, dimension: int):
        self.rows = rows
        self.dimension = dimension

    @property
    def size(self) -> int:
        return len(self.rows.hashes)

    def search(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        return self.rows.hits(self.rows.collection.dense_search(query_vector, k))[:k]

    def similarities(self, query_vector: np.ndarray, passages: list[int]) -> dict[int, float]:
        if not passages:
            return {}
        vectors = self.rows.collection.vectors([self.rows.hashes[i] for i in passages])
        return {i: float(vectors[self.rows.hashes[i]] @ query_vector) for i in passages
                if self.rows.hashes[i] in vectors}

    def vectors(self) -> np.ndarray:
        """Every passage's vector, in index order (read from Milvus: for moving an index)."""
        found = self.rows.collection.vectors(sorted(self.rows.passages))
        return np.stack([found[key] for key in self.rows.hashes]) if self.rows.hashes else \
            np.zeros((0, self.dimension), np.float32)


class MilvusLexical:
    """BM25 of one generation, searched in Milvus (the interface of `lexical.LexicalIndex`)."""

    def __init__(self, rows: _Rows, settings: LexicalSettings, statistics: TermStatistics):
        self.rows = rows
        self.settings = settings
        self.statistics = statistics

    @property
    def size(self) -> int:
        return len(self.rows.hashes)

    def search(self, question: str, k: int) -> list[tuple[int, float]]:
        query = self.statistics.query_vector(query_terms(question, self.settings))
        if not query:
            return []
        return [hit for hit in self.rows.hits(self.rows.collection.lexical_search(query, k)) if hit[1] > 0][:k]

    def idf(self, terms: Sequence[str]) -> dict[str, float]:
        return self.statistics.idf(terms)


class MilvusStore:
    """Search indexes as rows of a Milvus collection, one row per distinct passage."""

    kind = "milvus"

    def __init__(self, generations: Generations, uri: str | None = None, token: str | None = None):
        self.generations = generations
        self.directory = generations.directory
        self.uri = uri or str(self.directory / "milvus.db")
        self._token = token
        self.collection: MilvusCollection | None = None  # chosen when an index is opened or written

    def manifest_problem(self, manifest: dict) -> str | None:
        missing = missing_files(manifest, tuple(TERM_FILES.values()))
        if missing:
            return f"files missing from the list: {', '.join(missing)}"
        if not isinstance(manifest.get("milvus"), dict) or not isinstance(manifest["milvus"].get("collection"), str):
            return "the Milvus collection is not named"
        return None

    def _collection_of(self, manifest: dict) -> MilvusCollection:
        name = manifest["milvus"]["collection"]
        if self.collection is None or name != self.collection.name:
            self.collection = MilvusCollection(self.uri, self._token, name)
        return self.collection

    def open(self, generation: Path, manifest: dict, keys: list[str], mmap: bool) -> tuple[MilvusDense, MilvusLexical]:
        collection = self._collection_of(manifest)
        hint = f"delete {self.directory} and run `assistant index` again to rebuild both"
        if not collection.exists():
            written = manifest["milvus"].get("uri")
            if written and written != shown_uri(self.uri):
                hint = f"it was written to Milvus at {written}: set ASSISTANT_MILVUS_URI to that, or {hint}"
            raise IndexStateError(f"{generation}: its Milvus collection {collection.name} is missing from "
                                  f"{shown_uri(self.uri)}; {hint}")
        rows = _Rows(collection, keys)
        if collection.count() < len(rows.passages):
            raise IndexStateError(f"{generation}: Milvus collection {collection.name} at {shown_uri(self.uri)} "
                                  f"holds fewer rows than the index's {len(rows.passages)} passages; {hint}")
        statistics = TermStatistics.load(generation, manifest["term_statistics"])
        return (MilvusDense(rows, manifest["dimension"]),
                MilvusLexical(rows, LexicalSettings(**manifest["lexical"]), statistics))

    def verify(self, generation: Path, manifest: dict, keys: list[str]) -> None:
        """That Milvus still holds every passage of the generation: rows are deleted once a
        generation is replaced."""
        distinct = sorted(set(keys))
        missing = len(distinct) - len(self._collection_of(manifest).vectors(distinct))
        if missing:
            raise IndexStateError(f"{generation}: {missing} of its {len(distinct)} passages are no longer in Milvus "
                                  "(a replaced generation's rows are deleted); restore the newest generation "
                                  "or run `assistant index --rebuild`")

    def _holds(self, snapshot: IndexSnapshot | None) -> bool:
        """Whether `snapshot`'s passages are rows of this store's collection."""
        return snapshot is not None and self.collection is not None and store_kind(snapshot.manifest) == self.kind \
            and snapshot.manifest["milvus"]["collection"] == self.collection.name

    def _choose_collection(self, live: IndexSnapshot | None, dimension: int) -> None:
        """Keep writing to the live generation's collection, unless there is none or its vectors
        have another dimension (another model): then the collection of this directory and
        dimension, dropped first if an earlier index of this directory left it."""
        if self._holds(live) and live.dense.dimension == dimension:
            return
        self.collection = MilvusCollection(self.uri, self._token, collection_name(self.directory, dimension))
        if not self._holds(live) and self.collection.exists():
            log.info("Dropping Milvus collection %s, left from an earlier index of %s.", self.collection.name,
                     self.directory)
            self.collection.drop()

    def build(self, build: IndexBuild) -> tuple[MilvusDense, MilvusLexical]:
        """Upsert the passages the collection lacks: those new to `build.previous`, or all of them
        when its passages are not rows of this collection, were weighed with other BM25 settings,
        or the archive's mean passage length has moved (`TermStatistics.needs_reweighing`). Their
        keys are recorded as pending first."""
        dimension = build.dimension
        self._choose_collection(build.live, dimension)
        previous, statistics = build.previous, None
        if self._holds(previous) and previous.lexical.settings == build.lexical:
            statistics = previous.lexical.statistics.updated(build.added_texts, build.removed_texts, build.lexical)
        if statistics is not None and not statistics.needs_reweighing:
            new, vectors = build.new_passages(), build.new_vectors
        else:
            new, vectors = list(range(len(build.keys))), build.all_vectors()
            statistics = statistics.reweighed() if statistics else TermStatistics.of(build.search_texts, build.lexical)
        first: dict[str, int] = {}
        for i in new:
            first.setdefault(build.keys[i], i)
        self.collection.create(dimension)
        keys = sorted(set(self._pending()) | set(first))
        self.generations.write_state(PENDING, {"collection": self.collection.name, "keys": keys})
        position = {i: n for n, i in enumerate(new)}
        self.collection.upsert(list(first), vectors[[position[i] for i in first.values()]],
                               [statistics.passage_vector(build.search_texts[i], build.lexical)
                                for i in first.values()])
        named = _Rows(self.collection, build.keys)
        return MilvusDense(named, dimension), MilvusLexical(named, build.lexical, statistics)

    def save(self, staging: Path, dense: MilvusDense, lexical: MilvusLexical) -> dict:
        return {"milvus": {"collection": self.collection.name, "schema": SCHEMA_VERSION,
                           "uri": shown_uri(self.uri)},
                "term_statistics": lexical.statistics.save(staging)}

    def published(self, keys: Sequence[str], replaced: IndexSnapshot | None) -> None:
        """Delete the rows the live generation does not name: those of the generation it replaced
        and of a crashed update (pending); or the replaced generation's whole collection when the
        new one went to another (another dimension)."""
        stale = set(self._pending()) | set(replaced.chunk_hashes if self._holds(replaced) else ())
        self.collection.delete(sorted(stale - set(keys)))
        self.generations.remove_state(PENDING)
        if replaced is not None and store_kind(replaced.manifest) == self.kind and not self._holds(replaced):
            left = MilvusCollection(self.uri, self._token, replaced.manifest["milvus"]["collection"])
            if left.exists():
                left.drop()

    def _pending(self) -> list[str]:
        """Keys written by an update that may not have been published (a crash), for this collection."""
        pending = self.generations.read_state(PENDING)
        if not isinstance(pending, dict) or pending.get("collection") != self.collection.name:
            return []
        return [key for key in pending.get("keys", []) if isinstance(key, str)]
