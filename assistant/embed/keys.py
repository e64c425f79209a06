"""Vector keys: which vectors stay valid. A passage's vector is keyed by the model, its precision
and prompt, and the passage's indexed text, so a vector is reused exactly when it would come out
the same."""

from __future__ import annotations

import hashlib

from .embedders import Embedder

KEY_LENGTH = 32  # hexadecimal characters of a key


def model_entry(embedder: Embedder) -> dict:
    """What identifies the vectors an embedder makes: model id, prompts and precision (recorded in
    an index's manifest)."""
    return {"id": embedder.model_id, "query_prompt": embedder.query_prompt,
            "passage_prompt": embedder.passage_prompt, "precision": getattr(embedder, "precision", "float32")}


def embedding_key(model: dict, search_text: str) -> str:
    """The key of a passage's vector: model, precision, prompt and text (float32 keys as before
    precision was recorded, so their vectors stay valid)."""
    precision = model.get("precision", "float32")
    model_id = model["id"] if precision == "float32" else f"{model['id']}@{precision}"
    payload = f"{model_id}\x1f{model['passage_prompt']}\x1f{search_text}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:KEY_LENGTH]
