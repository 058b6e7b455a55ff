"""A `qa index` run killed with SIGKILL leaves a loadable, consistent index, and a rerun
resumes where it stopped instead of starting over."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qa.index import Index
from qa.ingest.articles import iter_articles
from qa.store.vector_cache import stored_ids

ARTICLES = 48
WORDS = [
    "river",
    "council",
    "bridge",
    "harbour",
    "election",
    "budget",
    "storm",
    "vaccine",
    "school",
    "market",
    "trade",
    "court",
]


def write_articles(path: Path) -> None:
    rng = random.Random(7)
    with path.open("w") as out:
        for n in range(ARTICLES):
            sentences = [
                f"Report {n} line {i}: the {rng.choice(WORDS)} and the {rng.choice(WORDS)} met {rng.randint(1, 999)} times."
                for i in range(30)
            ]
            out.write(
                json.dumps({"id": f"art-{n:03d}", "title": f"Story {n}", "text": " ".join(sentences)}) + "\n"
            )


def committed_articles(index_dir: Path) -> int:
    db = index_dir / "docstore.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def start_indexing(source: Path, index_dir: Path, failpoint: str = "") -> subprocess.Popen[bytes]:
    env = {**os.environ, "QA_COMMIT_CHUNKS": "8", "QA_FAILPOINT": failpoint}
    return subprocess.Popen(
        [sys.executable, "-m", "qa", "index", str(source), "--index-dir", str(index_dir), "-q"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def assert_consistent(index_dir: Path) -> int:
    with Index.open(index_dir) as index:
        assert index.consistency_problems() == []
        count = index.info()["articles"]
        if count:
            assert index.search("river council", k=3)
        return int(count)


@pytest.mark.slow
def test_killed_runs_leave_a_consistent_index_and_resume(tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    write_articles(source)
    index_dir = tmp_path / "index"

    # 1: killed (by its own failpoint, so the moment is exact) right after its first commit
    # (a commit holds at least one embedding batch of 64 chunks: about a third of the run)
    process = start_indexing(source, index_dir, failpoint="after-commit:1")
    process.wait(timeout=300)
    assert process.returncode == -signal.SIGKILL
    kept = assert_consistent(index_dir)
    assert 0 < kept < ARTICLES

    # 2: the resumed run killed after its first commit too
    process = start_indexing(source, index_dir, failpoint="after-commit:1")
    process.wait(timeout=300)
    assert process.returncode == -signal.SIGKILL
    kept_again = assert_consistent(index_dir)
    assert kept < kept_again < ARTICLES

    # 3: the rerun only does what is left
    process = start_indexing(source, index_dir)
    output = process.communicate(timeout=300)[0].decode()
    assert process.returncode == 0, output
    assert f"{ARTICLES - kept_again} added" in output and f"{kept_again} unchanged" in output
    assert assert_consistent(index_dir) == ARTICLES


def vector_ids(index: Index) -> list[int]:
    """Every live id in the vector cache, duplicates included."""
    vectors = index.store.vectors
    return [int(i) for i in stored_ids(vectors.index).tolist() if int(i) not in vectors.deleted]


@pytest.mark.slow
def test_a_run_killed_between_the_vector_file_and_the_manifest_leaves_no_duplicates(tmp_path: Path) -> None:
    """The vector file replaced, the manifest not yet (issue 18, item 5): the next open
    must neither pair the new file with the old generation (re-adding vectors it holds)
    nor report such an index as consistent."""
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    write_articles(first)
    write_articles(second)
    second.write_text(second.read_text().replace('"art-', '"more-'))
    index_dir = tmp_path / "index"
    process = start_indexing(first, index_dir)
    assert process.wait(timeout=300) == 0
    process = start_indexing(second, index_dir, failpoint="after-vectors:1")
    process.wait(timeout=300)
    assert process.returncode == -signal.SIGKILL  # killed at that very moment
    # as an older version left it (no mark in the manifest): the opener's count check sees it
    unmarked = tmp_path / "unmarked"
    shutil.copytree(index_dir, unmarked)
    manifest = json.loads((unmarked / "manifest.json").read_text())
    assert manifest["vectors"].pop("replacing") is True
    (unmarked / "manifest.json").write_text(json.dumps(manifest))
    for folder, create in ((unmarked, False), (index_dir, False), (index_dir, True)):
        with Index.open(folder, create=create) as index:
            chunks = index.counts()["chunks"]
            assert index.counts()["articles"] == 2 * ARTICLES
            index.store.follow()  # load the vector file as a question would
            ids = vector_ids(index)
            assert len(ids) == chunks and len(set(ids)) == chunks, (len(ids), chunks)
            assert index.consistency_problems() == []
            hits = index.search("river council", k=10)
            assert len({h.chunk.id for h in hits}) == len(hits)
    process = start_indexing(second, index_dir)  # a rerun finds everything done
    output = process.communicate(timeout=300)[0].decode()
    assert process.returncode == 0 and f"{ARTICLES} unchanged" in output, output
    with Index.open(index_dir, create=False) as index:
        index.store.follow()
        assert len(vector_ids(index)) == index.counts()["chunks"]


def test_the_consistency_check_counts_vectors(tmp_path: Path) -> None:
    """Duplicate vectors of existing chunks are a problem even when the sets of ids agree."""
    import numpy as np

    source = tmp_path / "articles.jsonl"
    write_articles(source)
    with Index.open(tmp_path / "index") as index:
        index.add_articles(list(iter_articles([source]))[:3])
        assert index.consistency_problems() == []
        cache = index.store.vectors
        rowid = int(index.store.docstore.chunk_rowids()[0])
        ids, vectors = index.store.docstore.chunk_vectors([rowid], index.store.dim)
        cache.index.add_with_ids(np.ascontiguousarray(vectors), ids)  # a vector twice
        problems = index.consistency_problems()
        assert problems and "1 duplicate" in problems[0], problems
