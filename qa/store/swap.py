"""A rebuild's folders: the fresh index built beside the live one (`index.rebuild` beside
`index`), swapped in under the exclusive writer lock, and the completion of a swap that a
kill interrupted (told by the `index.old` folder left beside it)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from qa.errors import QAError
from qa.store.folder import DOCSTORE, MANIFEST, VECTORS
from qa.store.keyword_index import FOLDER as KEYWORD
from qa.store.store import writer_lock
from qa.store.vector_cache import DELETED_SUFFIX

INDEX_FILES = {
    MANIFEST,
    DOCSTORE,
    VECTORS,
    VECTORS + DELETED_SUFFIX,
    DOCSTORE + "-wal",
    DOCSTORE + "-shm",
    KEYWORD,  # the Tantivy folder: the new index's own, never merged with the old one's
}


def fresh_folder(root: Path) -> Path:
    """Where a rebuild of `root` builds its fresh index."""
    return root.with_name(root.name + ".rebuild")


def swap_in(root: Path, fresh: Path) -> None:
    """Put `fresh` in place of `root` (under the exclusive lock): root → root.old, fresh
    → root, then the old folder's other files (uploads) move over."""
    old = root.with_name(root.name + ".old")
    if old.exists():
        raise QAError(
            f"{old} is left from an interrupted rebuild: run `qa index` once to finish it, then retry"
        )
    if root.exists():
        os.replace(root, old)
    os.replace(fresh, root)
    _complete_swap(root)


def finish_interrupted_rebuild(root: Path) -> None:
    """Complete (or undo) a rebuild's swap that a kill interrupted, if there is one."""
    if root.with_name(root.name + ".old").is_dir():
        with writer_lock(root, exclusive=True):
            _complete_swap(root)


def _complete_swap(root: Path) -> None:
    """Complete or undo a rebuild's swap (under the exclusive lock). Whether the new index
    is in place is told by its docstore, not by the folder (an upload may have made the
    folder); without it the old index goes back, whatever landed in the folder merged
    into it. With it, the old folder's other files merge into the new one, and the old
    folder goes only once everything in it has moved."""
    old = root.with_name(root.name + ".old")
    if not old.is_dir():
        return
    if not (root / DOCSTORE).exists():
        if root.exists():
            _merge(root, old, skip=INDEX_FILES)
            shutil.rmtree(root)
        os.replace(old, root)
        return
    _merge(old, root, skip=INDEX_FILES)
    shutil.rmtree(old)


def _merge(source: Path, target: Path, skip: set[str]) -> None:
    """Move every entry of `source` (but `skip`) into `target`, folders entry by entry;
    an entry both have stays as `target` has it (the newer index's copy)."""
    for entry in list(source.iterdir()):
        if entry.name in skip:
            continue
        destination = target / entry.name
        if entry.is_dir() and not entry.is_symlink() and destination.is_dir():
            _merge(entry, destination, set())
        elif not destination.exists():
            shutil.move(str(entry), destination)
