"""`Index`: the public face of a built index: add articles, remove them, search them."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qa import failpoints
from qa.answering.retrieval import Retrieval, Retriever
from qa.config import Settings, default_index_dir
from qa.errors import ArticleError, IndexMismatchError, IndexNotFoundError, ModelMismatchError, QAError
from qa.ingest.articles import (
    _expand_paths as list_files,  # the folder walk `iter_articles` reads from (names only)
)
from qa.ingest.articles import article_from_record, display_name, is_place_id, load_path, origin_key
from qa.ingest.boilerplate import MAX_CHARS as BOILERPLATE_CHARS
from qa.ingest.boilerplate import Boilerplate
from qa.ingest.chunking import ChunkPlan, split_into_chunks
from qa.ingest.embedding import Embedder, PassageVectors
from qa.store.docstore import ArticleEntry, NewChunk
from qa.store.identity import IndexIdentity
from qa.store.store import DOCSTORE, Store, read_manifest, writer_lock
from qa.store.swap import finish_interrupted_rebuild, fresh_folder, swap_in
from qa.types import Article, Filters, Hit, Ignored, Skipped, TitleEntry

UPLOADS = "uploads"  # the chat's upload area inside the index folder
COMMIT_CHUNKS = int(os.environ.get("QA_COMMIT_CHUNKS", "512"))  # chunks per transaction, at most
COMMIT_SECONDS = float(os.environ.get("QA_COMMIT_SECONDS", "3"))  # and at least this often
RETIRED_GRACE_S = 60.0
EMBED_CHUNKS = int(os.environ.get("QA_EMBED_CHUNKS", "64"))  # chunks embedded together
READ_AHEAD_CHUNKS = 50_000  # chunks read and chunked before embedding starts, at most
_ONE_ARTICLE_FILES = (".txt", ".md", ".markdown", ".html", ".htm")
# progress(chunks embedded so far, total or None when not known)
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Stages:
    """Progress of `Index.add` stage by stage: `reading(files read, files)` (the files are
    listed first), then `embedding(chunks embedded, chunks to embed)`. A plain `Progress`
    given instead sees the embedding only."""

    reading: Callable[[int, int], None]
    embedding: Progress


@dataclass
class _Embedding:
    """The chunks a run has embedded against those it has to embed (counted ahead)."""

    progress: Progress | None
    done: int = 0
    total: int = 0

    def start(self) -> None:
        if self.progress is not None and self.total > self.done:
            self.progress(self.done, self.total)

    def advance(self, chunks: int) -> None:
        self.done += chunks
        if self.progress is not None and chunks:
            self.progress(self.done, self.total)

    def committed(self, chunks: int) -> None:
        """Chunks embedded elsewhere (Ray workers) and committed here: no total known."""
        if self.progress is not None:
            self.progress(chunks, None)


@dataclass
class AddReport:
    """What one `Index.add` run did, article by article."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old id, new id): re-keyed, not re-embedded
    skipped: list[Skipped] = field(default_factory=list)
    boilerplate: int = 0  # of the skipped: boilerplate, not articles (see qa.ingest.boilerplate)
    hidden: int = 0  # hidden files and folders passed over
    chunks: int = 0
    commits: int = 0
    seconds: float = 0.0
    sources: dict[str, str] = field(default_factory=dict)  # article id -> file it came from
    notes: list[str] = field(default_factory=list)  # e.g. how a rebuild resumed

    def lines(self) -> list[str]:
        """The report as printed: its notes, a line per skipped input (`skipped NAME: reason`, the
        name quoted and escaped where it holds a line break, an escape sequence or any other
        unprintable character, so no name can forge a line), then `summary()`."""
        skipped = [f"skipped {display_name(s.path)}: {_one_line(s.reason)}" for s in self.skipped]
        return [_one_line(note) for note in self.notes] + skipped + [self.summary()]

    def summary(self) -> str:
        hidden = (
            f", {self.hidden} hidden file{'s' if self.hidden != 1 else ''} ignored" if self.hidden else ""
        )
        moved = f", {len(self.moved)} moved" if self.moved else ""
        junk = f" ({self.boilerplate} boilerplate)" if self.boilerplate else ""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged{moved}, "
            f"{len(self.skipped)} skipped{junk}{hidden}; {self.chunks} chunks embedded in {self.seconds:.1f} s"
        )


@dataclass
class _Pending:
    article: Article
    plans: list[ChunkPlan]
    is_update: bool
    staged: frozenset[int] = frozenset()  # ordinals an interrupted run staged (a large article)


@dataclass(frozen=True)
class Embedded:
    """An article chunked and embedded elsewhere (a Ray worker), ready to commit."""

    article: Article
    plans: list[ChunkPlan]
    vectors: PassageVectors


@dataclass(frozen=True)
class Unchanged:
    """An article a worker found already indexed with the same content."""

    id: str
    path: str


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

    @classmethod
    def open(
        cls, path: str | Path | None = None, settings: Settings | None = None, create: bool = True
    ) -> Index:
        """Open the index at `path` (default `QA_INDEX_DIR` or `index/`), creating it if asked.

        Raises `ModelMismatchError` when the index was built with another embedding model
        than `settings.embed_model`, `IndexMismatchError` when otherwise chunked (another
        chunker version or chunk size: see `qa.store.identity`), and `IndexNotFoundError`
        when absent and not `create`.
        Only a writer (`create=True`) completes a rebuild's swap that a kill interrupted.
        """
        settings = settings or Settings.from_env()
        root = Path(path) if path is not None else default_index_dir()
        embedder = Embedder(settings.embed_model)
        if create:
            finish_interrupted_rebuild(root)
        elif not (root / DOCSTORE).exists() and root.with_name(root.name + ".old").exists():
            with writer_lock(root):  # a rebuild is swapping folders: wait for it
                pass
            if not (root / DOCSTORE).exists():
                raise IndexNotFoundError(
                    f"a rebuild of {root} was interrupted; run `qa index` (any writer) to finish it"
                )
        store = Store.open(root, identity_of(settings), lambda: embedder.dim, create=create)
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
                self.path, identity_of(self.settings), lambda: self.embedder.dim, create=False
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
        transaction every `COMMIT_CHUNKS` chunks or `COMMIT_SECONDS` seconds, so an
        interrupted run keeps what it finished and a rerun resumes from there. `progress`
        (a `Stages`) sees the files read against their count, then the chunks embedded
        against theirs. Bad files are reported in `AddReport.skipped`. Symbolic links met
        in a folder are followed only to files inside it, unless `links_outside`.
        """
        limit = int((max_file_mb or self.settings.max_file_mb) * 2**20)
        entries = list(list_files(paths, links_outside))  # names only: cheap, and gives the total
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
        identity checks.

        Articles are read and chunked ahead of embedding (up to `READ_AHEAD_CHUNKS`
        chunks, for at most `COMMIT_SECONDS`), so the chunks to embed are counted before the
        first is embedded where reading is quick (the usual case), while a slow read (a
        network folder, a huge collection) still commits as it goes and a kill keeps what
        was read early."""
        started = time.perf_counter()
        report = AddReport()
        embedding = _Embedding(progress.embedding if isinstance(progress, Stages) else progress)
        with self._write_lock:
            self.ensure_current()
            known = _Known(self.store.docstore.articles_by_id())
            boilerplate = Boilerplate()
            for article_id, title, text, path in self.store.docstore.short_articles(BOILERPLATE_CHARS):
                boilerplate.add(article_id, title, text, path)
            planned: list[_Pending] = []
            ready: list[tuple[_Pending, list[NewChunk]]] = []  # embedded by Ray workers
            last_commit = time.monotonic()
            for item in items:
                if isinstance(item, Skipped):  # named safely whoever made it
                    report.skipped.append(Skipped(display_name(item.path), _one_line(item.reason)))
                elif isinstance(item, Ignored):
                    report.hidden += 1
                elif isinstance(item, Unchanged):
                    report.unchanged.append(item.id)
                    report.sources[item.id] = item.path
                elif isinstance(item, Embedded):
                    found = self._plan(item.article, known, report, item.plans)
                    if found is not None:
                        boilerplate.add(found.article.id, found.article.title, found.article.text)
                        ready.append((found, _new_chunks(found.plans, item.vectors)))
                else:
                    found = self._plan(item, known, report)
                    if found is not None:
                        boilerplate.add(found.article.id, found.article.title, found.article.text)
                        planned.append(found)
                        embedding.total += len(found.plans) - len(found.staged)
                due = time.monotonic() - last_commit >= COMMIT_SECONDS
                if ready and (due or sum(len(c) for _, c in ready) >= COMMIT_CHUNKS):
                    self._commit([r for r in ready if not self._junk(r[0], boilerplate, report)], report)
                    embedding.committed(report.chunks)
                    ready, last_commit = [], time.monotonic()
                # bound what is held, and what a kill would lose: read-ahead ends at
                # READ_AHEAD_CHUNKS chunks or COMMIT_SECONDS after the last commit
                held = embedding.total - embedding.done
                if planned and (held >= READ_AHEAD_CHUNKS or due):
                    planned = [p for p in planned if not self._junk(p, boilerplate, report, embedding)]
                    self._embed_and_commit(planned, report, embedding)
                    planned, last_commit = [], time.monotonic()
            ready = [r for r in ready if not self._junk(r[0], boilerplate, report)]
            if ready:
                self._commit(ready, report)
                embedding.committed(report.chunks)
            planned = [p for p in planned if not self._junk(p, boilerplate, report, embedding)]
            self._embed_and_commit(planned, report, embedding)
            self._remove_boilerplate(boilerplate, report)
        if report.commits or report.moved or report.boilerplate:
            self.store.save_vectors()
        report.seconds = time.perf_counter() - started
        return report

    def _junk(
        self, item: _Pending, boilerplate: Boilerplate, report: AddReport, embedding: _Embedding | None = None
    ) -> bool:
        """Skip an article found to be boilerplate (reported, its chunks not embedded)."""
        reason = boilerplate.reason(item.article.id)
        if reason is None:
            return False
        where = report.sources.get(item.article.id) or item.article.path or item.article.id
        report.skipped.append(Skipped(display_name(where), f"{item.article.title!r}: {reason}"))
        report.boilerplate += 1
        if embedding is not None:
            embedding.total -= len(item.plans) - len(item.staged)
        return True

    def _remove_boilerplate(self, boilerplate: Boilerplate, report: AddReport) -> None:
        """Remove the articles indexed earlier (or in this run, before the text was seen
        often enough) whose text turned out to be boilerplate."""
        skipped = {s.path for s in report.skipped}
        for article_id in sorted(self._remove_locked(boilerplate.junk(), forget_upload=False)):
            where = display_name(report.sources.get(article_id) or boilerplate.path(article_id))
            for done in (report.added, report.updated, report.unchanged):
                if article_id in done:
                    done.remove(article_id)
            if where not in skipped:
                reason = boilerplate.reason(article_id)
                report.skipped.append(Skipped(where, f"{reason}; removed from the index"))
                report.boilerplate += 1

    def _embed_and_commit(self, planned: list[_Pending], report: AddReport, embedding: _Embedding) -> None:
        """Embed the planned articles `EMBED_CHUNKS` chunks at a time and commit them every
        `COMMIT_CHUNKS` chunks or `COMMIT_SECONDS` seconds; an article larger than one
        commit is staged in steps (`_add_large`)."""
        batch: list[_Pending] = []
        batched = 0
        ready: list[tuple[_Pending, list[NewChunk]]] = []
        if embedding.total > embedding.done:
            _ = self.embedder.model  # loaded before the bar starts, so its rate and ETA are the embedding's
        embedding.start()
        last_commit = time.monotonic()
        for item in planned:
            if len(item.plans) > COMMIT_CHUNKS:
                self._add_large(item, report, embedding)
                continue
            batch.append(item)
            batched += len(item.plans)
            if batched < EMBED_CHUNKS:
                continue
            ready += self._embed(batch)
            embedding.advance(batched)
            batch, batched = [], 0
            due = time.monotonic() - last_commit >= COMMIT_SECONDS
            if due or sum(len(news) for _, news in ready) >= COMMIT_CHUNKS:
                self._commit(ready, report)
                ready, last_commit = [], time.monotonic()
        ready += self._embed(batch)
        embedding.advance(batched)
        if ready:
            self._commit(ready, report)

    def _add_large(self, item: _Pending, report: AddReport, embedding: _Embedding) -> None:
        """An article of more chunks than one commit holds: embedded `EMBED_CHUNKS` at a
        time and staged in bounded transactions (memory stays flat however long it is),
        skipping the chunks an interrupted run staged; then one transaction makes the whole
        article visible, so readers never see half of it."""
        article = item.article
        todo = [plan for plan in item.plans if plan.chunk.ordinal not in item.staged]
        news: list[NewChunk] = []
        last_stage = time.monotonic()
        for start in range(0, len(todo), EMBED_CHUNKS):
            ((_, embedded),) = self._embed([replace(item, plans=todo[start : start + EMBED_CHUNKS])])
            news += embedded
            embedding.advance(len(embedded))
            last = start + EMBED_CHUNKS >= len(todo)
            if last or len(news) >= COMMIT_CHUNKS or time.monotonic() - last_stage >= COMMIT_SECONDS:
                with writer_lock(self.path):
                    self.ensure_current()
                    self._note_precision(report)
                    self.store.docstore.stage_chunks(article.id, article.content_hash, news)
                failpoints.reached("after-commit")
                report.chunks += len(news)
                report.commits += 1
                news, last_stage = [], time.monotonic()
        with writer_lock(self.path):
            self.ensure_current()
            self._note_precision(report)
            self.store.apply(self.store.docstore.commit_staged(article, len(item.plans)))
        failpoints.reached("after-commit")
        (report.updated if item.is_update else report.added).append(article.id)
        report.commits += 1

    def _plan(
        self,
        article: Article,
        known: _Known,
        report: AddReport,
        plans: list[ChunkPlan] | None = None,
    ) -> _Pending | None:
        """What to do with one article: None when unchanged (or a duplicate), else the
        chunks to embed. Identity: an id from a file's place names the same article only
        for the same file (or the same content whose file is gone: a move), else it is made
        distinct; a file known under another id (the old id scheme, or moved) is re-keyed in
        place, keeping its vectors. Ids from an `id` or `url` field are taken as given."""
        origin = article.path or article.id
        article = _own_id(article, known, report)
        if article.id in report.sources:
            first = display_name(report.sources[article.id])
            report.skipped.append(
                Skipped(
                    display_name(origin), f"duplicate article id {article.id!r} (already read from {first})"
                )
            )
            return None
        report.sources[article.id] = origin
        if article.id not in known:
            previous = _previous_identity(article, known, report)
            if previous is not None:
                with writer_lock(self.path):
                    self.store.docstore.rename_article(previous.id, article.id, article.path, article.origin)
                known.rename(previous.id, article.id, article.path, article.origin)
                report.moved.append((previous.id, article.id))
        entry = known.get(article.id)
        if entry is not None and entry.content_hash == article.content_hash:
            moved = _one_article_file(article.path) or not _exists(entry.path)  # not a record of two files
            if article.path and moved and (entry.path, entry.origin) != (article.path, article.origin):
                with writer_lock(self.path):  # the same text, found elsewhere: remember where
                    self.store.docstore.rename_article(article.id, article.id, article.path, article.origin)
                known.rename(article.id, article.id, article.path, article.origin)
            report.unchanged.append(article.id)
            return None
        if plans is None:
            plans = split_into_chunks(article, self.chunk_words)
        elif plans and plans[0].chunk.article_id != article.id:  # the id was made distinct above
            plans = [
                replace(
                    p, chunk=replace(p.chunk, id=f"{article.id}#{p.chunk.ordinal}", article_id=article.id)
                )
                for p in plans
            ]
        staged: frozenset[int] = frozenset()
        if len(plans) > COMMIT_CHUNKS:  # to be staged: an interrupted run may have done part of it
            staged = frozenset(self.store.docstore.staged_ordinals(article.id, article.content_hash))
        return _Pending(article, plans, is_update=entry is not None, staged=staged)

    def _embed(self, pending: list[_Pending]) -> list[tuple[_Pending, list[NewChunk]]]:
        plans = [plan for item in pending for plan in item.plans]
        if not plans:
            return [(item, []) for item in pending]
        vectors = self.embedder.encode_passages(
            [p.chunk.text for p in plans],
            [[(s.start - p.chunk.start, s.end - p.chunk.start) for s in p.sentences] for p in plans],
            [item.article.title + "\n" for item in pending for _ in item.plans],
        )
        result = []
        offset = 0
        for item in pending:
            part = PassageVectors(
                vectors.passages[offset : offset + len(item.plans)],
                vectors.sentences[offset : offset + len(item.plans)],
            )
            offset += len(item.plans)
            result.append((item, _new_chunks(item.plans, part)))
        return result

    def _commit(self, ready: list[tuple[_Pending, list[NewChunk]]], report: AddReport) -> None:
        with writer_lock(self.path):
            self.ensure_current()
            self._note_precision(report)
            commit = self.store.docstore.write_articles([(item.article, news) for item, news in ready])
            self.store.apply(commit)
        failpoints.reached("after-commit")
        for item, news in ready:
            (report.updated if item.is_update else report.added).append(item.article.id)
            report.chunks += len(news)
        report.commits += 1

    def _note_precision(self, report: AddReport) -> None:
        if not report.commits:  # the run's first transaction
            self.store.docstore.note_in_set("precisions", self.embedder.precision)

    def remove(self, article_id: str, forget_upload: bool = True) -> bool:
        """Delete an article and its chunks; False when no article has that id. An article
        that came from the upload area leaves it too (`forget_upload`), so a rebuild does not
        bring it back: its file, or its record of a JSON Lines file."""
        return bool(self.remove_many([article_id], forget_upload))

    def remove_many(self, article_ids: Iterable[str], forget_upload: bool = True) -> list[str]:
        """Delete several articles (see `remove`), writing the vector file once; the ids
        that were there."""
        with self._write_lock:
            removed = self._remove_locked(article_ids, forget_upload)
            if removed:
                self.store.save_vectors()
        return removed

    def _remove_locked(self, article_ids: Iterable[str], forget_upload: bool) -> list[str]:
        """`remove_many` for a caller holding the write lock; the vector file not written."""
        removed: list[str] = []
        with writer_lock(self.path):
            self.ensure_current()
            for article_id in article_ids:
                article = self.store.docstore.get_article(article_id)
                commit = self.store.docstore.delete_article(article_id)
                if commit is None:
                    continue
                self.store.apply(commit)
                removed.append(article_id)
                if forget_upload and article is not None:
                    self._forget_upload(article)
        return removed

    def _forget_upload(self, article: Article) -> None:
        area = (self.path / UPLOADS).resolve()
        if not article.path or area not in Path(article.path).resolve().parents:
            return
        path = Path(article.path)
        if path.suffix.lower() in (".json", ".jsonl"):
            _drop_record(path, article.id, article.origin or f"{UPLOADS}/{path.name}")
        else:
            path.unlink(missing_ok=True)

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


def _drop_record(path: Path, article_id: str, origin: str) -> None:
    """Rewrite a JSON or JSON Lines upload without the record that is `article_id`; the
    file goes when nothing is left in it. The record's place stays (an empty line, a
    `null` in a list), so the other records keep their numbers and so their ids."""
    import json

    def is_it(record: Any, number: int) -> bool:
        try:
            found = article_from_record(record, path, str(path), number, origin=origin)
        except ArticleError:
            return False
        return article_id in (found.id, f"{found.id}-{_short_hash(found.path or '')}")

    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".jsonl":
        lines = text.splitlines(keepends=True)
        kept = [
            "\n" if line.strip() and is_it(_json_or_none(line), number) else line
            for number, line in enumerate(lines, 1)
        ]
        body = "".join(kept) if any(line.strip() for line in kept) else ""
    else:
        data = _json_or_none(text)
        records = data if isinstance(data, list) else [data]
        remaining = [None if is_it(r, number) else r for number, r in enumerate(records, 1)]
        body = (
            json.dumps(remaining if isinstance(data, list) else remaining[0], ensure_ascii=False)
            if any(r is not None for r in remaining)
            else ""
        )
    if not body:
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, path)


def _json_or_none(text: str) -> Any:
    import json

    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _new_chunks(plans: Sequence[ChunkPlan], vectors: PassageVectors) -> list[NewChunk]:
    return [
        NewChunk(plan.chunk, plan.sentences, vectors.passages[k], vectors.sentences[k])
        for k, plan in enumerate(plans)
    ]


def identity_of(settings: Settings) -> IndexIdentity:
    """The identity of the index `settings` build (see `qa.store.identity`)."""
    return IndexIdentity.configured(settings.embed_model, settings.chunk_words)


def _one_line(text: str) -> str:
    """`text` as one printable line: unprintable characters escaped."""
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode() for c in text
    )


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:6]


def _one_article_file(path: str | None) -> bool:
    return bool(path) and str(path).lower().endswith(_ONE_ARTICLE_FILES)


def _exists(path: str | None) -> bool:
    return bool(path) and os.path.exists(str(path))


class _Known:
    """The stored articles an indexing run decides identity against (id, content hash,
    file, place), with look-ups by file and by content hash kept current as articles are
    re-keyed, so deciding costs the same however large the index."""

    def __init__(self, entries: dict[str, ArticleEntry]) -> None:
        self.entries = entries
        self._by_path: dict[str, list[str]] = {}
        self._by_hash: dict[str, list[str]] = {}
        for entry in entries.values():
            self._note(entry)

    def _note(self, entry: ArticleEntry) -> None:
        if entry.path:
            self._by_path.setdefault(entry.path, []).append(entry.id)
        self._by_hash.setdefault(entry.content_hash, []).append(entry.id)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.entries

    def get(self, article_id: str) -> ArticleEntry | None:
        return self.entries.get(article_id)

    def with_path(self, path: str) -> list[ArticleEntry]:
        return self._current(self._by_path.get(path, []), lambda e: e.path == path)

    def with_hash(self, content_hash: str) -> list[ArticleEntry]:
        return self._current(self._by_hash.get(content_hash, []), lambda e: e.content_hash == content_hash)

    def _current(self, ids: list[str], keep: Callable[[ArticleEntry], bool]) -> list[ArticleEntry]:
        found = [self.entries[i] for i in dict.fromkeys(ids) if i in self.entries]
        return [e for e in found if keep(e)]

    def rename(self, old_id: str, new_id: str, path: str | None, origin: str | None) -> None:
        entry = replace(self.entries.pop(old_id), id=new_id, path=path, origin=origin)
        self.entries[new_id] = entry
        self._note(entry)


def _own_id(article: Article, known: _Known, report: AddReport) -> Article:
    """`article` under an id no other article has. An id from a file's place (see
    `make_article_id`) is the same article only for the same file, or for the same content
    whose file is gone (a move); any other file of that place (same-named files in two
    collections, or a new file where a deleted one was) gets the id made distinct by its
    path, and keeps it. An id given by an `id` or `url` field is the same article wherever
    it is read."""
    if not is_place_id(article.id, article.origin):
        return article
    distinct = replace(article, id=f"{article.id}-{_short_hash(article.path or '')}")
    if distinct.id in known:  # this file was made distinct before: it stays so
        return distinct
    entry = known.get(article.id)
    taken = (
        entry is not None
        and entry.path != article.path
        and not (entry.content_hash == article.content_hash and not _exists(entry.path))
    )
    source = report.sources.get(article.id)
    return distinct if taken or (source is not None and source != (article.path or article.id)) else article


def _previous_identity(article: Article, known: _Known, report: AddReport) -> ArticleEntry | None:
    """The stored article that is this one under another id, not yet claimed by this run:
    the same one-article file (an id of an older scheme), the same record under an id of
    the older title-derived scheme (same file, same place hash), a record whose place in
    its file changed (same file, same content), or the same content whose file is gone
    (a move)."""
    if not article.path:
        return None
    unclaimed = [e for e in known.with_path(article.path) if e.id not in report.sources]
    if _one_article_file(article.path) and unclaimed:
        return unclaimed[0]
    if is_place_id(article.id, article.origin):
        for entry in unclaimed:
            if entry.id.endswith(article.id[-11:]):
                return entry
    for entry in unclaimed:
        if entry.content_hash == article.content_hash:
            return entry
    for entry in known.with_hash(article.content_hash):
        if entry.path and entry.id not in report.sources and not _exists(entry.path):
            return entry
    return None


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
    root = Path(index_dir) if index_dir is not None else default_index_dir()
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
        reason = f"it was chunked otherwise ({_one_line(str(error))})"
    except (QAError, sqlite3.DatabaseError, OSError, ValueError, KeyError) as error:
        reason = f"it cannot be opened ({_one_line(str(error))})"
    else:
        problems = index.consistency_problems()
        if problems:
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
