"""Bulk embedding on a Ray cluster: actors holding the ONNX model embed batches, in order.

`assistant index FOLDER --ray` (or `ASSISTANT_RAY_ADDRESS=local`) starts a Ray instance on this
machine with one actor per core; `--ray ray://host:10001` or `--ray auto` joins a running
cluster, one actor per CPU it offers. The driver keeps everything else: chunking, the resumable
parts of `bulk.VectorCache`, BM25 and the index files. Each worker converts or finds the model
itself (the bundled one needs this package installed on every node; another model's folder must
exist on every node at the same path).

Ray is an optional dependency (`pip install "vietnamese-news-assistant[scale]"`), imported only here.
"""

from __future__ import annotations

import logging
from typing import Iterable, Iterator, Sequence

import numpy as np

from ..errors import ModelError
from .embedders import Embedder, OnnxEmbedder

LOCAL = "local"
LOCAL_STARTS = 2  # tries to start a local Ray


class EmbeddingActor:
    """One model per worker process, loaded on the first batch."""

    def __init__(self, model: str, precision: str):
        self.embedder = OnnxEmbedder(model, threads=1, precision=precision)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.embed_batch(texts)


class RayRunner:
    """Batches of passages embedded by Ray actors, results in the order given (`map`)."""

    def __init__(self, address: str, embedder: Embedder, cores: int):
        try:
            import ray
            from ray.util import ActorPool
        except ImportError:
            raise ModelError("bulk embedding on Ray needs Ray: pip install 'vietnamese-news-assistant[scale]', "
                             "or index without --ray / ASSISTANT_RAY_ADDRESS") from None
        if not isinstance(embedder, OnnxEmbedder):
            raise ModelError("bulk embedding on Ray runs the model with ONNX Runtime; use the bundled model or "
                             "ASSISTANT_BACKEND=onnx with a folder holding onnx/model.onnx, or index without --ray")
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            local = address == LOCAL
            # A local Ray on a busy machine may not register its raylet or write its GCS port file within
            # Ray's own timeouts (a bare Exception, a RuntimeError): it is started once more before giving up.
            starts = LOCAL_STARTS if local else 1
            for attempt in range(starts):
                try:
                    ray.init(address=None if local else address, num_cpus=cores if local else None,
                             include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
                    break
                except Exception as error:  # noqa: BLE001 - Ray raises a bare Exception on a startup timeout
                    ray.shutdown()
                    if not local and isinstance(error, (ConnectionError, RuntimeError, ValueError)):
                        raise ModelError(f"cannot start or reach Ray at {address!r} ({error}); check the address "
                                         "(e.g. ray://host:10001 or auto), or use --ray without one for a local Ray"
                                         ) from error
                    if attempt + 1 == starts:
                        raise ModelError(f"Ray did not start ({error}); try again when the machine is less busy, "
                                         "or index without --ray") from error
        cpus = max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor = ray.remote(num_cpus=1)(EmbeddingActor)
        self._actors = [actor.remote(embedder.model_id, embedder.precision) for _ in range(cpus)]
        self._pool = ActorPool(self._actors)
        self._prompt = embedder.passage_prompt

    def map(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        prompt = self._prompt
        return self._pool.map(lambda actor, texts: actor.embed.remote([prompt + t for t in texts]), list(batches))

    def close(self) -> None:
        for actor in self._actors:
            self._ray.kill(actor)
        if self._started:
            self._ray.shutdown()
