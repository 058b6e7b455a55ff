"""The docstore's storage layout: new indexes (layout 3) keep float16 passage vectors, int8
sentence codes packed in 5 bits, a contentless FTS5 table (no second copy of the text) and 64 KiB
pages, and score exactly as int8 did; indexes written in the older layouts (1: float32,
int8, FTS5 with its own copy; 2: 2-bit sentence codes) still open, answer and take changes
in their own layout."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from qa.answering.extractive import ExtractiveAnswerer
from qa.answering.retrieval import dense_similarities
from qa.errors import IndexFormatError
from qa.index import Index
from qa.store.codes import (
    decode_2bit,
    decode_sentence_batch,
    decode_sentence_vectors,
    encode_2bit,
    encode_sentence_vectors,
    pack_int8,
    unpack_int8,
)
from qa.store.identity import IndexIdentity
from qa.store.keyword import fts_query
from qa.types import Article

DATA = Path(__file__).parent / "data"


def article(article_id: str, title: str, body: str) -> Article:
    return Article(article_id, title, body, content_hash=str(hash(body)))


WIND = article(
    "wind",
    "Offshore wind farm approved",
    "The council approved the Zephyrwind offshore farm on Monday. Its forty turbines will "
    "stand twelve kilometres from the coast. Fishermen said the cables cross their grounds.",
)
FERRY = article(
    "ferry",
    "Ferry timetable changes",
    "The harbour ferry will sail every twenty minutes from May. The operator blamed the "
    "old timetable on a shortage of crews.",
)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("layout") / "index"
    with Index.open(path) as index:
        index.add([DATA / "council-budget.md", DATA / "science-brief.json"])
        index.add_articles([WIND, FERRY])
    return path


@pytest.fixture()
def index_dir(small_index: Path, tmp_path: Path) -> Path:
    target = tmp_path / "index"
    shutil.copytree(small_index, target)
    return target


def fts5(index: Index, *terms: str) -> list[int]:
    """Rowids FTS5 itself finds for any of `terms` (not Tantivy, which searches first)."""
    return index.store.docstore.keyword_search(fts_query(list(terms)), 10)


def rowids_of(index: Index, article_id: str) -> set[int]:
    db = index.store.docstore._read
    return {r[0] for r in db.execute("SELECT rowid FROM chunks WHERE article_id = ?", (article_id,))}


def fts_integrity(folder: Path) -> None:
    with sqlite3.connect(folder / "docstore.sqlite") as db:
        db.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('integrity-check')")


def test_a_new_index_stores_no_second_copy_and_records_its_layout(index_dir: Path) -> None:
    with sqlite3.connect(index_dir / "docstore.sqlite") as db:
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_schema")}
        (vector,) = db.execute("SELECT vector FROM chunks LIMIT 1").fetchone()
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
    assert (meta["storage"], meta["passage_vectors"], meta["sentence_vectors"]) == (
        "3",
        "float16",
        "int8-packed",
    )
    assert "chunks_fts_content" not in tables and "chunks_fts_data" in tables
    assert len(vector) == 384 * 2 and page_size == 65536
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["storage"] == {
        "layout": 3,
        "passage_vectors": "float16",
        "sentence_vectors": "int8-packed",
        "keyword_text": "none",
        "page_bytes": 65536,
    }
    with Index.open(index_dir, create=False) as index:
        assert index.store.identity.storage == 3 and index.consistency_problems() == []
        assert index.store.vectors.kind == "flat"
        # the vector cache holds exactly what the docstore gives back (float16 rounded)
        ids, stored = index.store.docstore.chunk_vectors(sorted(rowids_of(index, "wind")), 384)
        for rowid, vector in zip(ids, stored, strict=True):
            assert index.store.dense_search(vector, 1)[0] == (rowid, pytest.approx(1.0, abs=1e-3))


def test_sentence_codes_are_int8s_numbers_in_fewer_bytes(index_dir: Path) -> None:
    with sqlite3.connect(index_dir / "docstore.sqlite") as db:
        blobs = [r[0] for r in db.execute("SELECT sentence_vectors FROM chunks")]
    # codes far outside what 5 bits hold, a long chunk (positions past 65,535) and an odd size
    rng = np.random.default_rng(2)
    for count, dim in ((3, 384), (200, 384), (3, 5)):
        codes = np.clip(rng.normal(0, 12, (count, dim)), -127, 127).round().astype(np.int8)
        codes[0, :2] = (-127, 127)
        unpacked, counts = unpack_int8([pack_int8(codes), pack_int8(codes[:0]), pack_int8(codes)], dim)
        assert counts.tolist() == [count, 0, count]
        assert np.array_equal(unpacked, np.concatenate([codes, codes]))
    for blob in blobs:
        vectors = decode_sentence_vectors(blob, 384, "int8-packed")
        assert encode_sentence_vectors(vectors, "int8-packed") == blob  # stable
        int8 = encode_sentence_vectors(vectors, "int8")
        assert np.array_equal(decode_sentence_vectors(int8, 384, "int8"), vectors)
        assert len(blob) < 0.75 * len(int8)


@pytest.mark.parametrize("dtype", ["int8-packed", "int8", "2bit", "float16"])
def test_candidates_decode_in_one_go_as_one_by_one(dtype: str) -> None:
    rng = np.random.default_rng(1)
    chunks = [rng.normal(size=(n, 384)).astype(np.float32) for n in (3, 0, 1, 7)]
    chunks = [c / np.linalg.norm(c, axis=1, keepdims=True) for c in chunks]
    blobs = [encode_sentence_vectors(c, dtype) for c in chunks]
    matrix, counts = decode_sentence_batch(blobs, 384, dtype)
    assert counts.tolist() == [3, 0, 1, 7] and matrix.dtype == np.float32
    one_by_one = [decode_sentence_vectors(b, 384, dtype).astype(np.float32) for b in blobs]
    assert np.array_equal(matrix, np.concatenate(one_by_one))
    # and retrieval's scores of them, all at once, are each passage's on its own
    query, passages = chunks[3][0], rng.normal(size=(4, 384)).astype(np.float32)
    scores = dense_similarities(query, passages, matrix, counts)
    for score, passage, sentences in zip(scores, passages, one_by_one, strict=True):
        best = float((sentences @ query).max()) if len(sentences) else 0.0
        assert score == pytest.approx(0.5 * float(passage @ query) + 0.5 * best, abs=1e-6)


def test_contentless_keywords_follow_changed_and_removed_articles(index_dir: Path) -> None:
    with Index.open(index_dir) as index:
        wind = rowids_of(index, "wind")
        assert set(fts5(index, "zephyrwind")) <= wind and fts5(index, "zephyrwind")
        assert set(fts5(index, "offshore")) == wind  # the title is indexed with every chunk
        assert index.document_frequencies(["zephyrwind"]) == {"zephyrwind": 1}

        changed = article("wind", "Offshore wind farm rejected", "The Quokkafield farm was rejected.")
        index.add_articles([changed])
        assert fts5(index, "zephyrwind") == []  # the old words are gone
        assert not set(fts5(index, "turbines", "approved", "fishermen")) & (wind | rowids_of(index, "wind"))
        assert fts5(index, "quokkafield") == fts5(index, "rejected") == sorted(rowids_of(index, "wind"))
        assert index.document_frequencies(["zephyrwind", "turbin"]) == {}
        assert index.search("Quokkafield farm", k=1)[0].article.id == "wind"

        assert index.remove("wind")
        assert fts5(index, "quokkafield", "offshore") == []
        assert fts5(index, "ferry") == sorted(rowids_of(index, "ferry"))  # others untouched
        assert index.consistency_problems() == []
        hits = index.search("When will the harbour ferry sail?", k=2)
        assert hits[0].article.id == "ferry"
        fts5_terms = ["harbour", "ferry", "sail"]  # Tantivy, caught up, ranks as FTS5 does
        assert index.store.keyword_search(fts5_terms, 3)[:1] == fts5(index, *fts5_terms)[:1]
    fts_integrity(index_dir)


def with_pages_of(folder: Path, page_size: int) -> None:
    """Rewrite the docstore at `folder` with pages of `page_size` bytes (older layouts: 4 KiB)."""
    db = sqlite3.connect(folder / "docstore.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode = DELETE")
    db.execute(f"PRAGMA page_size = {page_size}")
    db.execute("VACUUM")
    db.execute("PRAGMA journal_mode = WAL")
    db.close()


def recode_sentences(db: sqlite3.Connection, dtype: str) -> None:
    rows = db.execute("SELECT rowid, sentence_vectors FROM chunks").fetchall()
    for rowid, blob in rows:
        vectors = decode_sentence_vectors(blob, 384, "int8-packed")
        db.execute(
            "UPDATE chunks SET sentence_vectors = ? WHERE rowid = ?",
            (encode_sentence_vectors(vectors, dtype), rowid),
        )


def make_old_layout(folder: Path) -> None:
    """Turn the index at `folder` into one as the version before layouts wrote it: float32
    passage vectors, int8 sentence vectors, FTS5 with its own copy of title and text, 4 KiB
    pages, no layout in its meta and the fingerprint of then; its derived files are dropped."""
    with sqlite3.connect(folder / "docstore.sqlite") as db:
        recode_sentences(db, "int8")
        rows = db.execute("SELECT rowid, vector FROM chunks").fetchall()
        for rowid, vector in rows:
            wide = np.frombuffer(vector, np.float16).astype(np.float32).tobytes()
            db.execute("UPDATE chunks SET vector = ? WHERE rowid = ?", (wide, rowid))
        db.execute("DROP TABLE chunks_fts")
        db.execute(
            "CREATE VIRTUAL TABLE chunks_fts USING fts5(title, text, "
            "tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        db.execute(
            'INSERT INTO chunks_fts (rowid, title, text) SELECT c.rowid, a.title, substr(a.text, c.start + 1, c."end" - c.start) '
            "FROM chunks c JOIN articles a ON a.id = c.article_id"
        )
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        old = IndexIdentity.recorded({**meta, "storage": "1"})
        db.execute("DELETE FROM meta WHERE key IN ('storage', 'passage_vectors')")
        db.execute("UPDATE meta SET value = 'int8' WHERE key = 'sentence_vectors'")
        db.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (old.fingerprint,))
    db.close()
    _as_written_then(folder)


def _as_written_then(folder: Path) -> None:
    """4 KiB pages, as every docstore had before layout 3, and no derived files (the
    manifest and the vector index are rebuilt from the docstore on open)."""
    with_pages_of(folder, 4096)
    for name in ("manifest.json", "vectors.faiss", "vectors.faiss.deleted.npy"):
        (folder / name).unlink(missing_ok=True)


def make_layout_2(folder: Path) -> None:
    """Turn the index at `folder` into one of storage layout 2 (made between f9d0a24 and
    layout 3, never released): 2-bit sentence codes, 4 KiB pages."""
    with sqlite3.connect(folder / "docstore.sqlite") as db:
        recode_sentences(db, "2bit")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        layout_2 = IndexIdentity.recorded({**meta, "storage": "2"})
        db.execute("UPDATE meta SET value = '2' WHERE key = 'storage'")
        db.execute("UPDATE meta SET value = '2bit' WHERE key = 'sentence_vectors'")
        db.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (layout_2.fingerprint,))
    db.close()
    _as_written_then(folder)


def test_an_index_of_the_older_layout_opens_answers_and_stays_in_it(index_dir: Path) -> None:
    from qa.pipeline import QA

    make_old_layout(index_dir)
    with Index.open(index_dir) as index:
        assert index.store.identity.storage == 1
        assert index.store.docstore.fts_contentless is False
        assert index.consistency_problems() == []
        assert index.search("Zephyrwind turbines", k=1)[0].article.id == "wind"
        answer = QA(index).answer("How many turbines will the offshore farm have?")
        assert not answer.abstained and answer.citations[0].article_id == "wind"

        index.add_articles(
            [article("wind", "Offshore wind farm rejected", "The Quokkafield farm was rejected.")]
        )
        index.remove("ferry")
        assert fts5(index, "zephyrwind", "ferry") == []
        assert fts5(index, "quokkafield") == sorted(rowids_of(index, "wind"))
        assert index.consistency_problems() == []
        db = index.store.docstore._read
        (vector, sentences) = db.execute(
            "SELECT vector, sentence_vectors FROM chunks WHERE article_id = 'wind'"
        ).fetchone()
        assert len(vector) == 384 * 4 and len(sentences) == 384  # one sentence, int8: its own layout
        assert index.store.docstore.page_size == 4096
        assert db.execute("SELECT count(*) FROM chunks_fts_content").fetchone()[0] == index.counts()["chunks"]
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["storage"]["layout"] == 1 and manifest["storage"]["keyword_text"] == "copy"
    fts_integrity(index_dir)


def test_an_index_of_layout_2_opens_answers_and_stays_in_it(index_dir: Path) -> None:
    from qa.pipeline import QA

    make_layout_2(index_dir)
    with Index.open(index_dir) as index:
        assert index.store.identity.storage == 2 and index.store.docstore.sentence_dtype == "2bit"
        assert index.consistency_problems() == []
        answer = QA(index).answer("How many turbines will the offshore farm have?")
        assert not answer.abstained and answer.citations[0].article_id == "wind"
        index.add_articles(
            [article("wind", "Offshore wind farm rejected", "The Quokkafield farm was rejected.")]
        )
        (sentences,) = index.store.docstore._read.execute(
            "SELECT sentence_vectors FROM chunks WHERE article_id = 'wind'"
        ).fetchone()
        assert len(sentences) == 4 + 2 * 48  # one sentence, 2-bit: its own layout
        assert index.search("Quokkafield farm", k=1)[0].article.id == "wind"
        assert index.consistency_problems() == []
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["storage"]["layout"] == 2 and manifest["storage"]["page_bytes"] == 4096
    fts_integrity(index_dir)


def test_retrieval_scores_as_with_int8_sentence_vectors(index_dir: Path, tmp_path: Path) -> None:
    old_dir = tmp_path / "old"
    shutil.copytree(index_dir, old_dir)
    make_old_layout(old_dir)  # the same chunks with int8 sentence vectors, float32 passages
    questions = [
        "How many turbines will the offshore farm have?",
        "How far from the coast will the turbines stand?",
        "Who said the cables cross their grounds?",
        "How often will the harbour ferry sail?",
        "What did the operator blame the old timetable on?",
    ]
    found = []
    for folder in (index_dir, old_dir):
        with Index.open(folder) as index:
            answerer = ExtractiveAnswerer(lambda stems: dict.fromkeys(stems, 1.0))
            retrievals = [index.retrieve(q) for q in questions]
            found.append(
                [
                    (
                        [(p.hit.chunk.id, p.dense_score) for p in r.passages],
                        answerer.answer(q, r).text,
                    )
                    for q, r in zip(questions, retrievals, strict=True)
                ]
            )
    assert found[0] == found[1]  # the same passages, dense scores and sentences


def test_an_index_of_vectors_stored_in_an_unknown_way_is_refused_with_what_to_do(index_dir: Path) -> None:
    with sqlite3.connect(index_dir / "docstore.sqlite") as db:
        db.execute("UPDATE meta SET value = 'int8-deflate' WHERE key = 'sentence_vectors'")
    db.close()
    with pytest.raises(IndexFormatError, match="--rebuild"):
        Index.open(index_dir)


def test_2bit_codes_keep_the_direction_of_a_vector() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(6, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    blob = encode_2bit(vectors)
    assert len(blob) == 6 * (4 + 2 * 48)
    decoded = decode_2bit(blob, 384)
    assert np.allclose(np.linalg.norm(decoded, axis=1), 1.0, atol=1e-5)
    assert float(np.min(np.sum(decoded * vectors, axis=1))) > 0.9
    assert decode_2bit(encode_2bit(np.zeros((0, 384), np.float32)), 384).shape == (0, 384)
