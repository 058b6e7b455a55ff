"""`Index`: the public face of a built index: add articles, remove them, search them."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.articles import iter_articles
from qa.chunking import CHUNKER_VERSION, ChunkPlan, split_into_chunks
from qa.config import Settings, default_index_dir
from qa.embedding import Embedder
from qa.errors import QAError
from qa.store import DOCSTORE, MANIFEST, VECTORS, NewChunk, Store, StoredChunk, read_manifest
from qa.types import Article, Filters, Hit, Ignored, Skipped

UPLOADS = "uploads"  # the chat's upload area inside the index folder
_INDEX_FILES = {MANIFEST, DOCSTORE, VECTORS, DOCSTORE + "-wal", DOCSTORE + "-shm"}
COMMIT_CHUNKS = int(os.environ.get("QA_COMMIT_CHUNKS", "512"))  # chunks per transaction
Progress = Callable[[int, int], None]


@dataclass
class AddReport:
    """What one `Index.add` run did, article by article."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    hidden: int = 0  # hidden files and folders passed over
    chunks: int = 0
    seconds: float = 0.0
    sources: dict[str, str] = field(default_factory=dict)  # article id -> file it came from

    def summary(self) -> str:
        hidden = (
            f", {self.hidden} hidden file{'s' if self.hidden != 1 else ''} ignored" if self.hidden else ""
        )
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.skipped)} skipped{hidden}; {self.chunks} chunks embedded in {self.seconds:.1f} s"
        )


@dataclass
class _Pending:
    article: Article
    plans: list[ChunkPlan]
    is_update: bool


class Index:
    """A folder holding articles, their chunks, vectors and keyword index.

    `Index.open(path)` opens (or creates) it; `add(paths)` indexes files and folders
    incrementally; `remove(id)` deletes an article; `search(query, k)` retrieves passages.
    """

    def __init__(self, store: Store, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.path = store.root
        # the index keeps the chunk size it was built with, whatever the environment says now
        self.chunk_words = int(store.settings.get("chunk_words", settings.chunk_words))
        self._write_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        settings: Settings | None = None,
        create: bool = True,
    ) -> Index:
        """Open the index at `path` (default `QA_INDEX_DIR` or `index/`), creating it if asked.

        Raises `ModelMismatchError` when the index was built with another embedding model
        than `settings.embed_model`, and `IndexNotFoundError` when absent and not `create`.
        """
        settings = settings or Settings.from_env()
        root = Path(path) if path is not None else default_index_dir()
        embedder = Embedder(settings.embed_model)
        _finish_interrupted_rebuild(root)
        chunking = {"chunk_words": settings.chunk_words, "overlap": 1, "chunker": CHUNKER_VERSION}
        store = Store.open(root, settings.embed_model, lambda: embedder.dim, chunking, create=create)
        return cls(store, embedder, settings)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- building ------------------------------------------------------------------
    def add(
        self,
        paths: Iterable[str | Path],
        progress: Progress | None = None,
        max_file_mb: float | None = None,
    ) -> AddReport:
        """Index files and folders; unchanged articles cost nothing, changed ones are replaced.

        Work is committed every ~512 chunks, so an interrupted run keeps what it finished
        and a rerun resumes from there. Bad files are reported in `AddReport.skipped`.
        """
        limit = int((max_file_mb or self.settings.max_file_mb) * 2**20)
        return self.add_articles(iter_articles(paths, limit, self.settings.max_article_chars), progress)

    def add_articles(
        self, items: Iterable[Article | Skipped | Ignored], progress: Progress | None = None
    ) -> AddReport:
        """Index already-loaded articles (and record the `Skipped` among them)."""
        started = time.perf_counter()
        report = AddReport()
        with self._write_lock:
            pending = self._plan(items, report)
            total = sum(len(p.plans) for p in pending)
            if progress:
                progress(0, total)
            batch: list[_Pending] = []
            for item in pending:
                batch.append(item)
                if sum(len(p.plans) for p in batch) >= COMMIT_CHUNKS:
                    self._commit(batch, report, progress, total)
                    batch = []
            if batch:
                self._commit(batch, report, progress, total)
            if pending:
                self.store.save_vectors()
        report.seconds = time.perf_counter() - started
        return report

    def _plan(self, items: Iterable[Article | Skipped | Ignored], report: AddReport) -> list[_Pending]:
        known = self.store.article_hashes()
        pending: list[_Pending] = []
        for item in items:
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            if isinstance(item, Ignored):
                report.hidden += 1
                continue
            origin = item.path or item.id
            if item.id in report.sources:
                report.skipped.append(
                    Skipped(
                        origin,
                        f"duplicate article id {item.id!r} (already read from {report.sources[item.id]})",
                    )
                )
                continue
            report.sources[item.id] = origin
            if known.get(item.id) == item.content_hash:
                report.unchanged.append(item.id)
                continue
            plans = split_into_chunks(item, self.chunk_words)
            pending.append(_Pending(item, plans, is_update=item.id in known))
        return pending

    def _commit(
        self, batch: list[_Pending], report: AddReport, progress: Progress | None, total: int
    ) -> None:
        plans = [plan for item in batch for plan in item.plans]
        vectors = self.embedder.encode_passages(
            [p.chunk.text for p in plans],
            [[(s.start - p.chunk.start, s.end - p.chunk.start) for s in p.sentences] for p in plans],
            [item.article.title + "\n" for item in batch for _ in item.plans],
        )
        rows: list[tuple[Article, list[NewChunk]]] = []
        offset = 0
        for item in batch:
            news = []
            for plan in item.plans:
                news.append(
                    NewChunk(plan.chunk, plan.sentences, vectors.passages[offset], vectors.sentences[offset])
                )
                offset += 1
            rows.append((item.article, news))
        self.store.write_articles(rows)
        for item in batch:
            (report.updated if item.is_update else report.added).append(item.article.id)
        report.chunks += len(plans)
        if progress:
            progress(report.chunks, total)

    def remove(self, article_id: str) -> bool:
        """Delete an article and its chunks; False when no article has that id."""
        with self._write_lock:
            removed = self.store.delete_article(article_id)
            if removed:
                self.store.save_vectors()
        return removed

    # ---- reading -------------------------------------------------------------------
    def get_article(self, article_id: str) -> Article | None:
        return self.store.get_article(article_id)

    def articles(self) -> list[Article]:
        return self.store.list_articles()

    def info(self) -> dict[str, Any]:
        """Articles, chunks, embedding model, vector index kind and size on disk."""
        counts = self.store.counts()
        manifest = read_manifest(self.path) or {}
        return {
            "path": str(self.path),
            **counts,
            "model": self.store.model_id,
            "dim": self.store.dim,
            "vectors": manifest.get("vectors", {}).get("kind", "flat"),
            "chunking": self.store.settings,
            "size_bytes": self.store.disk_bytes(),
            "updated": manifest.get("updated"),
        }

    def search(self, query: str, k: int = 6, filters: Filters | None = None) -> list[Hit]:
        """The `k` best passages for `query` (dense and keyword rankings fused)."""
        from qa.retrieval import retrieve

        return [p.hit for p in retrieve(self, query, k, filters).passages]

    def load_chunks(self, rowids: Sequence[int]) -> dict[int, StoredChunk]:
        return self.store.load_chunks(rowids)


def rebuild_index(
    index_dir: str | Path | None,
    paths: Sequence[str | Path],
    progress: Progress | None = None,
    max_file_mb: float | None = None,
    settings: Settings | None = None,
) -> AddReport:
    """Build a fresh index of `paths` (and of the chat's uploads) beside the old one, then
    swap it in. The old index stays whole until the new one is complete, and is kept when
    a path is missing or nothing could be indexed. Other files in the folder are kept."""
    settings = settings or Settings.from_env()
    root = Path(index_dir) if index_dir is not None else default_index_dir()
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise QAError(f"cannot rebuild: {', '.join(missing)} not found; the index at {root} is unchanged")
    sources = [*paths, *([root / UPLOADS] if (root / UPLOADS).is_dir() else [])]
    fresh = root.with_name(root.name + ".rebuild")
    shutil.rmtree(fresh, ignore_errors=True)
    with Index.open(fresh, settings) as index:
        report = index.add(sources, progress, max_file_mb)
    if not (report.added or report.updated or report.unchanged):
        shutil.rmtree(fresh, ignore_errors=True)
        raise QAError(f"cannot rebuild: no article could be read; the index at {root} is unchanged")
    old = root.with_name(root.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        os.replace(root, old)
    os.replace(fresh, root)
    _finish_interrupted_rebuild(root)
    return report


def _finish_interrupted_rebuild(root: Path) -> None:
    """Complete or undo a rebuild's swap that a kill interrupted: with no index folder
    the old one goes back; with both, the old one's other files (uploads) move over."""
    old = root.with_name(root.name + ".old")
    if not old.is_dir():
        return
    if not root.exists():
        os.replace(old, root)
        return
    for entry in old.iterdir():
        if entry.name not in _INDEX_FILES and not (root / entry.name).exists():
            shutil.move(str(entry), root / entry.name)
    shutil.rmtree(old, ignore_errors=True)
