"""The docstore's rows as Python: the chunk and article records it reads and writes, the
change a transaction made, and the SQL of an article row and of retrieval's filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from qa.types import Article, Chunk, Filters, Sentence

ADDED, DELETED = 1, -1  # a chunk row's change in the log
ARTICLE_FIELDS = (
    "id",
    "title",
    "text",
    "url",
    "source",
    "author",
    "published",
    "path",
    "content_hash",
    "origin",
)
ARTICLE_COLUMNS = ", ".join(ARTICLE_FIELDS)
ARTICLE_COLUMNS_A = ", ".join(f"a.{f}" for f in ARTICLE_FIELDS)


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back: the chunk, its article, its sentences and their vectors."""

    rowid: int
    chunk: Chunk
    article: Article
    sentences: tuple[Sentence, ...]
    sentence_vectors: np.ndarray


@dataclass(frozen=True)
class Candidates:
    """Retrieval's candidates as read for scoring, in one order: their rowids and article
    ids, their chunk vectors `[n, dim]`, and all their sentence vectors `[m, dim]`, the
    first `sentence_counts[0]` rows the first chunk's, and so on."""

    rowids: list[int]
    article_ids: list[str]
    vectors: np.ndarray
    sentence_vectors: np.ndarray
    sentence_counts: np.ndarray

    def sentences_by_rowid(self) -> dict[int, np.ndarray]:
        """Each candidate's own sentence vectors (views of the one matrix)."""
        ends = np.cumsum(self.sentence_counts).tolist()
        starts = [0, *ends[:-1]][: len(ends)]  # none for no candidates (an empty index)
        return {
            rowid: self.sentence_vectors[start:end]
            for rowid, start, end in zip(self.rowids, starts, ends, strict=True)
        }


@dataclass(frozen=True)
class NewChunk:
    """A chunk to write, with its vector and its sentences' vectors."""

    chunk: Chunk
    sentences: tuple[Sentence, ...]
    vector: np.ndarray
    sentence_vectors: np.ndarray


@dataclass(frozen=True)
class Commit:
    """What one transaction changed: the generation it made, the chunk rows added (with
    their vectors) and the rows deleted."""

    generation: int
    added: np.ndarray
    vectors: np.ndarray
    deleted: np.ndarray


@dataclass(frozen=True)
class ArticleEntry:
    """What identity decisions need of a stored article."""

    id: str
    content_hash: str
    path: str | None
    origin: str | None


def article_from_row(row: Sequence[Any]) -> Article:
    return Article(**dict(zip(ARTICLE_FIELDS, row, strict=True)))


def filter_sql(filters: Filters, alias: str) -> tuple[str, list[Any]]:
    """A SQL condition on the articles table (aliased `alias`) for `filters`."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.sources:
        clauses.append(f"lower({alias}.source) IN ({','.join('?' * len(filters.sources))})")
        params.extend(s.lower() for s in filters.sources)
    if filters.article_ids:
        clauses.append(f"{alias}.id IN ({','.join('?' * len(filters.article_ids))})")
        params.extend(filters.article_ids)
    if filters.published_from:
        clauses.append(f"substr({alias}.published, 1, 10) >= ?")
        params.append(filters.published_from[:10])
    if filters.published_to:
        clauses.append(f"substr({alias}.published, 1, 10) <= ?")
        params.append(filters.published_to[:10])
    return (" AND ".join(clauses) or "1"), params
