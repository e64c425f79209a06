"""One Milvus collection of passages, through pymilvus: its schema, upserts and deletes by vector
key, and the two searches (HNSW inner product over vectors, inner product over sparse BM25 term
vectors). pymilvus is imported when the first client is made, so the default path never loads it.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..embed.keys import KEY_LENGTH
from ..errors import IndexStateError

SCHEMA_VERSION = "1"
WRITE_BATCH = 256
READ_BATCH = 1_000
HNSW = {"M": 16, "efConstruction": 200}
INSTALL_HINT = "install the scale extra: pip install '.[scale]'"


def _not_an_unimplemented_call(record: logging.LogRecord) -> bool:
    """False for gRPC's report of a call Milvus Lite does not implement (pymilvus asks for
    `AllocTimestamp` while creating an index, is told it is unimplemented, and goes on): a
    traceback on every index for nothing that went wrong."""
    return not (record.exc_info and isinstance(record.exc_info[1], NotImplementedError))


def shown_uri(uri: str) -> str:
    """`uri` without the `user:password@` it may carry, for messages and the manifest."""
    return re.sub(r"(://)[^/@]*@", r"\1", uri)


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
                raise IndexStateError(f"Milvus at {shown_uri(self.uri)} failed while {doing} collection {self.name} ({error}); "
                                      "check that it is running and reachable, then try again") from error
        return call
    return decorate


class _Reasons(logging.Handler):
    """Keeps the exceptions a library logs (and nothing else of what it logs)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


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
            if self.lite:
                Path(self.uri).parent.mkdir(parents=True, exist_ok=True)
                # Milvus Lite serves gRPC inside this process; its server logs here (added once).
                logging.getLogger("grpc._server").addFilter(_not_an_unimplemented_call)
            # Milvus Lite logs why it could not start as a traceback, then pymilvus raises a vaguer
            # error: keep the reason, say it once.
            starting, why = logging.getLogger("milvus_lite.server_manager"), _Reasons()
            propagate, starting.propagate = starting.propagate, False
            starting.addHandler(why)
            try:
                self._client = MilvusClient(uri=self.uri, token=self._token or "")
            except Exception as error:  # pymilvus raises its own and gRPC errors alike
                raise IndexStateError(self._refusal(why.errors or [error])) from error
            finally:
                starting.removeHandler(why)
                starting.propagate = propagate
        return self._client

    def _refusal(self, errors: list[BaseException]) -> str:
        """Why this Milvus cannot be opened, and the fix. Milvus Lite has no read-only mode: its
        file is locked by the one process that opens it (an indexer, the chat, an `ask`), so every
        other process is refused (measured by `python -m benchmarks reliability milvus-lite`); a
        Milvus Lite server over the same file serves them all."""
        error = errors[-1]
        if not self.lite:
            return f"cannot open Milvus at {shown_uri(self.uri)} ({error}); check ASSISTANT_MILVUS_URI and " \
                   "ASSISTANT_MILVUS_TOKEN"
        serve = (f"serve it with `milvus-lite server --data-dir {self.uri} --host 127.0.0.1 --port 19530` and set "
                 "ASSISTANT_MILVUS_URI=http://127.0.0.1:19530 (README, \"Outgrowing one machine\")")
        if any(type(e).__name__ == "DataDirLockedError" for e in errors):
            return (f"the Milvus Lite file {self.uri} is open in another process (an indexer, the chat or another "
                    f"ask), and a Lite file serves one process at a time; to use it from several, {serve}")
        return f"cannot open the Milvus Lite file {self.uri} ({error}); check it, or {serve}"

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
                    f"Milvus collection {self.name} at {shown_uri(self.uri)} has schema {have[0]} and dimension {have[1]}, "
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
        rebuilding their indexes at every search (`python -m benchmarks milvus` measures both)."""
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
    def dense_search(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The `k` nearest rows by inner product, with it. For IP, Milvus' `distance` is the inner
        product itself on servers and on Milvus Lite 3.2 alike (tested against the local store;
        Lite 3.x changed it for COSINE and L2, which are not used), so the vectors need not travel."""
        self._load()
        hits = self.client.search(self.name, data=[vector.tolist()], anns_field="vector", limit=k,
                                  output_fields=["key"], search_params={"params": {"ef": max(64, k)}})[0]
        return [(hit["key"], float(hit["distance"])) for hit in hits]

    @_reported("searching")
    def lexical_search(self, query: dict[int, float], k: int) -> list[tuple[str, float]]:
        """The `k` best rows by the inner product of their term vectors with `query` (BM25)."""
        self._load()
        hits = self.client.search(self.name, data=[query], anns_field="terms", limit=k,
                                  output_fields=["key"], search_params={"params": {}})[0]
        return [(hit["key"], float(hit["distance"])) for hit in hits]
