"""What an indexing run did: documents added, updated, removed, skipped; passages embedded and reused."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IndexReport:
    """What an indexing run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: reason" for files left out
    warnings: list[str] = field(default_factory=list)  # one line each: metadata left out, files kept as they were
    embedded_chunks: int = 0  # embedded by this run
    resumed_chunks: int = 0  # embedded by an interrupted run of the same update, taken from what it saved
    reused_chunks: int = 0  # taken from the previous generation, or from an identical passage
    rebuild_reason: str | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuild_reason)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated", f"{len(self.removed)} removed",
                 f"{len(self.unchanged)} unchanged", f"{len(self.skipped)} skipped",
                 f"{self.embedded_chunks} passages embedded"]
        if self.resumed_chunks:
            parts.append(f"{self.resumed_chunks} taken from the interrupted run")
        parts.append(f"{self.reused_chunks} reused")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        return "Index: " + ", ".join(parts) + f" ({self.seconds:.1f} s)"
