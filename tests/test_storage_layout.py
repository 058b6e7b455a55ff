"""The docstore's storage layout: new indexes keep float16 passage vectors, 2-bit sentence
codes and a contentless FTS5 table (no second copy of the text); an index written in the
older layout (float32, int8, FTS5 with its own copy) still opens, answers and takes
changes in its own layout."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from qa.answering.extractive import ExtractiveAnswerer
from qa.index import Index
from qa.store.docstore import encode_2bit
from qa.store.docstore_reads import decode_2bit
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
    assert (meta["storage"], meta["passage_vectors"], meta["sentence_vectors"]) == ("2", "float16", "2bit")
    assert "chunks_fts_content" not in tables and "chunks_fts_data" in tables
    assert len(vector) == 384 * 2
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["storage"] == {
        "layout": 2,
        "passage_vectors": "float16",
        "sentence_vectors": "2bit",
        "keyword_text": "none",
    }
    with Index.open(index_dir, create=False) as index:
        assert index.store.identity.storage == 2 and index.consistency_problems() == []
        # the vector cache holds exactly what the docstore gives back (float16 rounded)
        ids, stored = index.store.docstore.chunk_vectors(sorted(rowids_of(index, "wind")), 384)
        for rowid, vector in zip(ids, stored, strict=True):
            assert index.store.dense_search(vector, 1)[0][0] == rowid


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


def make_old_layout(folder: Path) -> None:
    """Turn the index at `folder` into one as the previous version wrote it: float32
    passage vectors, int8 sentence vectors, FTS5 with its own copy of title and text, no
    layout in its meta and the fingerprint of then; its derived files are dropped."""
    with sqlite3.connect(folder / "docstore.sqlite") as db:
        rows = db.execute("SELECT rowid, vector, sentence_vectors FROM chunks").fetchall()
        for rowid, vector, sentences in rows:
            wide = np.frombuffer(vector, np.float16).astype(np.float32).tobytes()
            int8 = np.round(decode_2bit(sentences, 384) * 127).clip(-127, 127).astype(np.int8).tobytes()
            db.execute(
                "UPDATE chunks SET vector = ?, sentence_vectors = ? WHERE rowid = ?", (wide, int8, rowid)
            )
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
    for name in ("manifest.json", "vectors.faiss", "vectors.faiss.deleted.npy"):
        (folder / name).unlink(missing_ok=True)


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
        assert db.execute("SELECT count(*) FROM chunks_fts_content").fetchone()[0] == index.counts()["chunks"]
    manifest = json.loads((index_dir / "manifest.json").read_text())
    assert manifest["storage"]["layout"] == 1 and manifest["storage"]["keyword_text"] == "copy"
    fts_integrity(index_dir)


def test_the_extractive_answerer_picks_the_same_sentences_from_2bit_codes(
    index_dir: Path, tmp_path: Path
) -> None:
    old_dir = tmp_path / "old"
    shutil.copytree(index_dir, old_dir)
    make_old_layout(old_dir)  # the same chunks with int8 sentence vectors
    questions = [
        "How many turbines will the offshore farm have?",
        "How far from the coast will the turbines stand?",
        "Who said the cables cross their grounds?",
        "How often will the harbour ferry sail?",
        "What did the operator blame the old timetable on?",
    ]
    picked = []
    for folder in (index_dir, old_dir):
        with Index.open(folder) as index:
            answerer = ExtractiveAnswerer(lambda stems: dict.fromkeys(stems, 1.0))
            picked.append([answerer.answer(q, index.retrieve(q)).text for q in questions])
    assert picked[0] == picked[1]


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
