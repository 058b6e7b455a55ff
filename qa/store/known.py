"""Deciding an article's identity against the stored ones in an indexing run: the same
article under its id, under an older id (re-keyed in place, its vectors kept), moved to
another file, or another article of the same place (made distinct)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import replace

from qa.ingest.articles import holds_one_article
from qa.ingest.ingestion import AddReport
from qa.ingest.records import is_place_id
from qa.store.rows import ArticleEntry
from qa.types import Article


class KnownArticles:
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


def own_id(article: Article, known: KnownArticles, report: AddReport) -> Article:
    """`article` under an id no other article has. An id from a file's place (see
    `make_article_id`) is the same article only for the same file, or for the same content
    whose file is gone (a move); any other file of that place (same-named files in two
    collections, or a new file where a deleted one was) gets the id made distinct by its
    path, and keeps it. An id given by an `id` or `url` field is the same article wherever
    it is read."""
    if not is_place_id(article.id, article.origin):
        return article
    distinct = replace(article, id=f"{article.id}-{short_hash(article.path or '')}")
    if distinct.id in known:  # this file was made distinct before: it stays so
        return distinct
    entry = known.get(article.id)
    taken = (
        entry is not None
        and entry.path != article.path
        and not (entry.content_hash == article.content_hash and not file_exists(entry.path))
    )
    source = report.sources.get(article.id)
    return distinct if taken or (source is not None and source != (article.path or article.id)) else article


def previous_identity(article: Article, known: KnownArticles, report: AddReport) -> ArticleEntry | None:
    """The stored article that is this one under another id, not yet claimed by this run:
    the same one-article file (an id of an older scheme), the same record under an id of
    the older title-derived scheme (same file, same place hash), a record whose place in
    its file changed (same file, same content), or the same content whose file is gone
    (a move)."""
    if not article.path:
        return None
    unclaimed = [e for e in known.with_path(article.path) if e.id not in report.sources]
    if holds_one_article(article.path) and unclaimed:
        return unclaimed[0]
    if is_place_id(article.id, article.origin):
        for entry in unclaimed:
            if entry.id.endswith(article.id[-11:]):
                return entry
    for entry in unclaimed:
        if entry.content_hash == article.content_hash:
            return entry
    for entry in known.with_hash(article.content_hash):
        if entry.path and entry.id not in report.sources and not file_exists(entry.path):
            return entry
    return None


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()[:6]


def file_exists(path: str | None) -> bool:
    return bool(path) and os.path.exists(str(path))
