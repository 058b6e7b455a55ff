"""A `qa index` run killed with SIGKILL leaves a loadable, consistent index, and a rerun
resumes where it stopped instead of starting over."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from qa.index import Index

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

    # 1: killed (by its own failpoint, so the moment is exact) right after its second commit
    process = start_indexing(source, index_dir, failpoint="after-commit:2")
    process.wait(timeout=300)
    assert process.returncode == -signal.SIGKILL
    kept = assert_consistent(index_dir)
    assert 0 < kept < ARTICLES

    # 2: the resumed run killed a little later, after three more commits
    process = start_indexing(source, index_dir, failpoint="after-commit:3")
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
