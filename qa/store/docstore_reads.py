"""What the docstore reads (`DocstoreReads`, a part of `Docstore`): articles, chunks with
their vectors, stories, counts, the change log and keyword search, all on the reading
connection, so a long write never stalls a question."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from qa.store.codes import decode_passage_vectors, decode_sentence_batch, decode_sentence_vectors
from qa.store.rows import (
    ADDED,
    ARTICLE_COLUMNS,
    ARTICLE_COLUMNS_A,
    DELETED,
    ArticleEntry,
    Candidates,
    StoredChunk,
    article_from_row,
    filter_sql,
)
from qa.types import Article, Chunk, Filters, Sentence, TitleEntry


class DocstoreReads:
    """The reading half of `Docstore` (its reading connection and lock)."""

    _read: sqlite3.Connection
    _read_lock: threading.RLock
    sentence_dtype: str
    passage_dtype: str

    def meta(self, key: str) -> str | None:
        with self._read_lock:
            row = self._read.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def decode_sentences(self, blob: bytes, dim: int) -> np.ndarray:
        return decode_sentence_vectors(blob, dim, self.sentence_dtype)

    def decode_vectors(self, blob: bytes, count: int) -> np.ndarray:
        """`count` passage vectors stored one after another, as float32 `[count, dim]`."""
        return decode_passage_vectors(blob, count, self.passage_dtype)

    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    def articles_by_id(self) -> dict[str, ArticleEntry]:
        with self._read_lock:
            rows = self._read.execute("SELECT id, content_hash, path, origin FROM articles").fetchall()
        return {row[0]: ArticleEntry(*row) for row in rows}

    def short_articles(self, max_chars: int) -> list[tuple[str, str, str, str | None]]:
        """(id, title, text, path) of the articles of at most `max_chars` characters, found by
        an index on the text's length (the long ones are never read)."""
        with self._read_lock:
            rows = self._read.execute(
                "SELECT id, title, text, path FROM articles WHERE length(text) <= ?", (max_chars,)
            ).fetchall()
        return [(row[0], row[1], row[2], row[3]) for row in rows]

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        """The story of each article that shares one with another article."""
        rows = self._read_in(
            "SELECT s.article_id, s.story FROM stories s WHERE s.article_id IN ({marks}) AND EXISTS "
            "(SELECT 1 FROM stories o WHERE o.story = s.story AND o.article_id != s.article_id)",
            list(dict.fromkeys(article_ids)),
        )
        return dict(rows)

    def copy_passages(self, rowids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
        """(chunk text, its article's source) by rowid."""
        rows = self._read_in(
            'SELECT c.rowid, substr(a.text, c.start + 1, c."end" - c.start), a.source FROM chunks c '
            "JOIN articles a ON a.id = c.article_id WHERE c.rowid IN ({marks})",
            [int(r) for r in rowids],
        )
        return {int(row[0]): (row[1], row[2]) for row in rows}

    def article_texts(self, article_ids: Iterable[str]) -> dict[str, str]:
        rows = self._read_in(
            "SELECT id, text FROM articles WHERE id IN ({marks})", list(dict.fromkeys(article_ids))
        )
        return dict(rows)

    def story_members(
        self, stories: Iterable[str]
    ) -> dict[str, list[tuple[str, str, str | None, str | None]]]:
        """(id, title, source, url) of every article of each story, oldest first."""
        rows = self._read_in(
            "SELECT s.story, a.id, a.title, a.source, a.url FROM stories s JOIN articles a "
            "ON a.id = s.article_id WHERE s.story IN ({marks}) ORDER BY a.added_at, a.id",
            list(dict.fromkeys(stories)),
        )
        members: dict[str, list[tuple[str, str, str | None, str | None]]] = {}
        for story, *member in rows:
            members.setdefault(story, []).append((member[0], member[1], member[2], member[3]))
        return members

    def _read_in(self, sql: str, values: Sequence[Any]) -> list[Any]:
        """The rows of `sql`, its `{marks}` made the placeholders of `values`; none read
        when there are no values."""
        if not values:
            return []
        with self._read_lock:
            return self._read.execute(sql.format(marks=",".join("?" * len(values))), list(values)).fetchall()

    def story_groups(self) -> list[list[str]]:
        """The article ids of every story told by more than one article."""
        with self._read_lock:
            rows = self._read.execute(
                "SELECT story, article_id FROM stories WHERE story IN "
                "(SELECT story FROM stories GROUP BY story HAVING count(*) > 1) ORDER BY story, article_id"
            ).fetchall()
        groups: dict[str, list[str]] = {}
        for story, article_id in rows:
            groups.setdefault(story, []).append(article_id)
        return list(groups.values())

    def get_article(self, article_id: str) -> Article | None:
        with self._read_lock:
            found = self._read.execute(
                f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
        return article_from_row(found) if found else None

    def list_articles(self) -> list[Article]:
        with self._read_lock:
            rows = self._read.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY title").fetchall()
        return [article_from_row(row) for row in rows]

    def titles(self, limit: int | None = None, offset: int = 0) -> list[TitleEntry]:
        """Articles without their text, by title: what lists and pages show."""
        with self._read_lock:
            rows = self._read.execute(
                "SELECT id, title, source, published, url, origin, added_at FROM articles "
                "ORDER BY title, id LIMIT ? OFFSET ?",
                (-1 if limit is None else limit, offset),
            ).fetchall()
        return [TitleEntry(*row) for row in rows]

    def counts(self) -> dict[str, int]:
        with self._read_lock:
            articles = self._read.execute("SELECT count(*) FROM articles").fetchone()[0]
            chunks = self._read.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return {"articles": int(articles), "chunks": int(chunks)}

    def load_chunks(
        self, rowids: Sequence[int], dim: int, with_vectors: bool = True
    ) -> dict[int, StoredChunk]:
        """Chunks by rowid (the vector id), with their articles and sentence vectors (none,
        `[0, dim]`, without `with_vectors`: retrieval has them from `candidate_vectors`)."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        vectors_column = "c.sentence_vectors" if with_vectors else "NULL"
        with self._read_lock:
            rows = self._read.execute(
                f'SELECT c.rowid, c.id, c.ordinal, c.start, c."end", c.sentences, '
                f"{vectors_column}, {ARTICLE_COLUMNS_A} FROM chunks c "
                f"JOIN articles a ON a.id = c.article_id WHERE c.rowid IN ({marks})",
                [int(r) for r in rowids],
            ).fetchall()
        result = {}
        for row in rows:
            rowid, chunk_id, ordinal, start, end, sentences, blob = row[:7]
            article = article_from_row(row[7:])
            chunk = Chunk(chunk_id, article.id, ordinal, article.text[start:end], start, end)
            spans = tuple(Sentence(s, e) for s, e in json.loads(sentences))
            vectors = self.decode_sentences(blob, dim) if with_vectors else np.empty((0, dim), np.float32)
            result[rowid] = StoredChunk(rowid, chunk, article, spans, vectors)
        return result

    def candidate_vectors(self, rowids: Sequence[int], dim: int) -> Candidates:
        """The article id, chunk vector and sentence vectors of each of `rowids` that exists:
        what fusion scores need, decoded in one go (`Candidates`)."""
        if not rowids:
            return Candidates(
                [], [], np.empty((0, dim), np.float32), np.empty((0, dim), np.float32), np.zeros(0, np.int64)
            )
        marks = ",".join("?" * len(rowids))
        with self._read_lock:
            rows = self._read.execute(
                f"SELECT rowid, article_id, vector, sentence_vectors FROM chunks WHERE rowid IN ({marks})",
                [int(r) for r in rowids],
            ).fetchall()
        vectors = self.decode_vectors(b"".join(r[2] for r in rows), len(rows)).reshape(len(rows), dim)
        sentences, counts = decode_sentence_batch([r[3] for r in rows], dim, self.sentence_dtype)
        return Candidates([r[0] for r in rows], [r[1] for r in rows], vectors, sentences, counts)

    def chunk_vectors(self, rowids: Sequence[int] | np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of the chunks among `rowids` that exist, for the vector cache."""
        ids: list[int] = []
        blobs: list[bytes] = []
        for start in range(0, len(rowids), 4096):
            batch = [int(r) for r in rowids[start : start + 4096]]
            marks = ",".join("?" * len(batch))
            with self._read_lock:
                rows = self._read.execute(
                    f"SELECT rowid, vector FROM chunks WHERE rowid IN ({marks})", batch
                ).fetchall()
            ids.extend(r[0] for r in rows)
            blobs.extend(r[1] for r in rows)
        matrix = self.decode_vectors(b"".join(blobs), len(ids)).reshape(len(ids), dim)
        return np.array(ids, dtype=np.int64), matrix

    def vector_snapshot(self, dim: int) -> tuple[int, np.ndarray, np.ndarray]:
        """(generation, ids, vectors) of every chunk, read in one transaction."""
        with self._read_lock, self._read:
            self._read.execute("BEGIN")
            generation = int(
                self._read.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]
            )
            rows = self._read.execute("SELECT rowid, vector FROM chunks").fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vectors = self.decode_vectors(b"".join(r[1] for r in rows), len(rows)).reshape(len(rows), dim)
        return generation, ids, vectors

    def chunk_count(self, generation: int) -> int | None:
        """How many chunks there are at `generation`, or None when the docstore has moved
        on from it (read in one snapshot)."""
        with self._read_lock, self._read:
            self._read.execute("BEGIN")
            now = int(self._read.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
            count = self._read.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return int(count) if now == generation else None

    def chunk_texts(self, rowids: Sequence[int]) -> list[tuple[int, str, str]]:
        """(rowid, article title, chunk text) of the chunks `rowids` still stored."""
        return [
            (int(rowid), title, text)
            for rowid, title, text in self._read_in(
                'SELECT c.rowid, a.title, substr(a.text, c.start + 1, c."end" - c.start) '
                "FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.rowid IN ({marks})",
                [int(r) for r in rowids],
            )
        ]

    def generation_and_rowids(self) -> tuple[int, list[int]]:
        """(generation, every chunk's rowid), read in one snapshot."""
        with self._read_lock, self._read:
            self._read.execute("BEGIN")
            now = int(self._read.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
            rowids = [int(r[0]) for r in self._read.execute("SELECT rowid FROM chunks")]
        return now, rowids

    def chunk_rowids(self) -> np.ndarray:
        with self._read_lock:
            return np.array([r[0] for r in self._read.execute("SELECT rowid FROM chunks")], dtype=np.int64)

    def changes_since(self, generation: int) -> tuple[int, np.ndarray, np.ndarray] | None:
        """(generation now, rows added, rows deleted) since `generation`, or None when the
        log no longer reaches back that far (the vector file is newer: reload it)."""
        with self._read_lock, self._read:
            self._read.execute("BEGIN")  # one snapshot for the three reads
            start = int(self._read.execute("SELECT value FROM meta WHERE key = 'changes_from'").fetchone()[0])
            now = int(self._read.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
            if generation < start:
                return None
            rows = self._read.execute(
                "SELECT chunk, op FROM changes WHERE generation > ? ORDER BY seq", (generation,)
            ).fetchall()
        state: dict[int, int] = {}
        for chunk, op in rows:
            state[chunk] = op if chunk not in state or state[chunk] != ADDED or op != DELETED else 0
        added = np.array([c for c, s in state.items() if s == ADDED], dtype=np.int64)
        deleted = np.array([c for c, s in state.items() if s == DELETED], dtype=np.int64)
        return now, added, deleted

    def document_frequencies(self, stems: Iterable[str]) -> dict[str, int]:
        """How many chunks contain each (Porter-stemmed) term, from the FTS5 vocabulary."""
        stems = list(stems)
        if not stems:
            return {}
        marks = ",".join("?" * len(stems))
        with self._read_lock:
            rows = self._read.execute(
                f"SELECT term, doc FROM temp.chunks_vocab WHERE term IN ({marks})", stems
            )
            return {term: int(doc) for term, doc in rows.fetchall()}

    def allowed_rowids(self, filters: Filters) -> np.ndarray:
        """Rowids of the chunks whose articles pass `filters`."""
        where, params = filter_sql(filters, "a")
        with self._read_lock:
            rows = self._read.execute(
                f"SELECT c.rowid FROM chunks c JOIN articles a ON a.id = c.article_id WHERE {where}", params
            ).fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64)

    def keyword_search(self, match: str, n: int, filters: Filters | None = None) -> list[int]:
        """Chunk rowids ranked by FTS5 BM25 (title weighted above body) for `match`.

        `match` is built by `qa.store.keyword.fts_query` (quoted terms), which FTS5 always
        parses; any other SQLite error is a real fault and is raised, not hidden.
        """
        where, params = filter_sql(filters or Filters(), "a")
        join = (
            ""
            if where == "1"
            else " JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN articles a ON a.id = c.article_id"
        )
        sql = (
            f"SELECT chunks_fts.rowid FROM chunks_fts{join} WHERE chunks_fts MATCH ? AND {where} "
            "ORDER BY bm25(chunks_fts, 0.5, 1.0) LIMIT ?"
        )
        with self._read_lock:
            rows = self._read.execute(sql, [match, *params, n]).fetchall()
        return [r[0] for r in rows]

    def consistency(self) -> tuple[set[int], set[int], int, int]:
        """(chunk rowids, keyword rowids, chunks without article, articles without chunks)."""
        with self._read_lock:
            chunk_ids = {r[0] for r in self._read.execute("SELECT rowid FROM chunks")}
            fts_ids = {r[0] for r in self._read.execute("SELECT rowid FROM chunks_fts")}
            orphans = self._read.execute(
                "SELECT count(*) FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)"
            ).fetchone()[0]
            empty = self._read.execute(
                "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM chunks)"
            ).fetchone()[0]
        return chunk_ids, fts_ids, int(orphans), int(empty)
