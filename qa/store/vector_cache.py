"""The vector cache: a FAISS index of the docstore's chunk vectors, keyed by chunk rowid.

It only picks candidates: retrieval scores each one again from the docstore's own vectors
(passage and sentences, `qa.answering.retrieval`), so FAISS's codes decide which chunks
come in, never their order. Exact (`IndexScalarQuantizer` of float16 codes: the docstore's
vectors exactly, half a float32 flat index) while small; above `QA_ANN_THRESHOLD` chunks
an IVF index of 8-bit codes (`IndexIVFScalarQuantizer`, a byte a component: a quarter of
IVF-Flat, half of float16), built by the writer (never on a query thread) with its probe
count chosen for recall@10 >= 0.95 and the recall measured and recorded. Both kinds add
and remove vectors by id, so writers keep the cache current after each commit and readers
in other processes follow the docstore's change log (a few rows per commit) or reload the
file a writer saved. Files of older kinds (float32 flat, IVF-Flat, float16 IVF) load. An index
that cannot remove (HNSW, from older versions) has its deleted ids filtered from results
until a writer rebuilds it, as paper-qa's `Docs` filters deleted keys.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from qa.config import IndexSettings
from qa.store.folder import fsync_replace, read_manifest, temp_path

if TYPE_CHECKING:
    from qa.store.docstore import Docstore
    from qa.store.rows import Commit

TARGET_RECALL = 0.95
NPROBES = (8, 16, 24, 32, 48, 64, 96, 128)
RECALL_QUERIES = 200
RETRAIN_GROWTH = 4.0  # an IVF index trained on n vectors is retrained at 4n
COMPACT_SHARE = 0.2  # an index that cannot remove is rebuilt once this share of it is deleted
DELETED_SUFFIX = ".deleted.npy"
log = logging.getLogger(__name__)


class VectorCache:
    """FAISS vectors of one docstore at a known generation; thread-safe."""

    def __init__(self, dim: int, approximate_from: int = IndexSettings.ann_threshold) -> None:
        self.dim = dim
        self.approximate_from = approximate_from  # vectors from which the index is IVF
        self.index: Any = new_flat_index(dim)
        self.generation = -1
        self.deleted: set[int] = set()
        self.details: dict[str, Any] = {}  # of an approximate index: nlist, nprobe, recall@10, trained_on
        self.lock = threading.RLock()

    @property
    def kind(self) -> str:
        return index_kind(self.index)

    @property
    def size(self) -> int:
        return int(self.index.ntotal) - len(self.deleted)

    # ---- reading -------------------------------------------------------------------
    def search(self, query: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(rowid, cosine) of the `n` nearest live chunks, optionally only among `allowed`; the
        cosine of the codes held (approximate for an IVF index's 8-bit codes)."""
        import faiss

        with self.lock:
            if self.index.ntotal == 0 or (allowed is not None and len(allowed) == 0):
                return []
            selector = faiss.IDSelectorBatch(allowed) if allowed is not None else None
            params: Any = None
            if self.kind == "ivf":
                nprobe = int(self.details.get("nprobe", 16))
                params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)  # type: ignore[call-arg]
            elif self.kind == "hnsw":
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=256)  # type: ignore[attr-defined]
            elif selector is not None:
                params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            wanted = min(n + len(self.deleted), int(self.index.ntotal))
            # one question is too small to split: OpenMP threads cost more than they save
            # (bench/scale.py: 1.2 ms on one thread against 24 ms on two, at 20k chunks)
            faiss.omp_set_num_threads(1)
            scores, ids = self.index.search(query.reshape(1, -1).astype(np.float32), wanted, params=params)
        found = [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]
        return [pair for pair in found if pair[0] not in self.deleted][:n]

    def ids(self) -> set[int]:
        """Every live id (for consistency checks; not on the query path)."""
        return set(self.live_ids())

    def live_ids(self) -> list[int]:
        """Every live id as stored, a duplicate as often as it is there (for consistency
        checks; not on the query path)."""
        with self.lock:
            return [i for i in stored_ids(self.index).tolist() if i not in self.deleted]

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
            loaded_file = False
            if changes is None and vector_file is not None:
                loaded = read_vector_file(vector_file, self.dim, docstore_id)
                if loaded is not None:
                    self.index, self.generation, self.deleted, self.details = loaded
                    changes = docstore.changes_since(self.generation)
                    loaded_file = True
            if changes is None:
                self._rebuild(docstore, approximate=False)
                return
            now, added, deleted = changes
            ids, vectors = docstore.chunk_vectors(added, self.dim)
            self._change(ids, vectors, deleted)
            self.generation = now
            if loaded_file and docstore.chunk_count(now) not in (None, self.size):
                # the file does not hold what its manifest says (a writer killed between
                # the two, by an older version): the docstore is the source of truth
                log.warning("vector file %s disagrees with the docstore; rebuilding the vectors", vector_file)
                self._rebuild(docstore, approximate=False)

    def _change(self, added: np.ndarray, vectors: np.ndarray, deleted: np.ndarray) -> None:
        if len(deleted):
            if self.kind == "hnsw":
                self.deleted.update(int(i) for i in deleted)
            else:
                self.index.remove_ids(np.asarray(deleted, dtype=np.int64))
        if len(added):
            self.index.add_with_ids(
                np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(added, np.int64)
            )

    def _rebuild(self, docstore: Docstore, approximate: bool) -> None:
        """From the docstore: exact, or (the writer, above the threshold) IVF."""
        generation, ids, vectors = docstore.vector_snapshot(self.dim)
        if approximate:
            self.index, self.details = build_ivf(ids, vectors)
        else:
            self.index, self.details = new_flat_index(self.dim), {}
            if len(ids):
                self.index.add_with_ids(vectors, ids)
        self.deleted, self.generation = set(), generation

    # ---- writer's upkeep -----------------------------------------------------------
    def maintain(self, docstore: Docstore) -> bool:
        """Switch between exact and IVF by size, retrain an IVF index that has grown
        fourfold, rebuild one that cannot delete once much is deleted: the writer's job,
        never a reader's. True when rebuilt."""
        with self.lock:
            size = self.size
            want = "ivf" if size >= self.approximate_from else "flat"
            grown = self.kind == "ivf" and size > RETRAIN_GROWTH * int(self.details.get("trained_on", size))
            many_deleted = len(self.deleted) > COMPACT_SHARE * max(self.index.ntotal, 1)
            if want == self.kind and not grown and not many_deleted:
                return False
            self._rebuild(docstore, approximate=want == "ivf")
            return True

    def save(self, path: Path) -> None:
        """Write the index to `path` and its deleted ids beside it, each atomically (a temp
        file, then a rename); the manifest written after them names the generation."""
        import faiss

        with self.lock:
            deleted = np.array(sorted(self.deleted), dtype=np.int64)
            tmp_deleted = temp_path(path.parent, path.name + DELETED_SUFFIX)
            with open(tmp_deleted, "wb") as out:
                np.save(out, deleted)
            tmp = temp_path(path.parent, path.name)
            faiss.write_index(self.index, str(tmp))
        fsync_replace(tmp_deleted, path.with_name(path.name + DELETED_SUFFIX))
        fsync_replace(tmp, path)


def build_ivf(ids: np.ndarray, vectors: np.ndarray) -> tuple[Any, dict[str, Any]]:
    """An IVF index of `vectors` as 8-bit codes (inner product) with ~4·sqrt(n) lists,
    trained on a sample, and the smallest probe count reaching recall@10 >= 0.95 against
    exact search on stored vectors with a little noise (measured here, recorded in the
    manifest)."""
    import faiss

    count, dim = vectors.shape
    faiss.omp_set_num_threads(os.cpu_count() or 1)  # training is big work: every core
    nlist = max(1, min(int(4 * math.sqrt(count)), count // 39))  # faiss wants 39 points a list
    rng = np.random.default_rng(0)
    sample = vectors[rng.choice(count, min(count, nlist * 64), replace=False)]
    index = faiss.IndexIVFScalarQuantizer(
        faiss.IndexFlatIP(dim), dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    queries = vectors[rng.choice(count, min(count, RECALL_QUERIES), replace=False)].astype(np.float32)
    queries += rng.normal(0, 0.03, queries.shape).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    exact = faiss.IndexFlatIP(dim)
    exact.add(np.ascontiguousarray(vectors, dtype=np.float32))
    top = min(10, count)
    _, truth = exact.search(queries, top)
    truth_ids = ids[truth]
    chosen, recall = NPROBES[-1], 0.0
    for nprobe in NPROBES:
        index.nprobe = nprobe
        _, found = index.search(queries, top)
        recall = float(np.mean([len(set(f) & set(t)) / top for f, t in zip(found, truth_ids, strict=True)]))
        chosen = nprobe
        if recall >= TARGET_RECALL:
            break
    index.nprobe = chosen
    faiss.omp_set_num_threads(1)
    return index, {"nlist": nlist, "nprobe": chosen, "recall@10": round(recall, 4), "trained_on": count}


def read_vector_file(
    path: Path, dim: int, docstore_id: str
) -> tuple[Any, int, set[int], dict[str, Any]] | None:
    """(FAISS index, generation, deleted ids, details) from a vector file written for this
    docstore, or None when absent, damaged or another docstore's."""
    import faiss

    manifest = read_manifest(path.parent) or {}
    if not path.exists() or manifest.get("docstore_id") != docstore_id:
        return None
    if manifest.get("vectors", {}).get("replacing"):
        return None  # a writer was killed while replacing it: its generation is unknown
    try:
        index = faiss.read_index(str(path))
        deleted_file = path.with_name(path.name + DELETED_SUFFIX)
        deleted = set(np.load(deleted_file).tolist()) if deleted_file.exists() else set()
    except (RuntimeError, OSError, ValueError):
        return None  # damaged: rebuilt from the docstore
    vectors = manifest.get("vectors", {})
    if index.d != dim or len(deleted) != int(vectors.get("deleted", 0)):
        return None
    details = {k: vectors[k] for k in ("nlist", "nprobe", "recall@10", "trained_on") if k in vectors}
    return index, int(vectors.get("generation", -1)), deleted, details


def new_flat_index(dim: int) -> Any:
    """An exact index holding float16 codes: the docstore's vectors exactly (they are
    float16), in half the memory and file of float32 and searched as fast or faster."""
    import faiss

    codes = faiss.IndexScalarQuantizer(dim, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT)
    return faiss.IndexIDMap2(codes)


def index_kind(index: Any) -> str:
    """ "flat", "ivf" or "hnsw"."""
    import faiss

    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index
    if isinstance(faiss.downcast_index(inner), faiss.IndexIVF):
        return "ivf"
    if isinstance(faiss.downcast_index(inner), faiss.IndexHNSW):
        return "hnsw"
    return "flat"


def stored_ids(index: Any) -> np.ndarray:
    """Every id stored in `index` (walks an IVF index's lists)."""
    import faiss

    if index.ntotal == 0:
        return np.array([], dtype=np.int64)
    if isinstance(index, faiss.IndexIDMap):
        return faiss.vector_to_array(index.id_map).astype(np.int64)
    ivf = faiss.extract_index_ivf(index)
    lists: Any = ivf.invlists
    parts = [
        faiss.rev_swig_ptr(lists.get_ids(k), lists.list_size(k)).copy()
        for k in range(ivf.nlist)
        if lists.list_size(k)
    ]
    return np.concatenate(parts).astype(np.int64) if parts else np.array([], dtype=np.int64)
