"""Keyword search through Tantivy, derived from the docstore: it ranks as FTS5 did, a run
killed between the docstore's commit and the keyword index's leaves searches answered from
FTS5 (never a stale answer), and the next writer catches the keyword index up."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from qa.index import Index
from qa.store.keyword import fts_query

TOPICS = ["harbour", "bridge", "election", "vaccine", "budget", "storm", "court", "market"]


def write_articles(path: Path, count: int) -> None:
    with path.open("w") as out:
        for n in range(count):
            topic, other = TOPICS[n % len(TOPICS)], TOPICS[(n + 3) % len(TOPICS)]
            text = " ".join(
                f"Report {n}, part {i}: the {topic} story met the {other} story, word{n}x{i}."
                for i in range(40)
            )
            out.write(
                json.dumps({"id": f"art-{n:02d}", "title": f"The {topic} story {n}", "text": text}) + "\n"
            )


def index_run(source: Path, index_dir: Path, failpoint: str = "") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "QA_COMMIT_CHUNKS": "8", "QA_EMBED_CHUNKS": "8", "QA_FAILPOINT": failpoint}
    return subprocess.run(
        [sys.executable, "-m", "qa", "index", str(source), "--index-dir", str(index_dir), "-q"],
        env=env,
        capture_output=True,
        timeout=600,
    )


def in_step(index: Index) -> bool:
    keyword = index.store._keyword_reader()
    return keyword is not None and keyword.generation == index.store.docstore.generation()


@pytest.mark.slow
def test_tantivy_ranks_the_chunks_fts5_ranks(tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    write_articles(source, 16)
    assert index_run(source, tmp_path / "index").returncode == 0
    with Index.open(tmp_path / "index", create=False) as index:
        assert in_step(index)
        assert index.consistency_problems() == []
        store = index.store
        for terms in (["harbour"], ["vaccine", "court"], ["word5x3"], ["election", "storm", "budget"]):
            tantivy = store.keyword_search(terms, 10)
            fts5 = store.docstore.keyword_search(fts_query(terms), 10)
            assert tantivy and set(tantivy[:3]) <= set(fts5), terms
        assert store.keyword_search(["word5x3"], 10) == store.docstore.keyword_search('"word5x3"', 10)


@pytest.mark.slow
def test_a_run_killed_before_the_keyword_index_is_searched_through_fts5_then_caught_up(
    tmp_path: Path,
) -> None:
    source = tmp_path / "articles.jsonl"
    write_articles(source, 20)
    index_dir = tmp_path / "index"
    # killed right after its second commit reached the docstore and the vectors, before the
    # keyword index took it (its own failpoint: the moment is exact); commits of 8 chunks,
    # of 60
    run = index_run(source, index_dir, failpoint="before-keyword:2")
    assert run.returncode == -signal.SIGKILL, run.stdout.decode()
    with Index.open(index_dir, create=False) as index:
        assert not in_step(index)  # behind: a reader cannot catch it up
        assert index.consistency_problems() == []
        store = index.store
        newest = max(int(a.id.split("-")[1]) for a in store.docstore.list_articles())
        found = store.keyword_search([f"word{newest}x2"], 5)
        assert found == store.docstore.keyword_search(f'"word{newest}x2"', 5) != []
    with Index.open(index_dir) as index:  # a writer opens: it catches the keyword index up
        assert in_step(index)
        assert index.store.keyword_search([f"word{newest}x2"], 5) == found
        assert index.consistency_problems() == []
    assert index_run(source, index_dir).returncode == 0
    with Index.open(index_dir, create=False) as index:
        assert in_step(index)
        assert index.consistency_problems() == []
        assert index.info()["articles"] == 20
        assert len(index.store.keyword_search(["word19x0"], 5)) == 1
