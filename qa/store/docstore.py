"""The docstore: articles, chunks with their vectors, the FTS5 keyword index and a change log,
in one SQLite file, the single source of truth of an index.

Every change is one transaction that also bumps the generation and logs which chunk rows
came and went, so the vector cache of any process can follow it cheaply. Reads use their
own connection (WAL), so a long write never stalls a question.

An article too large for one transaction is written in steps: its embedded chunks are
staged (`stage_chunks`, in `staged_chunks`, which nothing reads but the writer) in bounded
transactions, then `commit_staged` makes the whole article visible in one. Readers never
see half an article, and a killed run's staged chunks are kept for the rerun.

How the parts are stored is the index's storage layout (meta `storage`, part of its
identity; an index keeps its own). Layout 3, what new indexes use: passage vectors in
float16 (FAISS is built from them), sentence vectors as int8 codes packed in 5 bits
(`qa.store.codes`: int8's numbers, so its scores, in 67% of its bytes), a contentless FTS5
table (`content=''`: the words are indexed, the text is read from `articles`, so a chunk's
row is deleted by giving FTS5 its title and text again) and 64 KiB pages (a chunk row is
~2.3 KB: a 4 KiB page holds one and leaves the rest empty, 16 KiB ones do the same with
~9 KB articles; read through mmap, so a big page costs a question nothing). Layout 2
(never released): the same with 2-bit sentence codes and 4 KiB pages. Layout 1, older indexes: float32 passage
vectors, int8 (or float16) sentence vectors, FTS5 with its own copy of every chunk's title
and text. All are read and written.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import IndexFormatError
from qa.ingest.stories import SAME_STORY, band_keys, signature, similarity
from qa.store.codes import SENTENCE_DTYPES, encode_sentence_vectors
from qa.store.docstore_reads import DocstoreReads
from qa.store.rows import ADDED, ARTICLE_COLUMNS, DELETED, Commit, NewChunk
from qa.types import Article

FORMAT_VERSION = 2
STORAGE_LAYOUT = 3  # see the module doc; indexes that record none are of layout 1
PASSAGE_DTYPE, SENTENCE_DTYPE = "float16", "int8-packed"  # how layout 3 stores vectors
PAGE_SIZE = 65536  # of a new docstore file (an existing file keeps its own)
MMAP_BYTES = 1 << 40  # the whole file mapped (SQLite caps it, at 2 GiB by default)
log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, url TEXT, source TEXT,
    author TEXT, published TEXT, path TEXT, content_hash TEXT NOT NULL, added_at TEXT NOT NULL,
    origin TEXT
);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    sentences TEXT NOT NULL, vector BLOB NOT NULL, sentence_vectors BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE INDEX IF NOT EXISTS articles_length ON articles(length(text));
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, generation INTEGER NOT NULL, chunk INTEGER NOT NULL,
    op INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_generation ON changes(generation);
CREATE TABLE IF NOT EXISTS staged_chunks (
    article_id TEXT NOT NULL, content_hash TEXT NOT NULL, ordinal INTEGER NOT NULL, id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, sentences TEXT NOT NULL, vector BLOB NOT NULL,
    sentence_vectors BLOB NOT NULL, PRIMARY KEY (article_id, ordinal)
);
CREATE TABLE IF NOT EXISTS stories (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE, story TEXT NOT NULL,
    signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_story ON stories(story);
CREATE TABLE IF NOT EXISTS story_bands (
    key INTEGER NOT NULL, article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS story_bands_key ON story_bands(key);
CREATE INDEX IF NOT EXISTS story_bands_article ON story_bands(article_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, text, content = '', tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


class Docstore(DocstoreReads):
    """SQLite docstore of one index; thread-safe, one writer connection, one reader (its
    reads: `DocstoreReads`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._write = _connect(path)
        self._read = _connect(path)
        self._write_lock = threading.RLock()
        self._read_lock = threading.RLock()
        self.sentence_dtype = SENTENCE_DTYPE
        self.passage_dtype = PASSAGE_DTYPE
        self.fts_contentless = True
        self.page_size = PAGE_SIZE

    def close(self) -> None:
        with self._write_lock, self._read_lock:
            self._write.close()
            self._read.close()

    # ---- schema --------------------------------------------------------------------
    def init_meta(self, defaults: dict[str, str]) -> dict[str, str]:
        """Create the schema (or migrate an older one) and return the meta rows; the
        `defaults` are written when the docstore is new."""
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self._write.execute(statement)
            meta = dict(self._write.execute("SELECT key, value FROM meta").fetchall())
            if not meta:
                meta = dict(defaults)
            elif int(meta.get("format_version", FORMAT_VERSION)) == 1:
                self._migrate_v1()
                meta["format_version"] = str(FORMAT_VERSION)
                self._write.execute(
                    "UPDATE meta SET value = ? WHERE key = 'format_version'", (str(FORMAT_VERSION),)
                )
            meta.setdefault("docstore_id", defaults["docstore_id"])
            meta.setdefault("sentence_vectors", "float16")  # an index made before int8
            meta.setdefault("passage_vectors", "float32")  # one made before float16
            meta.setdefault("changes_from", meta.get("generation", "0"))  # the log starts now
            self._write.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", list(meta.items()))
            schema = self._write.execute(
                "SELECT sql FROM sqlite_schema WHERE name = 'chunks_fts'"
            ).fetchone()[0]
        with self._read_lock:
            self._read.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab USING fts5vocab(main, 'chunks_fts', 'row')"
            )
        if meta["sentence_vectors"] not in SENTENCE_DTYPES:
            raise IndexFormatError(
                f"{self.path}: sentence vectors stored as {meta['sentence_vectors']!r}, which this "
                "version cannot read: rebuild it (`qa index PATH --rebuild`) or use the version that made it"
            )
        self.sentence_dtype = meta["sentence_vectors"]
        self.passage_dtype = meta["passage_vectors"]
        self.fts_contentless = is_contentless(schema)
        self.page_size = int(self._write.execute("PRAGMA page_size").fetchone()[0])
        return meta

    def _migrate_v1(self) -> None:
        """Format 1 had no `origin` column and no change log: add them. Ids of the old
        scheme are re-keyed when their files are indexed again (see `Index`)."""
        columns = {row[1] for row in self._write.execute("PRAGMA table_info(articles)")}
        if "origin" not in columns:
            self._write.execute("ALTER TABLE articles ADD COLUMN origin TEXT")
        log.info("migrated %s from index format 1 to %d", self.path, FORMAT_VERSION)

    def encode_sentences(self, vectors: np.ndarray) -> bytes:
        """Sentence vectors as this index stores them (`qa.store.codes`)."""
        return encode_sentence_vectors(vectors, self.sentence_dtype)

    def stored_vector(self, vector: np.ndarray) -> np.ndarray:
        """A passage vector as the docstore gives it back (float16 rounded, in new indexes):
        what the vector cache takes, so that it equals one rebuilt from the docstore."""
        return np.asarray(vector).astype(self.passage_dtype).astype(np.float32)

    # ---- writing -------------------------------------------------------------------
    def write_articles(self, items: Iterable[tuple[Article, Sequence[NewChunk]]]) -> Commit:
        """Insert or replace articles and their chunks in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        added: list[int] = []
        vectors: list[np.ndarray] = []
        deleted: list[int] = []
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            generation = self._next_generation()
            for article, chunks in items:
                deleted += self._delete_article(article.id)
                self._write.execute("DELETE FROM staged_chunks WHERE article_id = ?", (article.id,))
                self._insert_article(article, now)
                for new in chunks:
                    cursor = self._write.execute(
                        'INSERT INTO chunks (ordinal, id, start, "end", sentences, vector, sentence_vectors, '
                        "article_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (*self._chunk_row(new), article.id),
                    )
                    added.append(int(cursor.lastrowid or 0))
                    vectors.append(self.stored_vector(new.vector))
                self._index_keywords(article.id)
            self._log(generation, added, deleted)
        matrix = np.stack(vectors) if vectors else np.empty((0, 0), dtype=np.float32)
        return Commit(generation, np.array(added, dtype=np.int64), matrix, np.array(deleted, dtype=np.int64))

    def staged_ordinals(self, article_id: str, content_hash: str) -> set[int]:
        """Ordinals of the chunks staged for this version of the article (see `stage_chunks`)."""
        with self._read_lock:
            rows = self._read.execute(
                "SELECT ordinal FROM staged_chunks WHERE article_id = ? AND content_hash = ?",
                (article_id, content_hash),
            ).fetchall()
        return {int(r[0]) for r in rows}

    def stage_chunks(self, article_id: str, content_hash: str, chunks: Sequence[NewChunk]) -> None:
        """Keep embedded chunks of a large article, invisible to readers, until
        `commit_staged` (one transaction; chunks staged for another version of the
        article are dropped)."""
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            self._write.execute(
                "DELETE FROM staged_chunks WHERE article_id = ? AND content_hash != ?",
                (article_id, content_hash),
            )
            self._write.executemany(
                'INSERT OR REPLACE INTO staged_chunks (article_id, content_hash, ordinal, id, start, "end", '
                "sentences, vector, sentence_vectors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(article_id, content_hash, *self._chunk_row(new)) for new in chunks],
            )

    def commit_staged(self, article: Article, expected: int) -> Commit:
        """Replace the article by its version whose `expected` chunks are all staged, in
        one transaction (SQLite copies the rows: the caller holds none of them)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        key = (article.id, article.content_hash)
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            staged = self._write.execute(
                "SELECT count(*) FROM staged_chunks WHERE article_id = ? AND content_hash = ?", key
            ).fetchone()[0]
            if staged != expected:
                raise IndexFormatError(
                    f"{article.path or article.id}: {staged} of its {expected} chunks are staged "
                    "(the index was swapped or changed meanwhile); run the indexing again"
                )
            generation = self._next_generation()
            deleted = self._delete_article(article.id)
            self._insert_article(article, now)
            self._write.execute(
                'INSERT INTO chunks (id, article_id, ordinal, start, "end", sentences, vector, sentence_vectors) '
                'SELECT id, article_id, ordinal, start, "end", sentences, vector, sentence_vectors '
                "FROM staged_chunks WHERE article_id = ? AND content_hash = ? ORDER BY ordinal",
                key,
            )
            rows = self._write.execute(
                "SELECT rowid, vector FROM chunks WHERE article_id = ? ORDER BY ordinal", (article.id,)
            ).fetchall()
            self._index_keywords(article.id)
            self._write.execute("DELETE FROM staged_chunks WHERE article_id = ?", (article.id,))
            added = [int(r[0]) for r in rows]
            self._log(generation, added, deleted)
        matrix = self.decode_vectors(b"".join(r[1] for r in rows), len(rows))
        return Commit(generation, np.array(added, dtype=np.int64), matrix, np.array(deleted, dtype=np.int64))

    def drop_staged(self) -> int:
        """Forget every staged chunk (of runs that will not finish them); how many."""
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            return int(self._write.execute("DELETE FROM staged_chunks").rowcount)

    def staged_count(self) -> int:
        with self._read_lock:
            return int(self._read.execute("SELECT count(*) FROM staged_chunks").fetchone()[0])

    def delete_article(self, article_id: str) -> Commit | None:
        """Remove an article and its chunks; None when there was no such article."""
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            exists = self._write.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone()
            if not exists:
                return None
            generation = self._next_generation()
            deleted = self._delete_article(article_id)
            self._write.execute("DELETE FROM staged_chunks WHERE article_id = ?", (article_id,))
            self._log(generation, [], deleted)
        return Commit(
            generation, np.array([], np.int64), np.empty((0, 0), np.float32), np.array(deleted, np.int64)
        )

    def rename_article(self, old_id: str, new_id: str, path: str | None, origin: str | None) -> int:
        """Give an article a new id (a moved file, or an id of the old scheme), keeping its
        chunks and vectors: chunk rows and vector ids do not change. Returns the generation."""
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            generation = self._next_generation()
            if old_id == new_id:  # the same article found elsewhere: only where it is changes
                self._write.execute(
                    "UPDATE articles SET path = ?, origin = ? WHERE id = ?", (path, origin, old_id)
                )
                return generation
            others = "title, text, url, source, author, published, content_hash, added_at"
            self._write.execute(
                f"INSERT INTO articles (id, path, origin, {others}) SELECT ?, ?, ?, {others} FROM articles WHERE id = ?",
                (new_id, path, origin, old_id),
            )
            self._write.execute(
                "UPDATE chunks SET article_id = ?, id = ? || '#' || ordinal WHERE article_id = ?",
                (new_id, new_id, old_id),
            )
            for table in ("stories", "story_bands"):
                self._write.execute(
                    f"UPDATE {table} SET article_id = ? WHERE article_id = ?", (new_id, old_id)
                )
            self._write.execute("DELETE FROM articles WHERE id = ?", (old_id,))
        return generation

    def note_in_set(self, key: str, value: str) -> None:
        """Add `value` to the comma-separated set kept in meta `key` (e.g. the precisions
        vectors were made in)."""
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            row = self._write.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            values = set(filter(None, (row[0] if row else "").split(",")))
            if value not in values:
                joined = ",".join(sorted(values | {value}))
                self._write.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, joined))

    def prune_changes(self, upto: int) -> None:
        """Forget the log up to generation `upto` (a saved vector file reflects it)."""
        with self._write_lock, self._write:
            self._write.execute("BEGIN IMMEDIATE")
            current = int(
                self._write.execute("SELECT value FROM meta WHERE key = 'changes_from'").fetchone()[0]
            )
            if upto <= current:
                return
            self._write.execute("DELETE FROM changes WHERE generation <= ?", (upto,))
            self._write.execute("UPDATE meta SET value = ? WHERE key = 'changes_from'", (str(upto),))

    def _insert_article(self, article: Article, now: str) -> None:
        self._write.execute(
            f"INSERT INTO articles ({ARTICLE_COLUMNS}, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                article.title,
                article.text,
                article.url,
                article.source,
                article.author,
                article.published,
                article.path,
                article.content_hash,
                article.origin,
                now,
            ),
        )
        self._place_story(article)

    def _place_story(self, article: Article) -> None:
        """Give a newly written article its story: that of the most similar earlier article
        when their shingles' estimated Jaccard similarity is at least `SAME_STORY`, else a
        story of its own (a label no earlier story has)."""
        sig = signature(article.text)
        if sig is None:  # too short to match: its own story, no row
            return
        keys = band_keys(sig)
        rows = self._write.execute(
            "SELECT DISTINCT s.article_id, s.story, s.signature FROM story_bands b "
            f"JOIN stories s ON s.article_id = b.article_id WHERE b.key IN ({','.join('?' * len(keys))}) "
            "AND b.article_id != ?",
            (*keys, article.id),
        ).fetchall()
        scored = [(similarity(sig, np.frombuffer(blob, np.uint32)), story) for _, story, blob in rows]
        best, story = max(scored, default=(0.0, ""))
        if best < SAME_STORY:
            story = f"{article.id}@{article.content_hash[:12]}"
        self._write.execute("INSERT INTO stories VALUES (?, ?, ?)", (article.id, story, sig.tobytes()))
        self._write.executemany("INSERT INTO story_bands VALUES (?, ?)", [(key, article.id) for key in keys])

    def _chunk_row(self, new: NewChunk) -> tuple[Any, ...]:
        """(ordinal, id, start, end, sentences, vector, sentence vectors) as stored."""
        return (
            new.chunk.ordinal,
            new.chunk.id,
            new.chunk.start,
            new.chunk.end,
            json.dumps([[s.start, s.end] for s in new.sentences]),
            np.asarray(new.vector).astype(self.passage_dtype).tobytes(),
            self.encode_sentences(new.sentence_vectors),
        )

    def _next_generation(self) -> int:
        self._write.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        return int(self._write.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def _log(self, generation: int, added: Sequence[int], deleted: Sequence[int]) -> None:
        rows = [(generation, r, DELETED) for r in deleted] + [(generation, r, ADDED) for r in added]
        self._write.executemany("INSERT INTO changes (generation, chunk, op) VALUES (?, ?, ?)", rows)

    def _index_keywords(self, article_id: str) -> None:
        """Give FTS5 the title and text of the article's chunks, read from the rows just
        written: the one expression `_delete_article` gives it again (contentless FTS5)."""
        self._write.execute(
            f"INSERT INTO chunks_fts (rowid, title, text) SELECT {_FTS_ROW} WHERE c.article_id = ?",
            (article_id,),
        )

    def _delete_article(self, article_id: str) -> list[int]:
        rowids = [
            r[0] for r in self._write.execute("SELECT rowid FROM chunks WHERE article_id = ?", (article_id,))
        ]
        if self.fts_contentless:  # FTS5 removes a row's words when told them again
            self._write.execute(
                f"INSERT INTO chunks_fts (chunks_fts, rowid, title, text) SELECT 'delete', {_FTS_ROW} "
                "WHERE c.article_id = ?",
                (article_id,),
            )
        else:
            self._write.executemany("DELETE FROM chunks_fts WHERE rowid = ?", [(r,) for r in rowids])
        self._write.execute("DELETE FROM chunks WHERE article_id = ?", (article_id,))
        self._write.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return rowids


def is_contentless(schema: str) -> bool:
    """Whether the FTS5 table created by `schema` keeps no copy of the text (`content=''`)."""
    return "content=''" in "".join(schema.split()).lower()


_FTS_ROW = (
    'c.rowid, a.title, substr(a.text, c.start + 1, c."end" - c.start) FROM chunks c '
    "JOIN articles a ON a.id = c.article_id"
)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # before WAL: only a new, empty file takes it
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")  # pages read in place, not copied
    db.isolation_level = "DEFERRED"  # `with db:` opens and commits one transaction
    return db
