"""The index on disk: SQLite docstore (articles, chunks, vectors, FTS5 keyword index),
a FAISS file derived from it, and `manifest.json`.

SQLite is the single source of truth and every change is one transaction, so a run killed
at any moment leaves the last committed state. The FAISS file is a cache of the vectors in
SQLite, tagged with the docstore generation it reflects; when the tags differ (a killed
run, another process writing) it is brought in step from SQLite before use.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from qa.errors import IndexFormatError, IndexNotFoundError, ModelMismatchError
from qa.types import Article, Chunk, Filters, Sentence

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DOCSTORE = "docstore.sqlite"
VECTORS = "vectors.faiss"
APPROXIMATE_THRESHOLD = int(os.environ.get("QA_ANN_THRESHOLD", "1000000"))
HNSW_M = 32
HNSW_EF_SEARCH = 256

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, url TEXT, source TEXT,
    author TEXT, published TEXT, path TEXT, content_hash TEXT NOT NULL, added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    sentences TEXT NOT NULL, vector BLOB NOT NULL, sentence_vectors BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_article ON chunks(article_id);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    title, text, tokenize = 'porter unicode61 remove_diacritics 2'
);
"""


@dataclass(frozen=True)
class StoredChunk:
    """A chunk as read back: the chunk, its article, its sentences and their vectors."""

    rowid: int
    chunk: Chunk
    article: Article
    sentences: tuple[Sentence, ...]
    sentence_vectors: np.ndarray


@dataclass(frozen=True)
class NewChunk:
    """A chunk to write, with its vector and its sentences' vectors."""

    chunk: Chunk
    sentences: tuple[Sentence, ...]
    vector: np.ndarray
    sentence_vectors: np.ndarray


class Store:
    """SQLite docstore + FAISS vectors + manifest in one folder."""

    def __init__(self, root: Path, model_id: str, dim: int, settings: dict[str, Any]) -> None:
        self.root = root
        self.model_id = model_id
        self.dim = dim
        self.settings = settings
        self._lock = threading.RLock()
        self._db = _connect(root / DOCSTORE)
        self._vectors: Any = None
        self._vector_generation = -1

    # ---- opening -------------------------------------------------------------------
    @classmethod
    def open(
        cls, root: Path, model_id: str, dim: Callable[[], int], settings: dict[str, Any], create: bool
    ) -> Store:
        """Open the index at `root` (creating it when `create`), checking the model.

        `dim` gives the model's dimension; it is called only to create an index, so a
        query-only process need not load the model to open one.
        """
        root = Path(root)
        if not (root / DOCSTORE).exists():
            if not create:
                raise IndexNotFoundError(
                    f"no index at {root}: build one with `qa index PATH --index-dir {root}`"
                )
            root.mkdir(parents=True, exist_ok=True)
        store = cls(root, model_id, 0, settings)
        store._init_meta(model_id, dim)
        return store

    def _init_meta(self, model_id: str, dim: Callable[[], int]) -> None:
        with self._lock:
            # schema and meta rows in one transaction: a kill leaves either nothing or both
            with self._db:
                self._db.execute("BEGIN")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
                if not meta:
                    meta = {
                        "format_version": str(FORMAT_VERSION),
                        "model": model_id,
                        "dim": str(dim()),
                        "generation": "0",
                        "settings": json.dumps(self.settings),
                    }
                if "docstore_id" not in meta:  # tells this docstore's FAISS file from another's
                    meta["docstore_id"] = uuid.uuid4().hex
                self._db.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", list(meta.items()))
            self._db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab USING fts5vocab(main, 'chunks_fts', 'row')"
            )
        if int(meta["format_version"]) != FORMAT_VERSION:
            raise IndexFormatError(
                f"{self.root} has index format {meta['format_version']}, this version reads "
                f"{FORMAT_VERSION}: rebuild it with `qa index PATH --rebuild`"
            )
        if meta["model"] != model_id:
            raise ModelMismatchError(
                f"the index at {self.root} was built with the embedding model {meta['model']!r} "
                f"but {model_id!r} is configured (QA_EMBED_MODEL); set QA_EMBED_MODEL="
                f"{meta['model']} or rebuild the index with `qa index PATH --rebuild`"
            )
        self.dim = int(meta["dim"])
        self.settings = json.loads(meta["settings"])
        self.docstore_id = meta["docstore_id"]
        manifest = read_manifest(self.root)
        if manifest is None or manifest.get("docstore_id") != self.docstore_id:
            self.write_manifest()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ---- reading -------------------------------------------------------------------
    def generation(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0])

    def article_hashes(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT id, content_hash FROM articles").fetchall())

    def get_article(self, article_id: str) -> Article | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
            found = row.fetchone()
        return _article_from_row(found) if found else None

    def list_articles(self) -> list[Article]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY title").fetchall()
        return [_article_from_row(row) for row in rows]

    def counts(self) -> dict[str, int]:
        with self._lock:
            articles = self._db.execute("SELECT count(*) FROM articles").fetchone()[0]
            chunks = self._db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return {"articles": int(articles), "chunks": int(chunks)}

    def load_chunks(self, rowids: Sequence[int]) -> dict[int, StoredChunk]:
        """Chunks by FAISS id (SQLite rowid), with their articles and sentence vectors."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        with self._lock:
            rows = self._db.execute(
                f'SELECT c.rowid, c.id, c.ordinal, c.start, c."end", c.sentences, '
                f"c.sentence_vectors, {_ARTICLE_COLUMNS_A} FROM chunks c "
                f"JOIN articles a ON a.id = c.article_id WHERE c.rowid IN ({marks})",
                [int(r) for r in rowids],
            ).fetchall()
        result = {}
        for row in rows:
            rowid, chunk_id, ordinal, start, end, sentences, blob = row[:7]
            article = _article_from_row(row[7:])
            chunk = Chunk(chunk_id, article.id, ordinal, article.text[start:end], start, end)
            spans = tuple(Sentence(s, e) for s, e in json.loads(sentences))
            vectors = np.frombuffer(blob, dtype=np.float16).reshape(len(spans), self.dim)
            result[rowid] = StoredChunk(rowid, chunk, article, spans, vectors)
        return result

    def candidate_vectors(self, rowids: Sequence[int]) -> dict[int, tuple[str, np.ndarray, np.ndarray]]:
        """(article id, chunk vector, sentence vectors) per rowid: what fusion scores need."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        with self._lock:
            rows = self._db.execute(
                f"SELECT rowid, article_id, vector, sentence_vectors FROM chunks WHERE rowid IN ({marks})",
                [int(r) for r in rowids],
            ).fetchall()
        return {
            rowid: (
                article_id,
                np.frombuffer(vector, dtype=np.float32),
                np.frombuffer(sentences, dtype=np.float16).reshape(-1, self.dim),
            )
            for rowid, article_id, vector, sentences in rows
        }

    def document_frequencies(self, stems: Iterable[str]) -> dict[str, int]:
        """How many chunks contain each (Porter-stemmed) term, from the FTS5 vocabulary."""
        stems = list(stems)
        if not stems:
            return {}
        marks = ",".join("?" * len(stems))
        with self._lock:
            rows = self._db.execute(f"SELECT term, doc FROM temp.chunks_vocab WHERE term IN ({marks})", stems)
            return {term: int(doc) for term, doc in rows.fetchall()}

    def allowed_rowids(self, filters: Filters) -> np.ndarray:
        """FAISS ids of the chunks whose articles pass `filters`."""
        where, params = filter_sql(filters, "a")
        with self._lock:
            rows = self._db.execute(
                f"SELECT c.rowid FROM chunks c JOIN articles a ON a.id = c.article_id WHERE {where}",
                params,
            ).fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64)

    def keyword_search(self, match: str, n: int, filters: Filters | None = None) -> list[int]:
        """Chunk rowids ranked by FTS5 BM25 (title weighted above body) for `match`."""
        where, params = filter_sql(filters or Filters(), "a")
        join = (
            ""
            if where == "1"
            else (" JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN articles a ON a.id = c.article_id")
        )
        sql = (
            f"SELECT chunks_fts.rowid FROM chunks_fts{join} WHERE chunks_fts MATCH ? AND {where} "
            "ORDER BY bm25(chunks_fts, 0.5, 1.0) LIMIT ?"
        )
        with self._lock:
            try:
                rows = self._db.execute(sql, [match, *params, n]).fetchall()
            except sqlite3.OperationalError:
                return []  # a query FTS5 cannot parse finds nothing rather than failing
        return [r[0] for r in rows]

    def dense_search(
        self, query: np.ndarray, n: int, allowed: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(rowid, cosine) of the `n` nearest chunks, optionally only among `allowed` ids."""
        import faiss

        with self._lock:
            index = self.vectors()
            if index.ntotal == 0 or (allowed is not None and len(allowed) == 0):
                return []
            params: Any = None
            if allowed is not None:
                selector = faiss.IDSelectorBatch(allowed)
                if _is_hnsw(index):
                    params = faiss.SearchParametersHNSW(sel=selector, efSearch=HNSW_EF_SEARCH)  # type: ignore[attr-defined]
                else:
                    params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            scores, ids = index.search(query.reshape(1, -1).astype(np.float32), n, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    # ---- writing -------------------------------------------------------------------
    def write_articles(self, items: Iterable[tuple[Article, Sequence[NewChunk]]]) -> None:
        """Insert or replace articles with their chunks in one transaction."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock, self._db:
            for article, chunks in items:
                self._delete_article(article.id)
                self._db.execute(
                    "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                        now,
                    ),
                )
                for new in chunks:
                    cursor = self._db.execute(
                        'INSERT INTO chunks (id, article_id, ordinal, start, "end", sentences, '
                        "vector, sentence_vectors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            new.chunk.id,
                            article.id,
                            new.chunk.ordinal,
                            new.chunk.start,
                            new.chunk.end,
                            json.dumps([[s.start, s.end] for s in new.sentences]),
                            new.vector.astype(np.float32).tobytes(),
                            new.sentence_vectors.astype(np.float16).tobytes(),
                        ),
                    )
                    self._db.execute(
                        "INSERT INTO chunks_fts (rowid, title, text) VALUES (?, ?, ?)",
                        (cursor.lastrowid, article.title, new.chunk.text),
                    )
            self._bump_generation()

    def delete_article(self, article_id: str) -> bool:
        """Remove an article and its chunks; False when there was no such article."""
        with self._lock, self._db:
            found = self._delete_article(article_id)
            if found:
                self._bump_generation()
        return found

    def _delete_article(self, article_id: str) -> bool:
        rowids = [
            r[0] for r in self._db.execute("SELECT rowid FROM chunks WHERE article_id = ?", (article_id,))
        ]
        self._db.executemany("DELETE FROM chunks_fts WHERE rowid = ?", [(r,) for r in rowids])
        self._db.execute("DELETE FROM chunks WHERE article_id = ?", (article_id,))
        return self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount > 0

    def _bump_generation(self) -> None:
        self._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    # ---- vectors -------------------------------------------------------------------
    def vectors(self) -> Any:
        """The FAISS index, in step with the docstore (loaded or synced when stale)."""
        with self._lock:
            generation = self.generation()
            if self._vectors is None:
                self._vectors, self._vector_generation = self._read_vector_file()
            if self._vector_generation != generation:
                self._sync_vectors()
                self._vector_generation = generation
            return self._vectors

    def save_vectors(self) -> None:
        """Write the FAISS file and the manifest atomically (temp file, then rename)."""
        import faiss

        with self._lock:
            index = self.vectors()
            tmp = _temp_path(self.root, VECTORS)
            faiss.write_index(index, str(tmp))
            _fsync_replace(tmp, self.root / VECTORS)
            self.write_manifest()

    def _read_vector_file(self) -> tuple[Any, int]:
        import faiss

        manifest = read_manifest(self.root) or {}
        path = self.root / VECTORS
        if path.exists() and manifest.get("docstore_id") == self.docstore_id:  # not another docstore's
            try:
                index = faiss.read_index(str(path))
                if index.d == self.dim:
                    return index, int(manifest.get("vectors", {}).get("generation", -1))
            except RuntimeError:
                pass  # a damaged cache is rebuilt from the docstore below
        return _new_vector_index(self.dim, 0), -1

    def _sync_vectors(self) -> None:
        """Bring the FAISS index to exactly the docstore's chunk ids, adding and removing."""
        import faiss

        db_ids = np.array([r[0] for r in self._db.execute("SELECT rowid FROM chunks")], dtype=np.int64)
        index = self._vectors
        have = (
            faiss.vector_to_array(index.id_map).astype(np.int64) if index.ntotal else np.array([], np.int64)
        )
        stale = np.setdiff1d(have, db_ids)
        want_hnsw = len(db_ids) >= APPROXIMATE_THRESHOLD
        if want_hnsw != _is_hnsw(index) or (len(stale) and _is_hnsw(index)):
            index = self._vectors = _new_vector_index(self.dim, len(db_ids))
            have = np.array([], np.int64)
        elif len(stale):
            index.remove_ids(stale)
        missing = np.setdiff1d(db_ids, have)
        for start in range(0, len(missing), 4096):
            batch = [int(i) for i in missing[start : start + 4096]]
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(f"SELECT rowid, vector FROM chunks WHERE rowid IN ({marks})", batch)
            ids, blobs = zip(*rows.fetchall(), strict=True)
            matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), self.dim)
            index.add_with_ids(matrix, np.array(ids, dtype=np.int64))

    def consistency_problems(self) -> list[str]:
        """Empty when every vector has its chunk and the reverse, every chunk its keyword
        row and article, and every article its chunks."""
        import faiss

        with self._lock:
            index = self.vectors()
            chunk_ids = {r[0] for r in self._db.execute("SELECT rowid FROM chunks")}
            fts_ids = {r[0] for r in self._db.execute("SELECT rowid FROM chunks_fts")}
            orphans = self._db.execute(
                "SELECT count(*) FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)"
            ).fetchone()[0]
            empty = self._db.execute(
                "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM chunks)"
            ).fetchone()[0]
        vector_ids = set(faiss.vector_to_array(index.id_map).tolist()) if index.ntotal else set()
        problems = []
        if vector_ids != chunk_ids:
            problems.append(
                f"{len(vector_ids - chunk_ids)} vectors without chunk, {len(chunk_ids - vector_ids)} chunks without vector"
            )
        if fts_ids != chunk_ids:
            problems.append(f"keyword index out of step: {len(fts_ids ^ chunk_ids)} rows differ")
        if orphans:
            problems.append(f"{orphans} chunks without article")
        if empty:
            problems.append(f"{empty} articles without chunks")
        return problems

    # ---- manifest ------------------------------------------------------------------
    def write_manifest(self) -> None:
        with self._lock:
            counts = self.counts()
            data = {
                "format_version": FORMAT_VERSION,
                "docstore_id": self.docstore_id,
                "embedding": {"model": self.model_id, "dim": self.dim},
                "settings": self.settings,
                "counts": counts,
                "vectors": {
                    "kind": "hnsw" if self._vectors is not None and _is_hnsw(self._vectors) else "flat",
                    "generation": self._vector_generation if self._vectors is not None else -1,
                },
                "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            }
        tmp = _temp_path(self.root, MANIFEST)
        tmp.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        _fsync_replace(tmp, self.root / MANIFEST)

    def disk_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.root.glob("*") if p.is_file())


_ARTICLE_FIELDS = ("id", "title", "text", "url", "source", "author", "published", "path", "content_hash")
_ARTICLE_COLUMNS = ", ".join(_ARTICLE_FIELDS)
_ARTICLE_COLUMNS_A = ", ".join(f"a.{f}" for f in _ARTICLE_FIELDS)


def _article_from_row(row: Sequence[Any]) -> Article:
    return Article(**dict(zip(_ARTICLE_FIELDS, row, strict=True)))


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


def read_manifest(root: Path) -> dict[str, Any] | None:
    """The manifest of the index at `root`, or None when there is none yet."""
    path = Path(root) / MANIFEST
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None  # derived from the docstore: a damaged one is written anew
    return data if isinstance(data, dict) else None


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 30000")
    db.isolation_level = "DEFERRED"  # `with db:` opens and commits one transaction
    return db


def _new_vector_index(dim: int, size: int) -> Any:
    import faiss

    if size < APPROXIMATE_THRESHOLD:
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    hnsw = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efSearch = HNSW_EF_SEARCH
    hnsw.hnsw.efConstruction = 80
    return faiss.IndexIDMap2(hnsw)


def _is_hnsw(index: Any) -> bool:
    import faiss

    inner = faiss.downcast_index(index.index) if hasattr(index, "index") else index
    return isinstance(inner, faiss.IndexHNSW)


def _temp_path(root: Path, name: str) -> Path:
    """A fresh temporary file beside `name`: writers in two processes never share one."""
    handle, path = tempfile.mkstemp(dir=root, prefix=f".{name}.", suffix=".tmp")
    os.close(handle)
    return Path(path)


def _fsync_replace(tmp: Path, target: Path) -> None:
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, target)
