"""`Index`: the public face of a built index: add articles, remove them, search them."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from qa.answering.retrieval import Retrieval, Retriever
from qa.config import Settings
from qa.errors import IndexMismatchError, IndexNotFoundError, ModelMismatchError, QAError
from qa.ingest.articles import list_article_files, load_path, origin_key
from qa.ingest.embedding import Embedder
from qa.ingest.ingestion import AddReport, Embedded, Progress, Stages, Unchanged, one_line
from qa.store.folder import DOCSTORE, read_manifest
from qa.store.identity import IndexIdentity
from qa.store.store import Store, writer_lock
from qa.store.swap import finish_interrupted_rebuild, fresh_folder, swap_in
from qa.store.writer import UPLOADS, Writer
from qa.types import Article, Filters, Hit, Ignored, Skipped, TitleEntry

__all__ = ["AddReport", "Embedded", "Index", "Progress", "Stages", "Unchanged", "rebuild_index"]

RETIRED_GRACE_S = 60.0  # a store a rebuild swapped out is closed this long after


class Index:
    """A folder holding articles, their chunks, vectors and keyword index.

    `Index.open(path)` opens (or creates) it; `add(paths)` indexes files and folders
    incrementally; `remove(id)` deletes an article; `search(query, k)` retrieves passages.
    Safe to share between threads: one writer at a time, readers never wait for it.
    """

    def __init__(self, store: Store, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.path = store.root
        self.chunk_words = store.identity.chunk_words
        self.retriever = Retriever(store, embedder, settings.max_chunks_per_article)
        self._write_lock = threading.Lock()
        self._store_lock = threading.Lock()
        self._retired: list[tuple[float, Store]] = []
        self._writer = Writer(self, settings.index)

    @classmethod
    def open(
        cls, path: str | Path | None = None, settings: Settings | None = None, create: bool = True
    ) -> Index:
        """Open the index at `path` (default `QA_INDEX_DIR` or `index/`), creating it if asked.

        Raises `ModelMismatchError` when the index was built with another embedding model
        than `settings.embed_model`, `IndexMismatchError` when by another chunker version
        (see `qa.store.identity`; an index keeps its own chunk size), and
        `IndexNotFoundError` when absent and not `create`.
        Only a writer (`create=True`) completes a rebuild's swap that a kill interrupted.
        """
        settings = settings or Settings.from_env()
        root = Path(path) if path is not None else settings.index_path()
        embedder = Embedder(
            settings.embed_model,
            query_backend=settings.models.query_backend,
            requested_precision=settings.models.precision,
            cache_dir=settings.cache_dir,
        )
        if create:
            finish_interrupted_rebuild(root)
        elif not (root / DOCSTORE).exists() and root.with_name(root.name + ".old").exists():
            with writer_lock(root):  # a rebuild is swapping folders: wait for it
                pass
            if not (root / DOCSTORE).exists():
                raise IndexNotFoundError(
                    f"a rebuild of {root} was interrupted; run `qa index` (any writer) to finish it"
                )
        store = Store.open(
            root,
            identity_of(settings),
            lambda: embedder.dim,
            create=create,
            ann_threshold=settings.index.ann_threshold,
        )
        return cls(store, embedder, settings)

    @staticmethod
    def fingerprint_of(settings: Settings) -> str:
        """The fingerprint of the index `settings` build (format, embedding model, chunker
        version, chunk size, overlap): indexes of equal fingerprints are interchangeable."""
        return identity_of(settings).fingerprint

    def close(self) -> None:
        for store in [*(s for _, s in self._retired), self.store]:
            store.close()

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def ensure_current(self) -> None:
        """Reopen the folder when a rebuild has swapped in another docstore (one `stat`)."""
        if self.store.is_current():
            return
        with self._store_lock:
            if self.store.is_current() or not (self.path / DOCSTORE).exists():
                return
            fresh = Store.open(
                self.path,
                identity_of(self.settings),
                lambda: self.embedder.dim,
                create=False,
                ann_threshold=self.settings.index.ann_threshold,
            )
            # questions under way may still read the old store: it is closed a minute later
            now = time.monotonic()
            for retired_at, store in [r for r in self._retired if now - r[0] > RETIRED_GRACE_S]:
                store.close()
                self._retired.remove((retired_at, store))
            self._retired.append((now, self.store))
            self.store = fresh
            self.retriever = Retriever(fresh, self.embedder, self.settings.max_chunks_per_article)

    # ---- building ------------------------------------------------------------------
    def add(
        self,
        paths: Iterable[str | Path],
        progress: Progress | Stages | None = None,
        max_file_mb: float | None = None,
        links_outside: bool = False,
    ) -> AddReport:
        """Index files and folders; unchanged articles cost nothing, changed ones are replaced.

        The files are listed first and read once: load → chunk → embed → commit, a
        transaction every `index.commit_chunks` chunks or `index.commit_seconds` seconds, so an
        interrupted run keeps what it finished and a rerun resumes from there. `progress`
        (a `Stages`) sees the files read against their count, then the chunks embedded
        against theirs. Bad files are reported in `AddReport.skipped`. Symbolic links met
        in a folder are followed only to files inside it, unless `links_outside`.
        """
        limit = int((max_file_mb or self.settings.max_file_mb) * 2**20)
        entries = list(list_article_files(paths, links_outside))  # names only: cheap, and gives the total
        files = sum(1 for entry in entries if isinstance(entry, tuple))
        reading = progress.reading if isinstance(progress, Stages) else None

        def articles() -> Iterator[Article | Skipped | Ignored]:
            done = 0
            if reading is not None and files:
                reading(0, files)
            for entry in entries:
                if not isinstance(entry, tuple):
                    yield entry
                    continue
                path, root = entry
                yield from load_path(path, origin_key(path, root), limit, self.settings.max_article_chars)
                done += 1
                if reading is not None:
                    reading(done, files)

        return self.add_articles(articles(), progress)

    def add_articles(
        self,
        items: Iterable[Article | Embedded | Unchanged | Skipped | Ignored],
        progress: Progress | Stages | None = None,
    ) -> AddReport:
        """Index already-loaded articles (and record the `Skipped` and `Ignored` among them);
        `Embedded` ones (from Ray workers) are committed as they are, after the same
        identity checks. Planned, embedded and committed by `qa.store.writer.Writer`."""
        started = time.perf_counter()
        with self._write_lock:
            report = self._writer.add(items, progress)
        if report.commits or report.moved or report.boilerplate:
            self.store.save_vectors()
        report.seconds = time.perf_counter() - started
        return report

    def remove(self, article_id: str, forget_upload: bool = True) -> bool:
        """Delete an article and its chunks; False when no article has that id. An article
        that came from the upload area leaves it too (`forget_upload`), so a rebuild does not
        bring it back: its file, or its record of a file of many (`qa.ingest.articles.FORMATS`)."""
        return bool(self.remove_many([article_id], forget_upload))

    def remove_many(self, article_ids: Iterable[str], forget_upload: bool = True) -> list[str]:
        """Delete several articles (see `remove`), writing the vector file once; the ids
        that were there."""
        with self._write_lock:
            removed = self._writer.remove(article_ids, forget_upload)
            if removed:
                self.store.save_vectors()
        return removed

    # ---- reading -------------------------------------------------------------------
    def retrieve(self, query: str, k: int = 6, filters: Filters | None = None) -> Retrieval:
        """The fused top-`k` passages for `query`, with their sentences and timings."""
        self.ensure_current()
        return self.retriever.retrieve(query, k, filters)

    def search(self, query: str, k: int = 6, filters: Filters | None = None) -> list[Hit]:
        """The `k` best passages for `query` (dense and keyword rankings fused)."""
        return [p.hit for p in self.retrieve(query, k, filters).passages]

    def get_article(self, article_id: str) -> Article | None:
        self.ensure_current()
        return self.store.docstore.get_article(article_id)

    def articles(self) -> list[Article]:
        self.ensure_current()
        return self.store.docstore.list_articles()

    def titles(self, limit: int | None = None, offset: int = 0) -> list[TitleEntry]:
        """Articles without their text (id, title, source, date, URL), by title."""
        self.ensure_current()
        return self.store.docstore.titles(limit, offset)

    def counts(self) -> dict[str, int]:
        self.ensure_current()
        return self.store.docstore.counts()

    def generation(self) -> int:
        """A number that changes with every change to the articles."""
        self.ensure_current()
        return self.store.docstore.generation()

    def content_hashes(self) -> dict[str, str]:
        """Each stored article's content hash by id: what an indexing run need not redo."""
        self.ensure_current()
        return {i: e.content_hash for i, e in self.store.docstore.articles_by_id().items()}

    def document_frequencies(self, stems: Iterable[str]) -> dict[str, int]:
        self.ensure_current()
        return self.store.docstore.document_frequencies(stems)

    def consistency_problems(self) -> list[str]:
        """Empty when the docstore, keyword index and vectors agree (see `Store`)."""
        return self.store.consistency_problems()

    def info(self) -> dict[str, Any]:
        """Articles, chunks, embedding model, vector index kind and size on disk."""
        counts = self.counts()
        manifest = read_manifest(self.path) or {}
        return {
            "path": str(self.path),
            **counts,
            "model": self.store.model_id,
            "dim": self.store.dim,
            "precisions": manifest.get("embedding", {}).get("precisions", []),
            "vectors": manifest.get("vectors", {}).get("kind", "flat"),
            "recall@10": manifest.get("vectors", {}).get("recall@10"),
            "chunking": self.store.settings,
            "size_bytes": self.store.disk_bytes(),
            "updated": manifest.get("updated"),
            "generation": self.store.docstore.generation(),
            # syndicated copies: stories told by more than one article (read once each)
            "syndicated": {
                "stories": len(groups := self.store.docstore.story_groups()),
                "articles": sum(len(group) for group in groups),
            },
        }

    def load_chunks(self, rowids: Sequence[int]) -> dict[int, Any]:
        self.ensure_current()
        return self.store.docstore.load_chunks(rowids, self.store.dim)


def identity_of(settings: Settings) -> IndexIdentity:
    """The identity of the index `settings` build (see `qa.store.identity`)."""
    return IndexIdentity.configured(settings.embed_model, settings.chunk_words)


def rebuild_index(
    index_dir: str | Path | None,
    paths: Sequence[str | Path],
    progress: Progress | Stages | None = None,
    max_file_mb: float | None = None,
    settings: Settings | None = None,
) -> AddReport:
    """Build a fresh index of `paths` (and of the chat's uploads) beside the old one, then
    swap it in. The old index stays whole (and servers keep answering from it) until the
    new one is complete; the swap happens under the exclusive writer lock, after catching
    up with the uploads folder as it is then (uploads added meanwhile are indexed, removed
    ones dropped), so nothing written during the rebuild is lost or brought back. A running
    server switches to the new index at its next request.

    A rebuild that was killed is resumed: its fresh folder is reopened when it is whole
    and built with the same settings (see `_open_fresh`), unchanged articles in it cost
    nothing, and those this run does not find are dropped, so the result is what an
    uninterrupted rebuild would have built."""
    settings = settings or Settings.from_env()
    root = Path(index_dir) if index_dir is not None else settings.index_path()
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        raise QAError(f"cannot rebuild: {', '.join(missing)} not found; the index at {root} is unchanged")
    finish_interrupted_rebuild(root)  # an earlier swap's uploads must be in place first
    uploads = root / UPLOADS
    fresh = fresh_folder(root)
    index, note = _open_fresh(fresh, settings)
    try:
        report = index.add([*paths, *([uploads] if uploads.is_dir() else [])], progress, max_file_mb)
        if note:
            report.notes.append(note)
        # what a killed run committed but this one did not find (files gone, or moved)
        unseen = [i for i in index.store.docstore.articles_by_id() if i not in report.sources]
        if unseen:
            index.remove_many(unseen, forget_upload=False)
            report.notes.append(
                f"dropped {len(unseen)} article(s) the interrupted rebuild had but no longer found"
            )
        if not (report.added or report.updated or report.unchanged):
            index.close()
            shutil.rmtree(fresh, ignore_errors=True)
            raise QAError(f"cannot rebuild: no article could be read; the index at {root} is unchanged")
        with writer_lock(root, exclusive=True):
            late = index.add([uploads], None, max_file_mb) if uploads.is_dir() else AddReport()
            report.added += late.added
            report.updated += late.updated
            present = set(late.added + late.updated + late.unchanged)
            gone = [
                entry.id
                for entry in index.store.docstore.articles_by_id().values()
                if (entry.origin or "").startswith(UPLOADS + "/") and entry.id not in present
            ]
            index.remove_many(gone, forget_upload=False)  # removed from the uploads meanwhile
            index.store.docstore.drop_staged()  # of articles no longer there: none finished them
            index.close()
            swap_in(root, fresh)
    finally:
        index.close()
        fresh.with_name(fresh.name + ".lock").unlink(missing_ok=True)
    return report


def _open_fresh(fresh: Path, settings: Settings) -> tuple[Index, str | None]:
    """The rebuild's fresh index, and a note saying how it began. A folder left by a killed
    rebuild is resumed (what it committed is not embedded again) when it opens as a
    consistent index built with the same embedding model and chunking; otherwise it is
    started over, saying why."""
    if not (fresh / DOCSTORE).exists():
        shutil.rmtree(fresh, ignore_errors=True)
        return Index.open(fresh, settings), None
    try:
        index = Index.open(fresh, settings)
    except ModelMismatchError:
        reason = "it was embedded with another model"
    except IndexMismatchError as error:
        reason = f"it was chunked otherwise ({one_line(str(error))})"
    except (QAError, sqlite3.DatabaseError, OSError, ValueError, KeyError) as error:
        reason = f"it cannot be opened ({one_line(str(error))})"
    else:
        problems = index.consistency_problems()
        if index.store.identity != identity_of(settings):  # the one part an index keeps: its chunk size
            reason = f"it was chunked otherwise ({index.store.settings} here, {identity_of(settings).chunking} now)"
        elif problems:
            reason = f"it is inconsistent ({'; '.join(problems)})"
        else:
            counts, staged = index.counts(), index.store.docstore.staged_count()
            more = f" and {staged} chunks of a large article" if staged else ""
            return index, (
                f"resuming the interrupted rebuild in {fresh}: {counts['articles']} articles "
                f"({counts['chunks']} chunks){more} already embedded"
            )
        index.close()
    shutil.rmtree(fresh, ignore_errors=True)
    note = f"started the rebuild over: the interrupted one left in {fresh} is not reused, as {reason}"
    return Index.open(fresh, settings), note
