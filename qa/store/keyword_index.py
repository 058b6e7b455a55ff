"""Keyword search that stays fast at millions of chunks: a Tantivy BM25 index of the chunks'
titles and texts, derived from the docstore.

SQLite's FTS5 scores every chunk that matches a kept term before it sorts them, so a search
costs what its terms' posting lists cost (p95 150 ms at 1M chunks). Tantivy computes the
top k with block-max WAND and skips the blocks that cannot enter it (p95 7 ms there).

The docstore stays the one source of truth. This index is written only by the index's single
writer, after each docstore commit, from what that commit changed; the docstore generation it
holds is written beside it (`generation`) after Tantivy's own commit, so a crash between the
two leaves it behind, never ahead. Opening for writing catches up from the docstore's change
log (re-applying a change is harmless: a chunk's old document is deleted before it is added
again), or rebuilds from every chunk when the log does not reach back far enough.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

FOLDER = "keyword"
TITLE_BOOST = 0.5  # a title word counts half a body word (as FTS5's bm25(0.5, 1.0) did)
TOKENIZER = "qa_english"
WRITER_HEAP = 64 * 2**20  # Tantivy's indexing buffer
_WORD = re.compile(r"[^\W_]+")
ChunkTexts = Callable[[Sequence[int]], Iterable[tuple[int, str, str]]]  # rowids -> (rowid, title, text)


class KeywordIndexOutdated(Exception):
    """The keyword index on disk was made with another schema (an older article-qa)."""


class KeywordIndex:
    """The Tantivy index in `folder` (made if missing); `generation` is the docstore
    generation whose chunks it holds. Raises `KeywordIndexOutdated` for an index of another
    schema: a writer removes it and builds it again (`remove`), a reader does without."""

    def __init__(self, folder: Path) -> None:
        import tantivy

        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self._tantivy = tantivy
        schema = _schema(tantivy)
        try:
            self._index = tantivy.Index(schema, path=str(folder), reuse=True)
        except ValueError as error:
            if "schema does not match" in str(error):
                raise KeywordIndexOutdated(f"{folder}: {error}") from error
            raise
        self._index.register_tokenizer(TOKENIZER, _analyzer(tantivy))
        self._seen_generation = -1
        self._searcher: Any = None

    @property
    def generation(self) -> int:
        try:
            return int((self.folder / "generation").read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return 0

    def _set_generation(self, generation: int) -> None:
        tmp = self.folder / ".generation.tmp"
        tmp.write_text(str(generation), encoding="utf-8")
        os.replace(tmp, self.folder / "generation")

    # ---- writing (the index's single writer only) ------------------------------------
    def apply(
        self,
        generation: int,
        added: Sequence[int],
        deleted: Sequence[int],
        texts: ChunkTexts,
        batch: int = 5000,
    ) -> None:
        """Make the index hold the docstore at `generation`, given the chunk rows added and
        deleted since the generation it holds, and a reader of chunk texts by rowid."""
        self._write(generation, added, texts, batch, deleted=deleted)

    def rebuild(self, generation: int, rowids: Sequence[int], texts: ChunkTexts, batch: int = 5000) -> None:
        """Hold exactly the chunks `rowids` (every chunk of the docstore at `generation`)."""
        self._write(generation, rowids, texts, batch, everything=True)

    def _write(
        self,
        generation: int,
        added: Sequence[int],
        texts: ChunkTexts,
        batch: int,
        deleted: Sequence[int] = (),
        everything: bool = False,
    ) -> None:
        """One Tantivy commit: drop the documents of `deleted` and `added` (or, with
        `everything`, all), add `added`'s texts, then record `generation`."""
        writer = self._index.writer(heap_size=WRITER_HEAP, num_threads=1)
        try:
            if everything:
                writer.delete_all_documents()
            else:
                for rowid in (*deleted, *added):
                    writer.delete_documents_by_term("rowid", int(rowid))
            for start in range(0, len(added), batch):
                for rowid, title, text in texts(list(added[start : start + batch])):
                    writer.add_document(self._document(rowid, title, text))
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        self._set_generation(generation)

    def catch_up(self, docstore: Any, wait: bool = True) -> str | None:
        """Bring the index to the docstore's generation: from its change log, or by a rebuild
        when the log does not reach back (or the index is ahead: a docstore put back from a
        copy). One process at a time (a lock file in the folder); with `wait` False, None at
        once when another is at it. What was done, or None when nothing was."""
        with _exclusive(self.folder / ".catch-up.lock", wait) as locked:
            if not locked:
                return None
            now = docstore.generation()
            held = self.generation
            if held == now:
                return None
            changes = docstore.changes_since(held) if held < now else None
            if changes is None:
                generation, rowids = docstore.generation_and_rowids()
                self.rebuild(generation, rowids, docstore.chunk_texts)
                return f"rebuilt the keyword index ({len(rowids)} chunks)"
            generation, added, deleted = changes
            self.apply(generation, added.tolist(), deleted.tolist(), docstore.chunk_texts)
            return f"caught up the keyword index by {generation - held} generation(s)"

    def _document(self, rowid: int, title: str, text: str) -> Any:
        document = self._tantivy.Document()
        document.add_integer("rowid", int(rowid))
        document.add_text("title", title)
        document.add_text("text", text)
        return document

    # ---- reading ---------------------------------------------------------------------
    def search(self, terms: Sequence[str], n: int, allowed: np.ndarray | None = None) -> list[int]:
        """Chunk rowids ranked by BM25 over `terms` (the question's kept content terms, any
        of which may match), best first; only rowids in `allowed` when it is given."""
        if not terms or n <= 0:
            return []
        tantivy = self._tantivy
        query = self._index.parse_query(
            " OR ".join(_literal(term) for term in terms),
            ["title", "text"],
            field_boosts={"title": TITLE_BOOST, "text": 1.0},
        )
        if allowed is not None:
            if len(allowed) == 0:
                return []
            only = tantivy.Query.term_set_query(self._index.schema, "rowid", [int(r) for r in allowed])
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, only)])
        searcher = self._current_searcher()
        hits = searcher.search(query, n, count=False).hits
        if not hits:
            return []
        return [int(r) for r in searcher.fast_field_values("rowid", [address for _, address in hits])]

    def document_count(self) -> int:
        return int(self._current_searcher().num_docs)

    def _current_searcher(self) -> Any:
        generation = self.generation
        if self._searcher is None or generation != self._seen_generation:
            self._index.reload()
            self._searcher = self._index.searcher()
            self._seen_generation = generation
        return self._searcher


@contextlib.contextmanager
def _exclusive(path: Path, wait: bool) -> Iterator[bool]:
    """Hold an exclusive lock on `path`; yields False (holding nothing) when `wait` is
    False and another process holds it."""
    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _analyzer(tantivy: Any) -> Any:
    """Words of letters and digits, lower case, accents folded ("Stürmer" is "sturmer", as
    FTS5's unicode61 tokenizer folds them), English stems."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer("english"))
        .build()
    )


def _schema(tantivy: Any) -> Any:
    builder = tantivy.SchemaBuilder()
    # a signed field: Python ints are deleted by term as i64 (an unsigned field never matched)
    builder.add_integer_field("rowid", stored=False, indexed=True, fast=True)
    # frequencies without positions: BM25 needs no more
    builder.add_text_field("title", stored=False, tokenizer_name=TOKENIZER, index_option="freq")
    builder.add_text_field("text", stored=False, tokenizer_name=TOKENIZER, index_option="freq")
    return builder.build()


def _literal(term: str) -> str:
    """A term as query-language words: letters and digits only, lower case (so that no
    character is syntax and "OR" is never an operator)."""
    return " ".join(_WORD.findall(term.lower())) or "_"


def remove(folder: Path) -> None:
    """Delete a keyword index (it is derived: built again from the docstore)."""
    shutil.rmtree(folder, ignore_errors=True)
