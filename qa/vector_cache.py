"""The vector cache: a FAISS index of the docstore's chunk vectors, keyed by chunk rowid.

Writers keep it current: after each commit the writer adds the new vectors and removes the
deleted ones itself. Readers in other processes follow the docstore's change log (a few
rows per commit) or reload the file a writer saved; they never rebuild an approximate
index. An approximate (HNSW) index cannot delete: deleted ids are filtered out of its
results until a writer compacts it, as paper-qa's `Docs` filters deleted keys.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from qa.docstore import Commit, Docstore

APPROXIMATE_THRESHOLD = int(os.environ.get("QA_ANN_THRESHOLD", "1000000"))
HNSW_M = 32
HNSW_EF_SEARCH = 256
COMPACT_SHARE = 0.2  # a writer rebuilds an approximate index once this share of it is deleted


class VectorCache:
    """FAISS vectors of one docstore at a known generation; thread-safe."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self.index: Any = new_vector_index(dim, 0)
        self.generation = -1
        self.deleted: set[int] = set()
        self.lock = threading.RLock()

    @property
    def kind(self) -> str:
        return "hnsw" if is_hnsw(self.index) else "flat"

    @property
    def size(self) -> int:
        return int(self.index.ntotal) - len(self.deleted)

    # ---- reading -------------------------------------------------------------------
    def search(self, query: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(rowid, cosine) of the `n` nearest live chunks, optionally only among `allowed`."""
        import faiss

        with self.lock:
            if self.index.ntotal == 0 or (allowed is not None and len(allowed) == 0):
                return []
            params: Any = None
            if allowed is not None:
                selector = faiss.IDSelectorBatch(allowed)
                if is_hnsw(self.index):
                    params = faiss.SearchParametersHNSW(sel=selector, efSearch=HNSW_EF_SEARCH)  # type: ignore[attr-defined]
                else:
                    params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            wanted = min(n + len(self.deleted), int(self.index.ntotal))
            scores, ids = self.index.search(query.reshape(1, -1).astype(np.float32), wanted, params=params)
        found = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        return [pair for pair in found if pair[0] not in self.deleted][:n]

    def ids(self) -> set[int]:
        import faiss

        with self.lock:
            have = set(faiss.vector_to_array(self.index.id_map).tolist()) if self.index.ntotal else set()
            return have - self.deleted

    # ---- following the docstore ----------------------------------------------------
    def apply(self, commit: Commit, docstore: Docstore) -> None:
        """Take in a commit this process just made; a gap (another process wrote in
        between) is filled from the change log first."""
        with self.lock:
            if commit.generation != self.generation + 1:
                self.follow(docstore)
                return
            self._change(commit.added, commit.vectors, commit.deleted)
            self.generation = commit.generation

    def follow(self, docstore: Docstore, vector_file: Path | None = None, docstore_id: str = "") -> None:
        """Catch up with the docstore: apply its change log since this cache's generation;
        where the log does not reach back, reload the vector file a writer saved, and only
        when there is none, build from the docstore."""
        with self.lock:
            if self.generation == docstore.generation():
                return
            changes = docstore.changes_since(self.generation) if self.generation >= 0 else None
            if changes is None and vector_file is not None:
                loaded = read_vector_file(vector_file, self.dim, docstore_id)
                if loaded is not None:
                    self.index, self.generation, self.deleted = loaded
                    changes = docstore.changes_since(self.generation)
            if changes is None:
                self._rebuild(docstore)
                return
            now, added, deleted = changes
            ids, vectors = docstore.chunk_vectors(added, self.dim)
            self._change(ids, vectors, deleted)
            self.generation = now

    def _change(self, added: np.ndarray, vectors: np.ndarray, deleted: np.ndarray) -> None:
        if len(deleted):
            if is_hnsw(self.index):
                self.deleted.update(int(i) for i in deleted)
            else:
                self.index.remove_ids(np.asarray(deleted, dtype=np.int64))
        if len(added):
            self.index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(added, np.int64)
            )

    def _rebuild(self, docstore: Docstore) -> None:
        generation = docstore.generation()
        ids, vectors = docstore.chunk_vectors(docstore.chunk_rowids(), self.dim)
        index = new_vector_index(self.dim, len(ids))
        if len(ids):
            index.add_with_ids(vectors, ids)
        self.index, self.deleted, self.generation = index, set(), generation

    # ---- writer's upkeep -----------------------------------------------------------
    def maintain(self, docstore: Docstore) -> bool:
        """Switch between exact and approximate by size, or compact an approximate index
        with many deleted ids: the writer's job, never a reader's. True when rebuilt."""
        with self.lock:
            want_hnsw = self.size >= APPROXIMATE_THRESHOLD
            many_deleted = len(self.deleted) > COMPACT_SHARE * max(self.index.ntotal, 1)
            if want_hnsw == is_hnsw(self.index) and not many_deleted:
                return False
            self._rebuild(docstore)
            return True

    def save(self, path: Path) -> None:
        """Write the index to `path` and its deleted ids beside it, each atomically (a temp
        file, then a rename); the manifest written after them names the generation."""
        import faiss

        from qa.store import fsync_replace, temp_path

        with self.lock:
            deleted = np.array(sorted(self.deleted), dtype=np.int64)
            tmp_deleted = temp_path(path.parent, path.name + DELETED_SUFFIX)
            with open(tmp_deleted, "wb") as out:
                np.save(out, deleted)
            tmp = temp_path(path.parent, path.name)
            faiss.write_index(self.index, str(tmp))
        fsync_replace(tmp_deleted, path.with_name(path.name + DELETED_SUFFIX))
        fsync_replace(tmp, path)


DELETED_SUFFIX = ".deleted.npy"


def read_vector_file(path: Path, dim: int, docstore_id: str) -> tuple[Any, int, set[int]] | None:
    """(FAISS index, generation, deleted ids) from a vector file written for this
    docstore, or None when absent, damaged or another docstore's."""
    import faiss

    from qa.store import read_manifest

    manifest = read_manifest(path.parent) or {}
    if not path.exists() or manifest.get("docstore_id") != docstore_id:
        return None
    try:
        index = faiss.read_index(str(path))
        deleted_file = path.with_name(path.name + DELETED_SUFFIX)
        deleted = set(np.load(deleted_file).tolist()) if deleted_file.exists() else set()
    except (RuntimeError, OSError, ValueError):
        return None  # damaged: rebuilt from the docstore
    vectors = manifest.get("vectors", {})
    if index.d != dim or len(deleted) != int(vectors.get("deleted", 0)):
        return None
    return index, int(vectors.get("generation", -1)), deleted


def new_vector_index(dim: int, size: int) -> Any:
    import faiss

    if size < APPROXIMATE_THRESHOLD:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    hnsw = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efSearch = HNSW_EF_SEARCH
    hnsw.hnsw.efConstruction = 80
    return faiss.IndexIDMap2(hnsw)


def is_hnsw(index: Any) -> bool:
    import faiss

    inner = faiss.downcast_index(index.index) if hasattr(index, "index") else index
    return isinstance(inner, faiss.IndexHNSW)
