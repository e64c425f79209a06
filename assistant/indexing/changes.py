"""What invalidates an index: a change of model, precision, chunking, BM25 terms or store, found
by comparing the live generation's manifest with the settings and the embedder in use."""

from __future__ import annotations

from ..config import Settings
from ..embed.embedders import Embedder
from ..embed.keys import model_entry
from ..stores.manifest import recorded_model, store_kind
from ..stores.snapshot import IndexSnapshot


def index_settings(settings: Settings, embedder: Embedder) -> dict:
    """The part of the manifest that, when it changes, makes every stored vector invalid."""
    return {"model": model_entry(embedder), "chunking": settings.chunking.to_dict(),
            "lexical": settings.lexical.to_dict()}


def model_change(snapshot: IndexSnapshot, settings: Settings, embedder: Embedder) -> str | None:
    """How `embedder` differs from the model that embedded the index's passages, or None."""
    wanted = index_settings(settings, embedder)["model"]
    have = recorded_model(snapshot.manifest)
    if have == wanted:
        return None
    before, after = (f"{m['id']} {m['precision']}" for m in (have, wanted))
    return f"embedding model changed ({before} → {after})"


def rebuild_reason(snapshot: IndexSnapshot | None, settings: Settings, embedder: Embedder) -> str | None:
    """Why every vector must be recomputed (model or settings changed), or None."""
    if snapshot is None:
        return None
    changed = model_change(snapshot, settings, embedder)
    if changed:
        return changed
    wanted = index_settings(settings, embedder)
    if any(snapshot.manifest.get(key) != wanted[key] for key in ("chunking", "lexical")):
        return "chunking or lexical settings changed"
    if store_kind(snapshot.manifest) != settings.store:
        return f"the store changed ({store_kind(snapshot.manifest)} → {settings.store}); vectors are reused"
    return None
