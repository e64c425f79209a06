"""The `milvus` store: the passages' vectors and BM25 terms as rows of a Milvus collection.

`ASSISTANT_STORE=milvus` keeps the part of the index that grows with the archive and is searched
(vectors, terms) in Milvus: Milvus Lite (a file, by default `<index>/milvus.db`), a Milvus server
or a cluster (`ASSISTANT_MILVUS_URI=http://host:19530`, `ASSISTANT_MILVUS_TOKEN`). The documents,
the passages' citations and the diacritic vocabulary stay in the index directory's generations,
as with the local store, so a question is answered the same way: our fusion, highlighting and
confidence run in Python on the two candidate lists Milvus returns (`core.Assistant.search`).

One row per passage, keyed by its vector key (`indexer.embedding_key`: model, prompt, text), so an
update upserts only new passages and deletes only those no generation holds any more. Rows are
written before the generation that names them is published and deleted after it is replaced, so a
reader's generation always finds its rows; a reader ignores rows its generation does not name.
A crash between the two leaves rows listed in `milvus-pending.json`, deleted by the next update.

BM25 runs on our own terms (`lexical.passage_terms`: syllables, word pairs, accent-free forms) as
sparse vectors searched by inner product (`term_statistics.py`), with the archive's document
frequencies kept in the generation. Milvus' own BM25 function was tried first: it keeps its
statistics per segment (Milvus Lite 3.2), so the passages of an article added later, sealed in a
small segment of their own, were scored against that segment alone and ranked out of place.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
from pathlib import Path
from collections.abc import Iterable, Sequence

import numpy as np

from .config import LexicalSettings, Settings
from .errors import IndexStateError
from .files import read_json, write_json
from .index_files import IndexSnapshot, changed_search_texts, store_kind
from .lexical import query_terms
from .local_indexes import all_vectors
from .store import IndexStore
from .term_statistics import TermStatistics

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
PENDING = "milvus-pending.json"
KEY_LENGTH = 32  # `indexer.embedding_key`
WRITE_BATCH = 256
READ_BATCH = 1_000
HNSW = {"M": 16, "efConstruction": 200}
INSTALL_HINT = "install the scale extra: pip install '.[scale]'"


def collection_name(directory: Path, dimension: int) -> str:
    """The collection of an index directory's vectors of one dimension: the directory's name and a
    digest of its path (Milvus names are letters, digits and `_`, at most 255)."""
    path = str(Path(directory).resolve())
    name = re.sub(r"\W", "_", Path(path).name, flags=re.ASCII)[:40]
    return f"passages_{name}_{hashlib.sha256(path.encode('utf-8')).hexdigest()[:8]}_{dimension}"


def _reported(doing: str):
    """Turn what pymilvus or gRPC raise while `doing` something into an `IndexStateError` that
    names the Milvus and what to check (the CLI prints it as one line)."""
    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except IndexStateError:
                raise
            except Exception as error:
                if not type(error).__module__.startswith(("pymilvus", "grpc")):
                    raise
                raise IndexStateError(f"Milvus at {self.uri} failed while {doing} collection {self.name} ({error}); "
                                      "check that it is running and reachable, then try again") from error
        return call
    return decorate


class MilvusCollection:
    """One collection of a Milvus: its schema, writes and the two searches, keyed by vector key."""

    def __init__(self, uri: str, token: str | None, name: str):
        self.uri, self.name = uri, name
        self._token = token
        self._client = None
        self._loaded = False

    @property
    def lite(self) -> bool:
        """Whether the URI is a Milvus Lite file (run inside this process) rather than a server."""
        return "://" not in self.uri

    @property
    def client(self):
        """The connected client.

        Raises:
            IndexStateError: pymilvus is not installed, or this Milvus cannot be reached.
        """
        if self._client is None:
            try:
                from pymilvus import MilvusClient
            except ImportError:
                raise IndexStateError(f"ASSISTANT_STORE=milvus needs pymilvus and milvus-lite; {INSTALL_HINT}") from None
            options = {}
            if self.lite:
                Path(self.uri).parent.mkdir(parents=True, exist_ok=True)
                # The embedded server refuses pymilvus' 10-second keep-alive pings ("too_many_pings").
                pass  # options["grpc_options"] = {"grpc.keepalive_time_ms": 600_000, "grpc.keepalive_permit_without_calls": 0}
            quiet = logging.getLogger("milvus_lite.server_manager")  # it logs a traceback; we say why, once
            level = quiet.level
            quiet.setLevel(logging.CRITICAL)
            try:
                self._client = MilvusClient(uri=self.uri, token=self._token or "", **options)
            except Exception as error:  # pymilvus raises its own and gRPC errors alike
                why = ("a Milvus Lite file is used by one process at a time: stop the other one, or serve it with "
                       "`milvus-lite server` and set ASSISTANT_MILVUS_URI to its http address") if self.lite else \
                    "check ASSISTANT_MILVUS_URI and ASSISTANT_MILVUS_TOKEN"
                raise IndexStateError(f"cannot open Milvus at {self.uri} ({error}); {why}") from error
            finally:
                quiet.setLevel(level)
        return self._client

    @_reported("looking up")
    def exists(self) -> bool:
        return self.client.has_collection(self.name)

    @_reported("loading")
    def _load(self) -> None:
        if not self._loaded:
            self.client.load_collection(self.name)
            self._loaded = True

    @_reported("creating")
    def create(self, dimension: int) -> None:
        """Create the collection (HNSW inner-product vectors, sparse BM25 vectors) if missing.

        Raises:
            IndexStateError: one of that name exists with another schema or dimension.
        """
        if self.exists():
            properties = self.client.describe_collection(self.name).get("properties", {})
            have = (properties.get("assistant.schema"), properties.get("assistant.dimension"))
            if have != (SCHEMA_VERSION, str(dimension)):
                raise IndexStateError(
                    f"Milvus collection {self.name} at {self.uri} has schema {have[0]} and dimension {have[1]}, "
                    f"not {SCHEMA_VERSION} and {dimension}; drop it or index into another --index-dir")
            return
        from pymilvus import DataType

        schema = self.client.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=KEY_LENGTH)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
        schema.add_field("terms", DataType.SPARSE_FLOAT_VECTOR)
        index = self.client.prepare_index_params()
        index.add_index("vector", index_type="HNSW", metric_type="IP", params=HNSW)
        index.add_index("terms", index_type="SPARSE_INVERTED_INDEX", metric_type="IP")
        self.client.create_collection(self.name, schema=schema, index_params=index, consistency_level="Strong",
                                      properties={"assistant.schema": SCHEMA_VERSION,
                                                  "assistant.dimension": str(dimension)})
        self._loaded = True

    @_reported("writing to")
    def upsert(self, keys: Sequence[str], vectors: np.ndarray, terms: Sequence[dict[int, float]]) -> None:
        for start in range(0, len(keys), WRITE_BATCH):
            self.client.upsert(self.name, [
                {"key": key, "vector": vector.tolist(), "terms": text}
                for key, vector, text in zip(keys[start:start + WRITE_BATCH], vectors[start:start + WRITE_BATCH],
                                             terms[start:start + WRITE_BATCH])])
        self._flush(len(keys))

    @_reported("deleting from")
    def delete(self, keys: Sequence[str]) -> None:
        for start in range(0, len(keys), READ_BATCH):
            self.client.delete(self.name, ids=list(keys[start:start + READ_BATCH]))
        self._flush(len(keys))

    def _flush(self, changed: int) -> None:
        """Seal what was written: Milvus Lite searches rows not yet sealed into a segment by
        rebuilding their indexes at every search (`benchmarks/bench_milvus.py` measures both)."""
        if changed:
            self.client.flush(self.name)

    @_reported("dropping")
    def drop(self) -> None:
        self.client.drop_collection(self.name)
        self._loaded = False

    @_reported("counting")
    def count(self) -> int:
        self._load()
        return int(self.client.query(self.name, filter="", output_fields=["count(*)"])[0]["count(*)"])

    @_reported("reading")
    def vectors(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        self._load()
        found = {}
        for start in range(0, len(keys), READ_BATCH):
            for row in self.client.get(self.name, ids=list(keys[start:start + READ_BATCH]),
                                         output_fields=["vector"]):
                found[row["key"]] = np.asarray(row["vector"], dtype=np.float32)
        return found

    @_reported("searching")
    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[str, np.ndarray]]:
        """The `k` nearest rows by inner product, with their vectors (scores are computed by the
        caller: Milvus Lite and servers report distances differently)."""
        self._load()
        hits = self.client.search(self.name, data=[vector.tolist()], anns_field="vector", limit=k,
                                  output_fields=["vector"], search_params={"params": {"ef": max(64, k)}})[0]
        return [(hit["key"], np.asarray(hit["entity"]["vector"], dtype=np.float32)) for hit in hits]

    @_reported("searching")
    def lexical_search(self, query: dict[int, float], k: int) -> list[tuple[str, float]]:
        """The `k` best rows by the inner product of their term vectors with `query` (BM25)."""
        self._load()
        hits = self.client.search(self.name, data=[query], anns_field="terms", limit=k,
                                  output_fields=["key"], search_params={"params": {}})[0]
        return [(hit["key"], float(hit["distance"])) for hit in hits]


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
    approximate = True

    def __init__(self, rows: _Rows, dimension: int):
        self.rows = rows
        self.dimension = dimension

    @property
    def size(self) -> int:
        return len(self.rows.hashes)

    def search(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        found = self.rows.collection.dense_search(query_vector, k)
        scored = sorted(((key, float(vector @ query_vector)) for key, vector in found), key=lambda pair: -pair[1])
        return self.rows.hits(scored)[:k]

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


class MilvusStore(IndexStore):
    """An index directory whose passages' vectors and terms live in a Milvus collection."""

    kind = "milvus"

    def __init__(self, directory: str | Path, uri: str | None = None, token: str | None = None):
        super().__init__(directory)
        self.uri = uri or str(self.directory / "milvus.db")
        self._token = token
        self.collection: MilvusCollection | None = None  # chosen when an index is opened or written

    def _collection_of(self, manifest: dict) -> MilvusCollection:
        name = manifest["milvus"]["collection"]
        if self.collection is None or name != self.collection.name:
            self.collection = MilvusCollection(self.uri, self._token, name)
        return self.collection

    def open_indexes(self, generation: Path, manifest: dict, hashes: list[str], mmap: bool):
        if store_kind(manifest) != self.kind:
            return super().open_indexes(generation, manifest, hashes, mmap)  # moved to Milvus by the next update
        collection = self._collection_of(manifest)
        hint = f"delete {self.directory} and run `assistant index` again to rebuild both"
        if not collection.exists():
            written = manifest["milvus"].get("uri")
            if written and written != self.uri:
                hint = f"it was written to Milvus at {written}: set ASSISTANT_MILVUS_URI to that, or {hint}"
            raise IndexStateError(f"{generation}: its Milvus collection {collection.name} is missing from "
                                  f"{self.uri}; {hint}")
        rows = _Rows(collection, hashes)
        if collection.count() < len(rows.passages):
            raise IndexStateError(f"{generation}: Milvus collection {collection.name} at {self.uri} holds fewer "
                                  f"rows than the index's {len(rows.passages)} passages; {hint}")
        statistics = TermStatistics.load(generation, manifest["term_statistics"])
        return (MilvusDense(rows, manifest["dimension"]),
                MilvusLexical(rows, LexicalSettings(**manifest["lexical"]), statistics))

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

    def build_indexes(self, live: IndexSnapshot | None, previous: IndexSnapshot | None, hashes: Sequence[str],
                      search_texts: Sequence[str], rows: Sequence[int | None], new_vectors: np.ndarray,
                      settings: Settings):
        """Upsert the passages the collection lacks: those new to `previous`, or all of them when
        its passages are not rows of this collection, were weighed with other BM25 settings, or
        the archive's mean passage length has moved (`TermStatistics.needs_reweighing`). Their
        keys are recorded as pending first."""
        dimension = new_vectors.shape[1] if len(new_vectors) else previous.dense.dimension
        self._choose_collection(live, dimension)
        statistics = None
        if self._holds(previous) and previous.lexical.settings == settings.lexical:
            removed, added = changed_search_texts(previous, list(hashes), list(search_texts))
            statistics = previous.lexical.statistics.updated(added, removed, settings.lexical)
        if statistics is not None and not statistics.needs_reweighing:
            new, vectors = [i for i, row in enumerate(rows) if row is None], new_vectors
        else:
            new, vectors = list(range(len(hashes))), all_vectors(previous, rows, new_vectors)
            statistics = statistics.reweighed() if statistics else TermStatistics.of(search_texts, settings.lexical)
        first: dict[str, int] = {}
        for i in new:
            first.setdefault(hashes[i], i)
        self.collection.create(dimension)
        keys = sorted(set(self._pending()) | set(first))
        write_json(self.directory / PENDING, {"collection": self.collection.name, "keys": keys}, indent=False)
        position = {i: n for n, i in enumerate(new)}
        self.collection.upsert(list(first), vectors[[position[i] for i in first.values()]],
                               [statistics.passage_vector(search_texts[i], settings.lexical) for i in first.values()])
        named = _Rows(self.collection, hashes)
        return MilvusDense(named, dimension), MilvusLexical(named, settings.lexical, statistics)

    def save_indexes(self, staging: Path, dense: MilvusDense, lexical: MilvusLexical) -> dict:
        return {"milvus": {"collection": self.collection.name, "schema": SCHEMA_VERSION, "uri": self.uri},
                "term_statistics": lexical.statistics.save(staging)}

    def published(self, hashes: Sequence[str], replaced: IndexSnapshot | None) -> None:
        """Delete the rows the live generation does not name: those of the generation it replaced
        and of a crashed update (pending); or the replaced generation's whole collection when the
        new one went to another (another dimension)."""
        stale = set(self._pending()) | set(replaced.chunk_hashes if self._holds(replaced) else ())
        self.collection.delete(sorted(stale - set(hashes)))
        (self.directory / PENDING).unlink(missing_ok=True)
        if replaced is not None and store_kind(replaced.manifest) == self.kind and not self._holds(replaced):
            left = MilvusCollection(self.uri, self._token, replaced.manifest["milvus"]["collection"])
            if left.exists():
                left.drop()

    def _pending(self) -> list[str]:
        """Keys written by an update that may not have been published (a crash), for this collection."""
        try:
            pending = read_json(self.directory / PENDING)
        except (OSError, ValueError):
            return []
        if not isinstance(pending, dict) or pending.get("collection") != self.collection.name:
            return []
        return [key for key in pending.get("keys", []) if isinstance(key, str)]
