"""An index folder on disk: the SQLite docstore (`qa.store.docstore`), the FAISS vector cache
derived from it (`qa.store.vector_cache`) and `manifest.json`, plus the lock file beside the
folder that writers and a rebuild's swap agree on.

SQLite is the single source of truth and every change is one transaction, so a run killed
at any moment leaves the last committed state. The FAISS file is tagged with the docstore
generation it reflects; a process whose cache is behind follows the docstore's change log.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from qa import failpoints
from qa.config import IndexSettings
from qa.errors import IndexFormatError, IndexMismatchError, IndexNotFoundError, ModelMismatchError
from qa.store.docstore import FORMAT_VERSION, PASSAGE_DTYPE, SENTENCE_DTYPE, Docstore
from qa.store.folder import DOCSTORE, MANIFEST, VECTORS, fsync_replace, read_manifest, temp_path
from qa.store.identity import IndexIdentity
from qa.store.keyword import fts_query
from qa.store.keyword_index import FOLDER as KEYWORD
from qa.store.keyword_index import KeywordIndex, KeywordIndexOutdated
from qa.store.keyword_index import remove as remove_keyword_index
from qa.store.rows import Commit
from qa.store.vector_cache import VectorCache
from qa.types import Filters

log = logging.getLogger(__name__)


class Store:
    """Docstore + vector cache + manifest of one index folder."""

    def __init__(
        self,
        root: Path,
        docstore: Docstore,
        meta: dict[str, str],
        ann_threshold: int = IndexSettings.ann_threshold,
    ) -> None:
        self.root = root
        self.identity = IndexIdentity.recorded(meta)
        self.model_id = self.identity.model
        self.docstore = docstore
        self.dim = int(meta["dim"])
        self.settings: dict[str, Any] = self.identity.chunking
        self.docstore_id = meta["docstore_id"]
        self.vectors = VectorCache(self.dim, ann_threshold)
        self.file_identity = _file_identity(root / DOCSTORE)
        self._keyword: KeywordIndex | None = None

    @classmethod
    def open(
        cls,
        root: Path,
        identity: IndexIdentity,
        dim: Callable[[], int],
        create: bool,
        ann_threshold: int = IndexSettings.ann_threshold,
    ) -> Store:
        """Open the index at `root` (creating it when `create`), refusing one whose identity
        (format, embedding model, chunking) is not `identity`.

        `dim` gives the model's dimension; it is called only to create an index, so a
        query-only process need not load the model to open one. From `ann_threshold`
        vectors on, search is approximate (`QA_ANN_THRESHOLD`).
        """
        root = Path(root)
        if not (root / DOCSTORE).exists():
            if not create:
                raise IndexNotFoundError(
                    f"no index at {root}: build one with `qa index PATH --index-dir {root}`"
                )
            root.mkdir(parents=True, exist_ok=True)
        docstore = Docstore(root / DOCSTORE)
        try:
            meta = docstore.init_meta(
                {
                    "format_version": str(identity.format_version),
                    "model": identity.model,
                    "dim": str(dim()) if not _has_meta(docstore) else "0",
                    "generation": "0",
                    "changes_from": "0",
                    "settings": json.dumps(identity.chunking),
                    "fingerprint": identity.fingerprint,
                    "docstore_id": uuid.uuid4().hex,
                    "storage": str(identity.storage),
                    "sentence_vectors": SENTENCE_DTYPE,
                    "passage_vectors": PASSAGE_DTYPE,
                }
            )
            _check_identity(root, meta, identity)
        except BaseException:
            docstore.close()
            raise
        store = cls(root, docstore, meta, ann_threshold)
        manifest = read_manifest(root)
        if manifest is None or manifest.get("docstore_id") != store.docstore_id:
            store.write_manifest()
        elif create:
            store.repair_vectors()
        if create:  # another process catching it up already: that one finishes the job
            store.follow_keyword(wait=False)
        return store

    def close(self) -> None:
        self.docstore.close()

    def is_current(self) -> bool:
        """False once the folder holds another docstore (a rebuild swapped one in)."""
        return _file_identity(self.root / DOCSTORE) == self.file_identity

    # ---- vectors -------------------------------------------------------------------
    def follow(self) -> None:
        """Bring the vector cache to the docstore's generation (cheap when it is there).
        Catching up may read the vector file: under the vector lock, so never while a
        writer is replacing it."""
        if self.vectors.generation == self.docstore.generation():
            return
        with vector_lock(self.root):
            self.vectors.follow(self.docstore, self.root / VECTORS, self.docstore_id)

    def dense_search(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        self.follow()
        return self.vectors.search(query, n, allowed)

    def apply(self, commit: Commit) -> None:
        """The writer's step after its own commit: the cache takes the change at once (a
        new process first loads the saved vector file rather than rebuilding)."""
        if self.vectors.generation < 0:
            with vector_lock(self.root):
                self.vectors.follow(self.docstore, self.root / VECTORS, self.docstore_id)
        self.vectors.apply(commit, self.docstore)
        failpoints.reached("before-keyword")
        # never waits: while another process catches the keyword index up, it stays behind
        # (searches use FTS5) until that one or the next commit brings it up
        self.follow_keyword(wait=False)

    # ---- keywords ------------------------------------------------------------------
    def follow_keyword(self, wait: bool = True) -> None:
        """The writer's step: bring the keyword index (made if missing) to the docstore's
        generation from the change log (or rebuilt from every chunk)."""
        if self._keyword is None:
            try:
                self._keyword = KeywordIndex(self.root / KEYWORD)
            except KeywordIndexOutdated:
                log.info("%s: the keyword index is of an older schema; building it again", self.root)
                remove_keyword_index(self.root / KEYWORD)
                self._keyword = KeywordIndex(self.root / KEYWORD)
        done = self._keyword.catch_up(self.docstore, wait)
        if done and "rebuilt" in done:
            log.info("%s: %s", self.root, done)

    def keyword_search(
        self, terms: list[str], n: int, filters: Filters | None = None, allowed: np.ndarray | None = None
    ) -> list[int]:
        """Chunk rowids ranked by BM25 for `terms` (any may match), from the Tantivy keyword
        index when it holds the docstore's generation, else (a writer has not caught it up
        yet, or an index made before it existed) from the docstore's FTS5 table, which is
        always current: never a stale answer. `allowed`: the rowids `filters` allow."""
        if not terms:
            return []
        keyword = self._keyword_reader()
        if keyword is not None and keyword.generation == self.docstore.generation():
            if filters is not None and allowed is None:
                allowed = self.docstore.allowed_rowids(filters)
            return keyword.search(terms, n, allowed)
        match = fts_query(terms)
        return self.docstore.keyword_search(match, n, filters) if match else []

    def _keyword_reader(self) -> KeywordIndex | None:
        if self._keyword is None and (self.root / KEYWORD / "generation").exists():
            with contextlib.suppress(KeywordIndexOutdated):  # until a writer builds it again
                self._keyword = KeywordIndex(self.root / KEYWORD)
        return self._keyword

    def save_vectors(self) -> None:
        """Writer's upkeep, under the exclusive lock: resize or compact the vector index
        if due, write the FAISS file and the manifest, then forget the change log that
        the file now covers.

        The vector file and the manifest naming its generation are two files, so the
        manifest first says the file is being replaced: a process killed in between
        leaves that mark, and the next opener does not trust the file (which may be newer
        than the generation named, and would take the log's changes twice) but builds
        the vectors from the docstore, the one source of truth."""
        with vector_lock(self.root, exclusive=True):
            self.vectors.follow(self.docstore, self.root / VECTORS, self.docstore_id)
            self.vectors.maintain(self.docstore)
            self.write_manifest(replacing=True)
            self.vectors.save(self.root / VECTORS)
            failpoints.reached("after-vectors")
            self.write_manifest()
            # the log is kept for whichever of the vector file and the keyword index is behind
            keyword = self._keyword_reader()
            held = (
                self.vectors.generation
                if keyword is None
                else min(self.vectors.generation, keyword.generation)
            )
            self.docstore.prune_changes(held)

    def repair_vectors(self) -> bool:
        """A writer's check when opening: if a run was killed while replacing the vector
        file, build it again from the docstore and write it with its manifest. True when
        repaired."""
        manifest = read_manifest(self.root) or {}
        if not manifest.get("vectors", {}).get("replacing"):
            return False
        log.warning("%s: the vector file was being replaced when a run stopped; rebuilding it", self.root)
        self.save_vectors()
        return True

    def consistency_problems(self) -> list[str]:
        """Empty when every chunk has exactly one vector and every vector its chunk, every
        chunk its keyword row and article, and every article its chunks."""
        self.follow()
        chunk_ids, fts_ids, orphans, empty = self.docstore.consistency()
        stored = self.vectors.live_ids()
        vector_ids = set(stored)
        problems = []
        if len(stored) != len(vector_ids):
            problems.append(
                f"{len(stored) - len(vector_ids)} duplicate vectors: {len(stored)} vectors for {len(chunk_ids)} chunks"
            )
        if vector_ids != chunk_ids:
            problems.append(
                f"{len(vector_ids - chunk_ids)} vectors without chunk, {len(chunk_ids - vector_ids)} chunks without vector"
            )
        if fts_ids != chunk_ids:
            problems.append(f"keyword index out of step: {len(fts_ids ^ chunk_ids)} rows differ")
        keyword = self._keyword_reader()  # behind is no fault (searches use FTS5 until caught up)
        held = keyword.document_count() if keyword is not None else len(chunk_ids)
        if (
            keyword is not None
            and keyword.generation == self.docstore.generation()
            and held != len(chunk_ids)
        ):
            problems.append(f"Tantivy keyword index holds {held} chunks of {len(chunk_ids)}")
        if orphans:
            problems.append(f"{orphans} chunks without article")
        if empty:
            problems.append(f"{empty} articles without chunks")
        return problems

    # ---- manifest ------------------------------------------------------------------
    def write_manifest(self, replacing: bool = False) -> None:
        """Write `manifest.json` (atomically); `replacing` marks the vector file as being
        replaced, so that no one trusts it until the manifest is written again."""
        counts = self.docstore.counts()
        data = {
            "format_version": FORMAT_VERSION,
            "fingerprint": self.identity.fingerprint,
            "docstore_id": self.docstore_id,
            "embedding": {
                "model": self.model_id,
                "dim": self.dim,
                # vectors of either precision are compatible (cosine >= 0.9999): no rebuild needed
                "precisions": sorted(filter(None, (self.docstore.meta("precisions") or "").split(","))),
            },
            "settings": self.settings,
            "storage": {
                "layout": self.identity.storage,
                "passage_vectors": self.docstore.passage_dtype,
                "sentence_vectors": self.docstore.sentence_dtype,
                "keyword_text": "none" if self.docstore.fts_contentless else "copy",  # FTS5's own copy
                "page_bytes": self.docstore.page_size,
            },
            "counts": counts,
            "vectors": {
                "kind": self.vectors.kind,
                "generation": self.vectors.generation,
                "deleted": len(self.vectors.deleted),
                **self.vectors.details,  # of an IVF index: nlist, nprobe, recall@10, trained_on
                **({"replacing": True} if replacing else {}),
            },
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        tmp = temp_path(self.root, MANIFEST)
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        fsync_replace(tmp, self.root / MANIFEST)

    def disk_bytes(self) -> int:
        """The bytes of every file of the index folder, the keyword index's included."""
        return sum(p.stat().st_size for p in self.root.rglob("*") if p.is_file())


def writer_lock(root: Path, exclusive: bool = False) -> contextlib.AbstractContextManager[None]:
    """The lock file beside the index folder (`index.lock` for `index/`): writers hold it
    shared while they store and commit, a rebuild's swap holds it exclusively, so nothing
    lands in a folder that is being swapped out. Never ask for it exclusively while this
    process holds it shared (flock would wait for ever)."""
    return _flock(Path(root).with_name(Path(root).name + ".lock"), exclusive)


def vector_lock(root: Path, exclusive: bool = False) -> contextlib.AbstractContextManager[None]:
    """The vector file's lock (`index.vectors.lock`): a writer replaces the file, its
    manifest entry and prunes the change log holding it exclusively; a process loading the
    file holds it shared, so it never pairs a new file with an old generation."""
    return _flock(Path(root).with_name(Path(root).name + ".vectors.lock"), exclusive)


@contextlib.contextmanager
def _flock(path: Path, exclusive: bool) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)


def _has_meta(docstore: Docstore) -> bool:
    try:
        return docstore.meta("dim") is not None
    except Exception:  # no meta table yet: a new docstore
        return False


def _check_identity(root: Path, meta: dict[str, str], configured: IndexIdentity) -> None:
    """Refuse an index whose fingerprint is not the configured one, naming what differs.
    An index written before fingerprints were stored has its identity read from what it
    records (format, model, chunking settings)."""
    if int(meta["format_version"]) != FORMAT_VERSION:
        raise IndexFormatError(
            f"{root} has index format {meta['format_version']}, this version reads "
            f"{FORMAT_VERSION}: rebuild it with `qa index PATH --rebuild`"
        )
    recorded = IndexIdentity.recorded(meta)
    expected = configured.expected_of(recorded)
    if meta.get("fingerprint", recorded.fingerprint) == expected.fingerprint:
        return
    if recorded.model != expected.model:
        raise ModelMismatchError(
            f"the index at {root} was built with the embedding model {recorded.model!r} "
            f"but {expected.model!r} is configured (QA_EMBED_MODEL); set QA_EMBED_MODEL="
            f"{recorded.model} or rebuild the index with `qa index PATH --rebuild`"
        )
    differences = recorded.differences(expected) or [
        f"fingerprint {meta.get('fingerprint')!r} in the index, {expected.fingerprint!r} configured"
    ]
    raise IndexMismatchError(
        f"the index at {root} was built otherwise than this version of article-qa builds: "
        f"{'; '.join(differences)}; rebuild it with `qa index PATH --rebuild`"
    )


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino
