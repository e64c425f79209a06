"""Discovery: the article files under the folders and files given, links leading out of a folder
left out unless asked for."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ..errors import DocumentError
from .documents import SUPPORTED_SUFFIXES
from .metadata import SIDECAR_SUFFIX


def find_document_files(paths: list[str | Path], follow_symlinks: bool = False,
                        skipped: list[str] | None = None, real_paths: dict[str, str] | None = None,
                        unreadable: dict[str, str] | None = None) -> list[Path]:
    """Expand files and folders into the sorted list of `.txt`/`.md` files they contain.

    A file that is, or lies under, a link to somewhere outside the folder being indexed (outside
    its own folder, for a file named directly) is left out, said in `skipped`, unless
    `follow_symlinks`: a link dropped into a documents folder must not publish `/etc/passwd`.
    `real_paths`, when given, receives each file's real path (the walk knows them already);
    `unreadable` receives each folder that could not be listed, with the reason (its files are
    then unknown, not absent).

    Raises:
        DocumentError: a path does not exist, or a file named directly is such a link.
    """
    found: list[Path] = []
    for entry in map(Path, paths):
        if entry.is_dir():
            root = entry.resolve()
            for path, real in _walk(entry, unreadable):
                if follow_symlinks or real.is_relative_to(root):
                    found.append(path)
                    if real_paths is not None:
                        real_paths[os.fspath(path)] = os.fspath(real)
                elif skipped is not None:
                    skipped.append(f"{path}: a link to {real}, outside {entry}; "
                                   "left out (index it with --follow-symlinks)")
        elif entry.is_file():
            if not follow_symlinks and not entry.resolve().is_relative_to(entry.absolute().parent.resolve()):
                raise DocumentError(f"{entry}: a link to {entry.resolve()}, outside its folder; "
                                    "pass --follow-symlinks to index it")
            found.append(entry)
        else:
            raise DocumentError(f"{entry}: no such file or folder; check the path")
    return sorted(set(found), key=path_order)


def path_order(path: Path) -> tuple[str, ...]:
    """The order of `Path` objects (component by component), computed once per path rather than at
    every comparison (`Path.__lt__` showed in the profile of an update of a 3,000-file archive)."""
    return path.parts


def _walk(folder: Path, unreadable: dict[str, str] | None) -> Iterator[tuple[Path, Path]]:
    """The `.txt`/`.md` files under `folder` with their real paths, hidden ones and sidecars left
    out, linked folders followed once (a link back up the tree ends there); the folders that could
    not be listed go into `unreadable`."""

    def failed(error: OSError) -> None:
        if unreadable is not None:
            unreadable[os.fspath(error.filename)] = error.strerror or type(error).__name__

    seen = set()
    for directory, subdirectories, files in os.walk(folder, followlinks=True, onerror=failed):
        real = os.path.realpath(directory)
        if real in seen:
            subdirectories[:] = []
            continue
        seen.add(real)
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(files):
            path = Path(directory) / name
            if (not name.startswith(".") and path.suffix.lower() in SUPPORTED_SUFFIXES
                    and not name.endswith(SIDECAR_SUFFIX) and path.is_file()):
                # The folder's real path is known: only a link needs resolving (one lstat, not one per level).
                yield path, path.resolve() if path.is_symlink() else Path(real) / name
