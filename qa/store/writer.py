"""The single writer of an index folder: each article planned against the stored ones
(identity, unchanged ones skipped, boilerplate caught), embedded (`embed_articles`, shared
with the Ray workers) and committed in bounded transactions; an article larger than one
commit is staged in steps and made visible whole. Removal, uploads' files included.

A kill at any point leaves the last commit: every change is one docstore transaction,
taken under the writer lock beside the folder (see `qa.store.store`)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from qa import failpoints
from qa.config import IndexSettings
from qa.ingest.articles import forget_article, holds_one_article
from qa.ingest.boilerplate import MAX_CHARS as BOILERPLATE_CHARS
from qa.ingest.boilerplate import Boilerplate
from qa.ingest.chunking import ChunkPlan, split_into_chunks
from qa.ingest.embedding import Embedder, PassageVectors
from qa.ingest.files import display_name
from qa.ingest.ingestion import (
    AddReport,
    Embedded,
    EmbeddingProgress,
    Progress,
    Stages,
    Unchanged,
    embed_articles,
    one_line,
)
from qa.store.known import KnownArticles, file_exists, own_id, previous_identity, short_hash
from qa.store.rows import NewChunk
from qa.store.store import Store, writer_lock
from qa.types import Article, Ignored, Skipped

UPLOADS = "uploads"  # the chat's upload area inside the index folder
READ_AHEAD_CHUNKS = 50_000  # chunks read and chunked before embedding starts, at most


class IndexFolder(Protocol):
    """What the writer needs of an index (`qa.index.Index`): its folder, its current store
    (a rebuild may swap another in: `ensure_current` follows), the embedder, the chunk size."""

    path: Path
    store: Store
    embedder: Embedder
    chunk_words: int

    def ensure_current(self) -> None: ...


@dataclass
class Pending:
    """An article to embed and commit: its chunks, and those an interrupted run staged."""

    article: Article
    plans: list[ChunkPlan]
    is_update: bool
    staged: frozenset[int] = frozenset()  # ordinals an interrupted run staged (a large article)


class Writer:
    """Adds and removes articles of one index folder; one at a time (`Index` holds the lock)."""

    def __init__(self, folder: IndexFolder, limits: IndexSettings | None = None) -> None:
        self.folder = folder
        self.limits = limits or IndexSettings()  # chunks a commit and an embedding batch hold

    def add(
        self,
        items: Iterable[Article | Embedded | Unchanged | Skipped | Ignored],
        progress: Progress | Stages | None = None,
    ) -> AddReport:
        """Index already-loaded articles for `Index.add_articles` (whose caller holds the
        write lock); the vector file is not written.

        Articles are read and chunked ahead of embedding (up to `READ_AHEAD_CHUNKS`
        chunks, for at most `commit_seconds`), so the chunks to embed are counted before the
        first is embedded where reading is quick (the usual case), while a slow read (a
        network folder, a huge collection) still commits as it goes and a kill keeps what
        was read early."""
        report = AddReport()
        embedding = EmbeddingProgress(progress.embedding if isinstance(progress, Stages) else progress)
        self.folder.ensure_current()
        known = KnownArticles(self.folder.store.docstore.articles_by_id())
        boilerplate = Boilerplate()
        for article_id, title, text, path in self.folder.store.docstore.short_articles(BOILERPLATE_CHARS):
            boilerplate.add(article_id, title, text, path)
        planned: list[Pending] = []
        ready: list[tuple[Pending, list[NewChunk]]] = []  # embedded by Ray workers
        last_commit = time.monotonic()
        for item in items:
            if isinstance(item, Skipped):  # named safely whoever made it
                report.skipped.append(Skipped(display_name(item.path), one_line(item.reason)))
            elif isinstance(item, Ignored):
                report.hidden += 1
            elif isinstance(item, Unchanged):
                report.unchanged.append(item.id)
                report.sources[item.id] = item.path
            elif isinstance(item, Embedded):
                found = self._plan(item.article, known, report, item.plans)
                if found is not None:
                    boilerplate.add(found.article.id, found.article.title, found.article.text)
                    ready.append((found, new_chunks(found.plans, item.vectors)))
            else:
                found = self._plan(item, known, report)
                if found is not None:
                    boilerplate.add(found.article.id, found.article.title, found.article.text)
                    planned.append(found)
                    embedding.total += len(found.plans) - len(found.staged)
            due = time.monotonic() - last_commit >= self.limits.commit_seconds
            if ready and (due or sum(len(c) for _, c in ready) >= self.limits.commit_chunks):
                kept = [r for r in ready if not self._junk(r[0], boilerplate, report)]
                if kept:  # all boilerplate: no transaction of nothing
                    self._commit(kept, report)
                    embedding.committed(report.chunks)
                ready, last_commit = [], time.monotonic()
            # bound what is held, and what a kill would lose: read-ahead ends at
            # READ_AHEAD_CHUNKS chunks or commit_seconds after the last commit
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
        # an article found elsewhere (moved, renamed) bumps the generation without a commit of
        # chunks: the keyword index takes the generation too, or searches would fall back to
        # FTS5 (another stemmer, other matches) until the next article is added; unless another
        # process is catching it up at that moment (then that one brings it up)
        self.folder.store.follow_keyword(wait=False)
        return report

    def _junk(
        self,
        item: Pending,
        boilerplate: Boilerplate,
        report: AddReport,
        embedding: EmbeddingProgress | None = None,
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
        for article_id in sorted(self.remove(boilerplate.junk(), forget_upload=False)):
            where = display_name(report.sources.get(article_id) or boilerplate.path(article_id))
            for done in (report.added, report.updated, report.unchanged):
                if article_id in done:
                    done.remove(article_id)
            if where not in skipped:
                reason = boilerplate.reason(article_id)
                report.skipped.append(Skipped(where, f"{reason}; removed from the index"))
                report.boilerplate += 1

    def _embed_and_commit(
        self, planned: list[Pending], report: AddReport, embedding: EmbeddingProgress
    ) -> None:
        """Embed the planned articles `embed_chunks` chunks at a time and commit them every
        `commit_chunks` chunks or `commit_seconds` seconds; an article larger than one
        commit is staged in steps (`_add_large`)."""
        batch: list[Pending] = []
        batched = 0
        ready: list[tuple[Pending, list[NewChunk]]] = []
        if embedding.total > embedding.done:
            _ = (
                self.folder.embedder.model
            )  # loaded before the bar starts, so its rate and ETA are the embedding's
        embedding.start()
        last_commit = time.monotonic()
        for item in planned:
            if len(item.plans) > self.limits.commit_chunks:
                self._add_large(item, report, embedding)
                continue
            batch.append(item)
            batched += len(item.plans)
            if batched < self.limits.embed_chunks:
                continue
            ready += self._embed(batch)
            embedding.advance(batched)
            batch, batched = [], 0
            due = time.monotonic() - last_commit >= self.limits.commit_seconds
            if due or sum(len(news) for _, news in ready) >= self.limits.commit_chunks:
                self._commit(ready, report)
                ready, last_commit = [], time.monotonic()
        ready += self._embed(batch)
        embedding.advance(batched)
        if ready:
            self._commit(ready, report)

    def _add_large(self, item: Pending, report: AddReport, embedding: EmbeddingProgress) -> None:
        """An article of more chunks than one commit holds: embedded `embed_chunks` at a
        time and staged in bounded transactions (memory stays flat however long it is),
        skipping the chunks an interrupted run staged; then one transaction makes the whole
        article visible, so readers never see half of it."""
        article = item.article
        todo = [plan for plan in item.plans if plan.chunk.ordinal not in item.staged]
        news: list[NewChunk] = []
        last_stage = time.monotonic()
        for start in range(0, len(todo), self.limits.embed_chunks):
            ((_, embedded),) = self._embed(
                [replace(item, plans=todo[start : start + self.limits.embed_chunks])]
            )
            news += embedded
            embedding.advance(len(embedded))
            last = start + self.limits.embed_chunks >= len(todo)
            if (
                last
                or len(news) >= self.limits.commit_chunks
                or time.monotonic() - last_stage >= self.limits.commit_seconds
            ):
                with writer_lock(self.folder.path):
                    self.folder.ensure_current()
                    self._note_precision(report)
                    self.folder.store.docstore.stage_chunks(article.id, article.content_hash, news)
                failpoints.reached("after-commit")
                report.chunks += len(news)
                report.commits += 1
                news, last_stage = [], time.monotonic()
        with writer_lock(self.folder.path):
            self.folder.ensure_current()
            self._note_precision(report)
            self.folder.store.apply(self.folder.store.docstore.commit_staged(article, len(item.plans)))
        failpoints.reached("after-commit")
        (report.updated if item.is_update else report.added).append(article.id)
        report.commits += 1

    def _plan(
        self,
        article: Article,
        known: KnownArticles,
        report: AddReport,
        plans: list[ChunkPlan] | None = None,
    ) -> Pending | None:
        """What to do with one article: None when unchanged (or a duplicate), else the
        chunks to embed. Identity: an id from a file's place names the same article only
        for the same file (or the same content whose file is gone: a move), else it is made
        distinct; a file known under another id (the old id scheme, or moved) is re-keyed in
        place, keeping its vectors. Ids from an `id` or `url` field are taken as given."""
        origin = article.path or article.id
        article = own_id(article, known, report)
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
            previous = previous_identity(article, known, report)
            if previous is not None:
                with writer_lock(self.folder.path):
                    self.folder.store.docstore.rename_article(
                        previous.id, article.id, article.path, article.origin
                    )
                known.rename(previous.id, article.id, article.path, article.origin)
                report.moved.append((previous.id, article.id))
        entry = known.get(article.id)
        if entry is not None and entry.content_hash == article.content_hash:
            moved = holds_one_article(article.path) or not file_exists(
                entry.path
            )  # not a record of two files
            if article.path and moved and (entry.path, entry.origin) != (article.path, article.origin):
                with writer_lock(self.folder.path):  # the same text, found elsewhere: remember where
                    self.folder.store.docstore.rename_article(
                        article.id, article.id, article.path, article.origin
                    )
                known.rename(article.id, article.id, article.path, article.origin)
            report.unchanged.append(article.id)
            return None
        if plans is None:
            plans = split_into_chunks(article, self.folder.chunk_words)
        elif plans and plans[0].chunk.article_id != article.id:  # the id was made distinct above
            plans = [
                replace(
                    p, chunk=replace(p.chunk, id=f"{article.id}#{p.chunk.ordinal}", article_id=article.id)
                )
                for p in plans
            ]
        staged: frozenset[int] = frozenset()
        if (
            len(plans) > self.limits.commit_chunks
        ):  # to be staged: an interrupted run may have done part of it
            staged = frozenset(self.folder.store.docstore.staged_ordinals(article.id, article.content_hash))
        return Pending(article, plans, is_update=entry is not None, staged=staged)

    def _embed(self, pending: list[Pending]) -> list[tuple[Pending, list[NewChunk]]]:
        vectors = embed_articles(self.folder.embedder, [(item.article, item.plans) for item in pending])
        return [(item, new_chunks(item.plans, v)) for item, v in zip(pending, vectors, strict=True)]

    def _commit(self, ready: list[tuple[Pending, list[NewChunk]]], report: AddReport) -> None:
        with writer_lock(self.folder.path):
            self.folder.ensure_current()
            self._note_precision(report)
            commit = self.folder.store.docstore.write_articles([(item.article, news) for item, news in ready])
            self.folder.store.apply(commit)
        failpoints.reached("after-commit")
        for item, news in ready:
            (report.updated if item.is_update else report.added).append(item.article.id)
            report.chunks += len(news)
        report.commits += 1

    def _note_precision(self, report: AddReport) -> None:
        if not report.commits:  # the run's first transaction
            self.folder.store.docstore.note_in_set("precisions", self.folder.embedder.precision)

    def remove(self, article_ids: Iterable[str], forget_upload: bool) -> list[str]:
        """Delete articles for `Index.remove_many` (whose caller holds the write lock); the
        vector file is not written. The ids that were there."""
        removed: list[str] = []
        with writer_lock(self.folder.path):
            self.folder.ensure_current()
            for article_id in article_ids:
                article = self.folder.store.docstore.get_article(article_id)
                commit = self.folder.store.docstore.delete_article(article_id)
                if commit is None:
                    continue
                self.folder.store.apply(commit)
                removed.append(article_id)
                if forget_upload and article is not None:
                    self._forget_upload(article)
        return removed

    def _forget_upload(self, article: Article) -> None:
        area = (self.folder.path / UPLOADS).resolve()
        if not article.path or area not in Path(article.path).resolve().parents:
            return
        path = Path(article.path)

        def is_it(found: Article) -> bool:  # under its id, or under the id made distinct (`own_id`)
            return article.id in (found.id, f"{found.id}-{short_hash(found.path or '')}")

        forget_article(path, article.origin or f"{UPLOADS}/{path.name}", is_it)


def new_chunks(plans: Sequence[ChunkPlan], vectors: PassageVectors) -> list[NewChunk]:
    return [
        NewChunk(plan.chunk, plan.sentences, vectors.passages[k], vectors.sentences[k])
        for k, plan in enumerate(plans)
    ]
